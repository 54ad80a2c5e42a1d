"""Reads of stored matches, encoding visibility and freshness: a vacancy closed, expired or full
and a seeker without consent are filtered when results are read, never waiting for a recompute."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from accounts.models import Role, User
from employers.models import Vacancy
from employers.selectors import vacancy_open_q
from matching.engine import DEFAULT_K, Congestion
from matching.models import Candidate, MatchRun, PendingRecompute, SeekerMatch
from seekers.models import SeekerProfile

if TYPE_CHECKING:  # scikit-learn loads where skill weights are used, not at start
    from matching.engine import SkillSpace


def congestion_inputs() -> Congestion:
    """Return the congestion inputs of a full run: open applications per vacancy and each
    employer's answer rate, from placements."""
    from placements.selectors import answer_rate_per_employer, applications_per_vacancy

    return Congestion(
        applications=applications_per_vacancy(), answer_rate=answer_rate_per_employer()
    )


def incremental_basis() -> tuple[SkillSpace | None, Congestion]:
    """Return the skill weights and congestion statistics frozen by the last full run of this
    engine version (None and live inputs if there is none), so incremental runs and
    explanations score as it did. A run of another version froze other keys (kin keys, say,
    which an older version did not weigh) and is not used."""
    from matching.engine import SkillSpace, VacancyBasis, weights

    last = (
        MatchRun.objects.filter(kind=MatchRun.Kind.FULL, engine_version=weights.ENGINE_VERSION)
        .order_by("-finished_at")
        .first()
    )
    if last is None or not last.skill_idf or not last.congestion_basis:
        return None, congestion_inputs()
    frozen = last.congestion_basis
    return SkillSpace.from_dict(last.skill_idf), Congestion(
        applications={int(k): int(v) for k, v in frozen.get("applications", {}).items()},
        answer_rate={int(k): float(v) for k, v in frozen.get("answer_rate", {}).items()},
        basis={int(k): VacancyBasis.from_list(v) for k, v in frozen["vacancies"].items()},
    )


def seeker_matches(*, seeker: SeekerProfile) -> QuerySet[SeekerMatch]:
    """Return a seeker's stored matches on vacancies still open, numbered and in rank order:
    ``rank`` by the congestion-adjusted fit, ``fit_rank`` by fit alone (ties by vacancy id, as
    the engine breaks them). Filter it no further: a filter would renumber (``seeker_match``
    finds one)."""
    by_adjusted = [F("adjusted").desc(), F("vacancy_id").asc()]
    by_fit = [F("score").desc(), F("vacancy_id").asc()]
    return (
        SeekerMatch.objects.filter(seeker=seeker)
        .filter(vacancy_open_q("vacancy__"))
        .select_related("vacancy__employer")
        .annotate(
            rank=Window(RowNumber(), order_by=by_adjusted),
            fit_rank=Window(RowNumber(), order_by=by_fit),
        )
        .order_by("rank")
    )


def seeker_match(*, seeker: SeekerProfile, vacancy: Vacancy) -> SeekerMatch | None:
    """Return the seeker's stored match with this vacancy, numbered among all their matches."""
    return next((m for m in seeker_matches(seeker=seeker) if m.vacancy_id == vacancy.pk), None)


def vacancy_candidates(*, vacancy: Vacancy, user: User) -> QuerySet[Candidate]:
    """Return a vacancy's best candidates the user may see, best first (at most ``DEFAULT_K``).

    Employers see only seekers who consent to be shown; mentors only their own caseload;
    admins everyone who consents. Precondition: the user may see the vacancy.
    """
    rows = Candidate.objects.filter(vacancy=vacancy).select_related("seeker__user")
    if user.role == Role.MENTOR and not user.is_staff:
        rows = rows.filter(seeker__mentor=user)
    else:
        rows = rows.filter(seeker__share_with_employers=True)
    ids = list(rows.order_by("-score", "seeker_id").values_list("pk", flat=True)[:DEFAULT_K])
    return rows.filter(pk__in=ids).order_by("-score", "seeker_id")


