"""``auth/register/``, ``seekers/``, ``seekers/me/``, ``seekers/me/export/``."""

from __future__ import annotations

import django_filters
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access_log import access_log_record
from accounts.models import AccessLogEntry, Role, User
from accounts.throttles import SignInThrottle
from api.fields import PostcodeField, SkillsField, SkillsOfferedField, TextListField
from api.permissions import IsSeeker, roles
from jobmatch.errors import NotFound
from matching.selectors import seeker_matches
from seekers import services
from seekers.access import access_seeker
from seekers.models import BenefitGroup, SeekerProfile, TravelMode
from seekers.selectors import seeker_editable_for, seeker_list_for

PROFILE_FIELDS = [
    "postcode",
    "skills",
    "skills_offered",
    "desired_titles",
    "about",
    "travel_modes",
    "max_travel_minutes",
    "hours_min",
    "hours_max",
    "has_driving_licence",
    "share_with_employers",
    "age_band",
    "sex",
    "disability",
    "ethnicity",
]


class SeekerProfileSerializer(serializers.ModelSerializer):
    """A seeker's profile as the seeker, their mentor or an admin sees it."""

    username = serializers.CharField(source="user.username", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    postcode = PostcodeField(required=False)
    skills = SkillsField()
    skills_offered = SkillsOfferedField(text_of=lambda p: p.about, held_of=lambda p: p.skills)
    desired_titles = TextListField(max_items=10, max_item_length=100)
    about = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="In the seeker's own words: the work they have done and want to do. Matched "
        "by meaning; never shown to employers.",
        error_messages={"max_length": "Keep this to 2000 characters: the main points are enough."},
    )
    travel_modes = serializers.ListField(
        child=serializers.ChoiceField(choices=TravelMode.choices), max_length=4, required=False
    )
    max_travel_minutes = serializers.IntegerField(min_value=1, max_value=180, required=False)
    hours_min = serializers.IntegerField(min_value=0, max_value=48, required=False)
    hours_max = serializers.IntegerField(min_value=1, max_value=48, required=False)
    benefit_group = serializers.ChoiceField(choices=BenefitGroup.choices, required=False)
    registered_on = serializers.DateField(required=False)
    mentor = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = SeekerProfile
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            *PROFILE_FIELDS,
            "benefit_group",
            "registered_on",
            "mentor",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def validate(self, attrs):
        # The rules about the values (hours, dates, who sets what) are the service's; the mentor
        # is not a field of the profile at all here.
        initial = getattr(self, "initial_data", None)  # absent when nested in sign-up
        if isinstance(initial, dict) and "mentor" in initial:
            raise serializers.ValidationError(
                {"mentor": ["Mentors are assigned by an administrator (in the admin)."]}
            )
        return attrs


class IntroducedSeekerSerializer(serializers.ModelSerializer):
    """What an employer sees of a seeker introduced to them: name, contact and skills only
    (never benefit group, equality fields, postcode or location)."""

    first_name = serializers.CharField(source="user.first_name")
    last_name = serializers.CharField(source="user.last_name")
    email = serializers.EmailField(source="user.email")

    class Meta:
        model = SeekerProfile
        fields = ["id", "first_name", "last_name", "email", "skills"]


class IntroducedSeekerFilter(django_filters.FilterSet):
    """The only filter an employer has on the seekers introduced to them. Benefit group,
    registration dates and the equality fields are special-category or pin a person down:
    never filters or orderings for employers."""

    class Meta:
        model = SeekerProfile
        fields = ["has_driving_licence"]


class SeekerFilter(django_filters.FilterSet):
    registered_after = django_filters.DateFilter(field_name="registered_on", lookup_expr="gte")
    registered_before = django_filters.DateFilter(field_name="registered_on", lookup_expr="lte")

    class Meta:
        model = SeekerProfile
        fields = ["benefit_group", "share_with_employers", "has_driving_licence"]


class SeekerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Seeker profiles: a seeker's own, a mentor's caseload, all for admins.

    Every read or change by someone other than the seeker is written to the access log.
    """

    queryset = SeekerProfile.objects.none()  # for the schema; requests use the selectors
    serializer_class = SeekerProfileSerializer
    permission_classes = [roles(Role.SEEKER, Role.MENTOR, Role.EMPLOYER)]

    def _employer(self) -> bool:
        user = getattr(getattr(self, "request", None), "user", None)
        return getattr(user, "role", None) == Role.EMPLOYER

    def get_serializer_class(self):
        return IntroducedSeekerSerializer if self._employer() else SeekerProfileSerializer

    @property
    def filterset_class(self):
        return IntroducedSeekerFilter if self._employer() else SeekerFilter

    @property
    def ordering_fields(self):
        return ["id"] if self._employer() else ["registered_on", "updated_at", "id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        user = self.request.user
        if self.action in ("update", "partial_update"):
            return seeker_editable_for(user=user)
        return seeker_list_for(user=user)

    def _log_reads(self, seekers, what: str) -> None:
        access_log_record(
            actor=self.request.user,
            subject_ids=[s.user_id for s in seekers],
            action="read",
            channel="api",
            what=what,
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self._log_reads(page, "profile (list)")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        seeker = access_seeker(user=request.user, pk=kwargs["pk"], channel="api", what="profile")
        return Response(self.get_serializer(seeker).data)

    def perform_update(self, serializer):
        serializer.instance = services.seeker_profile_update(
            seeker=serializer.instance,
            by=self.request.user,
            data=serializer.validated_data,
            channel="api",
        )


class SeekerMeView(APIView):
    """The calling seeker's own profile."""

    permission_classes = [IsSeeker]

    def _profile(self, request) -> SeekerProfile:
        profile = SeekerProfile.objects.select_related("user").filter(user=request.user).first()
        if profile is None:
            raise NotFound("Your account has no jobseeker profile; seekers/{id}/ shows others'.")
        return profile

    @extend_schema(responses=SeekerProfileSerializer)
    def get(self, request):
        return Response(
            SeekerProfileSerializer(self._profile(request), context={"request": request}).data
        )

    @extend_schema(request=SeekerProfileSerializer, responses=SeekerProfileSerializer)
    def patch(self, request):
        serializer = SeekerProfileSerializer(
            self._profile(request), data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        profile = services.seeker_profile_update(
            seeker=serializer.instance,
            by=request.user,
            data=serializer.validated_data,
            channel="api",
        )
        return Response(SeekerProfileSerializer(profile, context={"request": request}).data)


class RegisterSerializer(serializers.Serializer):
    username = serializers.RegexField(
        r"^[\w.@+-]+$",
        max_length=150,
        error_messages={"invalid": "Use letters, digits and @ . + - _ only."},
    )
    password = serializers.CharField(write_only=True, max_length=128)
    email = serializers.EmailField(max_length=254)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    profile = SeekerProfileSerializer(required=False)

    def validate_username(self, value):
        if User.objects.filter(username__iexact=value).exists():
            raise serializers.ValidationError("That username is taken; choose another.")
        return value

    def validate(self, attrs):
        if "role" in self.initial_data:
            raise serializers.ValidationError(
                {
                    "role": [
                        "Anyone can register only as a jobseeker; an administrator creates "
                        "employer, mentor and commissioner accounts."
                    ]
                }
            )
        profile = self.initial_data.get("profile")
        if isinstance(profile, dict):
            refused = sorted(set(profile).intersection({*services.STAFF_ONLY_FIELDS, "mentor"}))
            if refused:
                raise serializers.ValidationError(
                    {
                        "profile": [
                            f"{', '.join(refused)}: set by a mentor or an administrator, "
                            "not at sign-up."
                        ]
                    }
                )
        user = User(
            username=attrs["username"],
            email=attrs["email"],
            first_name=attrs.get("first_name", ""),
            last_name=attrs.get("last_name", ""),
        )
        try:
            validate_password(attrs["password"], user)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from None
        return attrs


class RegisterView(APIView):
    """Sign up as a jobseeker (the only role anyone can give themselves)."""

    permission_classes = []
    throttle_classes = [SignInThrottle]

    @extend_schema(request=RegisterSerializer, responses=SeekerProfileSerializer)
    def post(self, request):
        serializer = RegisterSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        profile = services.seeker_register(
            username=data["username"],
            password=data["password"],
            email=data["email"],
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            profile=data.get("profile") or {},
        )
        body = SeekerProfileSerializer(profile, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class ExportView(APIView):
    """Everything JobMatch holds about the caller, as JSON."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(export_for(request))


def export_for(request) -> dict:
    """Everything JobMatch holds about ``request.user``: for the export and the download."""
    user = request.user
    body = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "role": user.role_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
    }
    profile = SeekerProfile.objects.filter(user=user).first()
    if profile is not None:
        body["profile"] = SeekerProfileSerializer(profile, context={"request": request}).data
        body["consent_history"] = [
            {
                "share_with_employers": c.share_with_employers,
                "statement": c.statement,
                "changed_at": c.changed_at.isoformat(),
                "changed_by": c.changed_by.username if c.changed_by else None,
            }
            for c in profile.consents.select_related("changed_by")
        ]
        body["matches"] = [
            {
                "vacancy_id": m.vacancy_id,
                "title": m.vacancy.title,
                "employer": m.vacancy.employer.name,
                "score": m.score,
                "rank": m.rank,
                "reasons": m.reasons_shown,
                "computed_at": m.computed_at.isoformat(),
            }
            for m in seeker_matches(seeker=profile)
        ]
        body["placements"] = [
            {
                "id": p.pk,
                "vacancy": p.vacancy.title,
                "employer": p.vacancy.employer.name,
                "state": p.state,
                "start_date": p.start_date,
                "end_date": p.end_date,
                "history": [
                    {
                        "from": e.from_state,
                        "to": e.to_state,
                        "at": e.at.isoformat(),
                        "reason": e.reason,
                    }
                    for e in p.history.all()
                ],
                "checks": [
                    {
                        "week": c.week,
                        "due_on": c.due_on,
                        "result": c.result,
                        "evidence": c.evidence,
                    }
                    for c in p.checks.all()
                ],
            }
            for p in profile.placements.select_related("vacancy__employer").prefetch_related(
                "history", "checks"
            )
        ]
        body["outside_jobs"] = [
            {
                "employer": j.employer_name,
                "start_date": j.start_date,
                "end_date": j.end_date,
                "checks": [
                    {
                        "week": c.week,
                        "due_on": c.due_on,
                        "result": c.result,
                        "evidence": c.evidence,
                    }
                    for c in j.checks.all()
                ],
            }
            for j in profile.outside_jobs.prefetch_related("checks")
        ]
        body["access_log"] = [
            {
                "at": e.at.isoformat(),
                "by": e.actor.username if e.actor else None,
                "by_role": e.actor.role_name if e.actor else None,
                "action": e.action,
                "channel": e.channel,
                "what": e.what,
            }
            for e in AccessLogEntry.objects.filter(subject=user).select_related("actor")
        ]
    return body


def register(router) -> None:
    router.register("seekers", SeekerViewSet, basename="seeker")


urlpatterns = [
    path("auth/register/", RegisterView.as_view(), name="api-register"),
    path("seekers/me/", SeekerMeView.as_view(), name="api-seeker-me"),
    path("seekers/me/export/", ExportView.as_view(), name="api-seeker-export"),
]
