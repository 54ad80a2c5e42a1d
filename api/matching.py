"""``seekers/me/matches/``, ``seekers/{id}/matches/``, ``seekers/{id}/matches/{vacancy_id}/`` and
``vacancies/{id}/candidates/``."""

from __future__ import annotations

from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access_log import access_log_record
from accounts.models import Role
from api.pagination import FreshnessPagination
from api.permissions import IsSeeker, roles
from employers.models import Vacancy
from employers.selectors import vacancy_list_for, vacancy_writable_for
from jobmatch.errors import NotFound
from matching.models import Candidate, SeekerMatch
from matching.pseudonyms import pseudonym
from matching.selectors import (
    fit_for_employer,
    match_explain,
    matches_freshness,
    seeker_match,
    seeker_matches,
    seeker_profile_for_matches,
    vacancy_candidates,
)
from seekers.models import SeekerProfile


class MatchVacancySerializer(serializers.ModelSerializer):
    employer_name = serializers.CharField(source="employer.name")

    class Meta:
        model = Vacancy
        fields = [
            "id",
            "title",
            "employer",
            "employer_name",
            "postcode",
            "remote",
            "hours_per_week",
            "contract_type",
            "wage_per_hour",
            "closing_date",
        ]


class SeekerMatchSerializer(serializers.ModelSerializer):
    """A match: ``rank`` is its place among the seeker's open matches now."""

    vacancy = MatchVacancySerializer()
    rank = serializers.IntegerField(read_only=True)
    reasons = serializers.JSONField(source="reasons_shown", read_only=True)

    class Meta:
        model = SeekerMatch
        fields = ["vacancy", "score", "rank", "reasons", "engine_version", "computed_at"]


def _log(user, profile: SeekerProfile, what: str) -> None:
    access_log_record(
        actor=user, subject_ids=[profile.user_id], action="read", channel="api", what=what
    )


class _MatchList(generics.ListAPIView):
    """A seeker's ranked matches, with ``updating`` and ``computed_at`` beside the page."""

    serializer_class = SeekerMatchSerializer
    queryset = SeekerMatch.objects.none()
    filter_backends = []
    pagination_class = FreshnessPagination

    def profile(self) -> SeekerProfile:
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        profile = self.profile()
        self.paginator.freshness = matches_freshness(seeker=profile)
        return seeker_matches(seeker=profile)


class MyMatchesView(_MatchList):
    """The calling seeker's ranked matches, with reasons."""

    permission_classes = [IsSeeker]

    def profile(self) -> SeekerProfile:
        profile = SeekerProfile.objects.filter(user=self.request.user).first()
        if profile is None:
            raise NotFound("Your account has no jobseeker profile, so it has no matches.")
        return profile


class SeekerMatchesView(_MatchList):
    """A seeker's ranked matches: their own, a mentor's caseload's, or any for admins."""

    permission_classes = [roles(Role.SEEKER, Role.MENTOR)]

    def profile(self) -> SeekerProfile:
        profile = seeker_profile_for_matches(user=self.request.user, seeker_id=self.kwargs["pk"])
        if profile is None:
            raise NotFound("No such seeker among those you may see.")
        _log(self.request.user, profile, "matches")
        return profile


class SeekerMatchDetailView(APIView):
    """One match with its reasons, or why that vacancy is not a match."""

    permission_classes = [roles(Role.SEEKER, Role.MENTOR)]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int, vacancy_id: int):
        profile = seeker_profile_for_matches(user=request.user, seeker_id=pk)
        if profile is None:
            raise NotFound("No such seeker among those you may see.")
        vacancy = vacancy_list_for(user=request.user).filter(pk=vacancy_id).first()
        if vacancy is None:
            raise NotFound("No such vacancy among those you may see.")
        _log(request.user, profile, f"match with vacancy {vacancy_id}")
        stored = seeker_match(seeker=profile, vacancy=vacancy)
        if stored is not None:
            return Response(
                {"is_match": True, "failures": [], **SeekerMatchSerializer(stored).data}
            )
        explanation = match_explain(profile=profile, vacancy=vacancy, today=timezone.localdate())
        body = explanation.as_dict()
        body.pop("seeker_id", None)
        body["vacancy"] = MatchVacancySerializer(vacancy).data
        body.pop("vacancy_id", None)
        if explanation.is_match:
            body["note"] = (
                "This vacancy fits, but others fit better: it is not among your best matches."
            )
        return Response(body)