EMPLOYER_FIT_STEP = 0.1  # employers see a candidate's fit to one decimal: its travel part, finer,
# would let an employer with vacancies at several postcodes work out where the candidate lives


def fit_for_employer(score: float) -> float:
    """A candidate's fit as an employer sees it: coarse, so it cannot locate the person."""
    return round(round(score / EMPLOYER_FIT_STEP) * EMPLOYER_FIT_STEP, 1)


def seeker_profile_for_matches(*, user: User, seeker_id: int) -> SeekerProfile | None:
    """Return the profile whose matches the user may read: their own, their caseload's, any for
    admins; None otherwise."""
    profiles = SeekerProfile.objects.select_related("user")
    if user.is_staff:
        return profiles.filter(pk=seeker_id).first()
    if user.role == Role.SEEKER:
        return profiles.filter(pk=seeker_id, user=user).first()
    if user.role == Role.MENTOR:
        return profiles.filter(pk=seeker_id, mentor=user).first()
    return None


def is_a_match(*, seeker: SeekerProfile, vacancy: Vacancy) -> bool:
    """Whether a placement may start from this pair: a stored match, or one by today's rows."""
    if SeekerMatch.objects.filter(seeker=seeker, vacancy=vacancy).exists():  # no numbering needed
        return True
    return match_explain(profile=seeker, vacancy=vacancy, today=timezone.localdate()).is_match


def match_explain(*, profile: SeekerProfile, vacancy: Vacancy, today):
    """Say why a vacancy is or is not a match for a seeker, scored as the last full run would.

    Returns the engine's ``Explanation``. Computed live, so it reflects the rows as they are now.
    """
    from matching import adapter
    from matching.engine import MatchContext, SkillSpace, pair_explanation

    space, congestion = incremental_basis()
    if space is None:
        space = SkillSpace.fit([adapter.seeker_input(profile)], [adapter.vacancy_input(vacancy)])
    context = MatchContext(
        today=today,
        skill_space=space,
        use_occupations=True,
        labels=adapter.skill_labels([profile, vacancy]),
    )
    return pair_explanation(
        adapter.seeker_input(profile),
        adapter.vacancy_input(vacancy),
        context=context,
        seeker_occupation_rows=adapter.seeker_occupations([profile])[0],
        vacancy_occupation_row=adapter.vacancy_occupations([vacancy]),
        congestion=congestion,
    )


def matches_freshness(
    *, seeker: SeekerProfile | None = None, vacancy: Vacancy | None = None
) -> dict:
    """Say whether a seeker's matches (or a vacancy's candidates) are being recomputed, and when
    the stored ones were computed. Reads only: it never computes."""
    if seeker is not None:
        kind, pk, rows = (
            PendingRecompute.Kind.SEEKER,
            seeker.pk,
            SeekerMatch.objects.filter(seeker=seeker),
        )
    else:
        kind, pk, rows = (
            PendingRecompute.Kind.VACANCY,
            vacancy.pk,
            Candidate.objects.filter(vacancy=vacancy),
        )
    latest = rows.order_by("-computed_at").values_list("computed_at", flat=True).first()
    return {
        "updating": PendingRecompute.objects.filter(kind=kind, object_id=pk).exists(),
        "computed_at": latest,
    }


def recompute_queue_health() -> dict:
    """Pending recomputes (and how many a drain is working on), the oldest, and the last runs."""
    pending = PendingRecompute.objects.all()
    last_full = MatchRun.objects.filter(kind=MatchRun.Kind.FULL).order_by("-finished_at").first()
    last_incremental = (
        MatchRun.objects.exclude(kind=MatchRun.Kind.FULL).order_by("-finished_at").first()
    )

    def seconds(run):
        return None if run is None else (run.finished_at - run.started_at).total_seconds()

    return {
        "pending": pending.count(),
        "claimed": pending.filter(claimed_at__isnull=False).count(),
        "oldest": pending.order_by("since").values_list("since", flat=True).first(),
        "last_full": last_full,
        "last_full_seconds": seconds(last_full),
        "last_incremental": last_incremental,
        "last_incremental_seconds": seconds(last_incremental),
    }
