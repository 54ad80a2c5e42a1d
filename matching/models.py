"""Stored results of the matching engine: each seeker's top vacancies, each vacancy's top
candidates, and the runs that made them. A recompute replaces a set in one transaction."""

from django.db import models

from employers.models import Vacancy
from seekers.models import SeekerProfile


class MatchRun(models.Model):
    """One engine run. A full run's skill weights and congestion statistics are frozen: the
    incremental runs after it use them, so each seeker they recompute gets exactly what a full
    run with those statistics would give."""

    class Kind(models.TextChoices):
        FULL = "full", "Full"
        SEEKER = "seeker", "One seeker"
        VACANCY = "vacancy", "One vacancy"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    engine_version = models.CharField(max_length=40)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    stats = models.JSONField(default=dict)
    # Full runs only: skill key -> IDF weight; {"vacancies": {id: VacancyBasis.to_list()},
    # "answer_rate": {employer id: rate}}.
    skill_idf = models.JSONField(default=dict, blank=True)
    congestion_basis = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-finished_at", "-id"]
        get_latest_by = "finished_at"

    def __str__(self) -> str:
        return f"{self.kind} run {self.finished_at:%Y-%m-%d %H:%M} ({self.engine_version})"


class SeekerMatch(models.Model):
    """A vacancy in a seeker's top k. ``score`` is the fit; ``adjusted`` the fit adjusted for
    congestion, which orders the list. Places are not stored: a row stays the same when another
    vacancy enters or leaves the list above it, so a recompute writes only the rows that changed.
    ``matching.selectors.seeker_matches`` numbers them at read (``rank``, and ``fit_rank`` by fit
    alone), among the vacancies still open."""

    # Indexed by the pair's unique constraint, which also finds one seeker's rows (a few dozen,
    # sorted at read): no other index on it, since each index is written for every row of a
    # full run.
    seeker = models.ForeignKey(
        SeekerProfile, on_delete=models.CASCADE, related_name="matches", db_index=False
    )
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="seeker_matches")
    score = models.FloatField()
    adjusted = models.FloatField()
    crowded = models.BooleanField(default=False)
    reasons = models.JSONField(default=dict)
    engine_version = models.CharField(max_length=40)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["seeker_id", "-adjusted", "vacancy_id"]
        constraints = [
            models.UniqueConstraint(fields=["seeker", "vacancy"], name="seekermatch_unique_pair"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=1), name="seekermatch_score_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seeker_id} -> {self.vacancy_id} ({self.score:.2f})"

    @property
    def reasons_shown(self) -> dict:
        """The stored reasons, worded for this row's places now (needs the ``rank`` and
        ``fit_rank`` that ``seeker_matches`` annotates)."""
        from matching.engine import with_places

        return with_places(self.reasons, rank=self.rank, fit_rank=self.fit_rank)


class Candidate(models.Model):
    """A seeker among a vacancy's best candidates (ranked by fit at read time)."""

    # Indexed by the pair's unique constraint (as ``SeekerMatch.seeker``).
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.CASCADE, related_name="candidates", db_index=False
    )
    seeker = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="candidacies")
    score = models.FloatField()
    reasons = models.JSONField(default=dict)
    engine_version = models.CharField(max_length=40)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["vacancy_id", "-score", "seeker_id"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "seeker"], name="candidate_unique_pair"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=1), name="candidate_score_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vacancy_id} <- {self.seeker_id} ({self.score:.2f})"

    @property
    def reasons_shown(self) -> dict:
        """The stored reasons, worded."""
        from matching.engine import worded

        return worded(self.reasons)

    def skills_named(self, which: str) -> list[str]:
        """The labels of the pair's ``which`` skills ("skills_matched",
        "skills_missing_essential"): the vacancy's words, never the seeker's."""
        from matching.engine import skill_labels

        return skill_labels(self.reasons, which)


class PendingRecompute(models.Model):
    """A seeker or vacancy whose matches are out of date: the queue's truth. Written in the same
    transaction as the change; drained by ``matching.services.recomputes_drain``, which deletes a
    row once a recompute that started after its last change has finished. A row claimed by a
    worker that died is claimed again after ``CLAIM_EXPIRES``."""

    class Kind(models.TextChoices):
        SEEKER = "seeker", "Seeker"
        VACANCY = "vacancy", "Vacancy"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    object_id = models.BigIntegerField()
    since = models.DateTimeField(help_text="The first change not yet recomputed.")
    changed_at = models.DateTimeField(help_text="The last change.")
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, help_text="The run working on it.")

    class Meta:
        ordering = ["since", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="pending_recompute_once")
        ]
        indexes = [models.Index(fields=["claimed_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} pending since {self.since:%Y-%m-%d %H:%M:%S}"


class TextMeaning(models.Model):
    """What a text (a job title, a vacancy's title and description) means, as its nearest ESCO
    occupations ({id: weight}, ``matching.engine.meaning``), keyed by the hash of the text.
    Computed in the worker, once per distinct text and model; read anywhere (a request never
    embeds)."""

    key = models.CharField(max_length=40, primary_key=True)
    model = models.CharField(max_length=80)
    occupations = models.JSONField(default=dict)
    # Skills the text names ([{id, label, confidence}], best first), offered to the person to
    # confirm; None until read (only descriptions and own words are).
    skills = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.key[:8]} ({len(self.occupations)} occupations)"