DISTANCE_BANDS = [(2, "under 2 km"), (5, "2 to 5 km"), (10, "5 to 10 km"), (20, "10 to 20 km")]


def distance_band(km: float | None) -> str | None:
    if km is None:
        return None
    return next((label for limit, label in DISTANCE_BANDS if km < limit), "20 km or more")


class EmployerCandidateSerializer(serializers.Serializer):
    """What an employer sees of a candidate before an introduction: no id, name, postcode or
    exact location; a pseudonym stable for this employer."""

    pseudonym = serializers.SerializerMethodField()
    rank = serializers.IntegerField()
    score = serializers.SerializerMethodField(help_text="The fit, to one decimal.")
    skills = serializers.SerializerMethodField()
    skills_matched = serializers.SerializerMethodField()
    skills_missing_essential = serializers.SerializerMethodField()
    distance_band = serializers.SerializerMethodField()
    hours_min = serializers.IntegerField(source="seeker.hours_min")
    hours_max = serializers.IntegerField(source="seeker.hours_max")
    has_driving_licence = serializers.BooleanField(source="seeker.has_driving_licence")

    def get_pseudonym(self, row) -> str:
        return pseudonym(employer_id=row.vacancy.employer_id, seeker_id=row.seeker_id)

    def get_score(self, row) -> float:
        return fit_for_employer(row.score)

    def get_skills(self, row) -> list[str]:
        # Taxonomy labels only: a seeker's own words could identify them.
        return [s["label"] for s in row.seeker.skills if s.get("id") and s.get("label")]

    def get_skills_matched(self, row) -> list[str]:
        return row.skills_named("skills_matched")

    def get_skills_missing_essential(self, row) -> list[str]:
        return row.skills_named("skills_missing_essential")

    def get_distance_band(self, row) -> str | None:
        return distance_band(row.reasons.get("distance_km"))


class MentorCandidateSerializer(EmployerCandidateSerializer):
    """A mentor sees their own caseload's seekers by name, with the full reasons."""

    score = serializers.FloatField()
    seeker = serializers.IntegerField(source="seeker_id")
    name = serializers.SerializerMethodField()
    reasons = serializers.JSONField(source="reasons_shown")

    def get_name(self, row) -> str:
        return row.seeker.user.get_full_name() or row.seeker.user.username


class VacancyCandidatesView(generics.ListAPIView):
    """A vacancy's best candidates. Employers: their own vacancies, consenting seekers only, by
    pseudonym. Mentors: their caseload's seekers. Admins: every consenting seeker."""

    permission_classes = [roles(Role.EMPLOYER, Role.MENTOR)]
    queryset = Candidate.objects.none()
    filter_backends = []
    pagination_class = FreshnessPagination

    def get_serializer_class(self):
        user = self.request.user
        if getattr(user, "role", None) == Role.EMPLOYER:
            return EmployerCandidateSerializer
        return MentorCandidateSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        user = self.request.user
        scope = (
            vacancy_writable_for(user=user)
            if user.role == Role.EMPLOYER
            else (vacancy_list_for(user=user))
        )
        vacancy = scope.filter(pk=self.kwargs["pk"]).first()
        if vacancy is None:
            raise NotFound("No such vacancy among those you may see.")
        self.paginator.freshness = matches_freshness(vacancy=vacancy)
        rows = list(vacancy_candidates(vacancy=vacancy, user=user))
        for rank, row in enumerate(rows, start=1):
            row.rank = rank
        access_log_record(
            actor=user,
            subject_ids=[r.seeker.user_id for r in rows],
            action="read",
            channel="api",
            what=f"candidate for vacancy {vacancy.pk}",
        )
        return rows


def register(router) -> None:
    """No viewsets: plain paths below."""


urlpatterns = [
    path("seekers/me/matches/", MyMatchesView.as_view(), name="api-my-matches"),
    path("seekers/<int:pk>/matches/", SeekerMatchesView.as_view(), name="api-seeker-matches"),
    path(
        "seekers/<int:pk>/matches/<int:vacancy_id>/",
        SeekerMatchDetailView.as_view(),
        name="api-seeker-match",
    ),
    path(
        "vacancies/<int:pk>/candidates/",
        VacancyCandidatesView.as_view(),
        name="api-vacancy-candidates",
    ),
]
