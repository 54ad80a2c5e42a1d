"""``placements/`` and their actions and checks, ``vacancies/{id}/invitations/``,
``seekers/{id}/outside-jobs/``, ``caseload/`` and ``notifications/``."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access_log import access_log_record
from accounts.models import Role
from api.permissions import roles
from employers.selectors import vacancy_list_for, vacancy_writable_for
from jobmatch.errors import Conflict, NotAllowed, NotFound
from matching.pseudonyms import pseudonym, seeker_for_pseudonym
from matching.selectors import vacancy_candidates
from placements import selectors, services, workflow
from placements.access import access_placement, placements_read
from placements.inputs import OutsideJobInput, RecordCheckInput
from placements.models import (
    CheckResult,
    Evidence,
    Notification,
    OutcomeCheck,
    Placement,
    State,
)
from placements.selectors import CaseloadStatus
from seekers.models import SeekerProfile
from seekers.selectors import seeker_list_for


class CheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutcomeCheck
        fields = [
            "id",
            "week",
            "due_on",
            "result",
            "hours_per_week",
            "evidence",
            "note",
            "recorded_at",
        ]


class PlacementSerializer(serializers.ModelSerializer):
    vacancy_title = serializers.CharField(source="vacancy.title", read_only=True)
    employer_name = serializers.CharField(source="vacancy.employer.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    seeker = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()
    checks = CheckSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Placement
        fields = [
            "id",
            "vacancy",
            "vacancy_title",
            "employer_name",
            "seeker",
            "state",
            "state_label",
            "invited_by_employer",
            "introduced_at",
            "start_date",
            "end_date",
            "end_reason",
            "decline_reason",
            "decline_text",
            "history",
            "checks",
            "allowed_actions",
            "created_at",
            "updated_at",
        ]

    def _user(self):
        return self.context["request"].user

    def get_seeker(self, placement) -> dict:
        if selectors.identity_hidden(placement, self._user()):
            return {
                "pseudonym": pseudonym(
                    employer_id=placement.vacancy.employer_id, seeker_id=placement.seeker_id
                )
            }
        user = placement.seeker.user
        return {
            "id": placement.seeker_id,
            "name": user.get_full_name() or user.username,
            "email": user.email,
        }

    def get_history(self, placement) -> list[dict]:
        user = self._user()
        return [
            {**e, "by": selectors.actor_shown(e["by"], placement=placement, user=user)}
            for e in selectors.history_for(placement=placement, user=user)
        ]

    def get_allowed_actions(self, placement) -> list[str]:
        """The actions the caller may take now (each a POST to ``placements/{id}/{action}/``)."""
        return services.actions_for(placement, self._user())


class EmployerCheckSerializer(serializers.Serializer):
    """A check as the employer reads it: never the mentor's note; the result, hours and evidence
    only of checks the employer confirmed (otherwise null)."""

    id = serializers.IntegerField()
    week = serializers.IntegerField()
    due_on = serializers.DateField()
    result = serializers.ChoiceField(choices=CheckResult.choices, allow_null=True)
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    evidence = serializers.ChoiceField(choices=Evidence.choices, allow_null=True)
    recorded_at = serializers.DateTimeField(allow_null=True)


class EmployerPlacementSerializer(PlacementSerializer):
    """A placement as an employer reads it, from an allow-list: no check notes, no evidence or
    hours of checks they did not confirm, an end reason only when their organisation wrote it.
    (The decline reason and text are the employer's own: only they decline.)"""

    end_reason = serializers.SerializerMethodField()
    checks = serializers.SerializerMethodField()

    class Meta(PlacementSerializer.Meta):
        fields = list(PlacementSerializer.Meta.fields)

    def get_end_reason(self, placement) -> str:
        return selectors.end_reason_for(placement=placement, user=self._user())

    @extend_schema_field(EmployerCheckSerializer(many=True))
    def get_checks(self, placement) -> list[dict]:
        rows = selectors.checks_for_employer(placement=placement)
        return EmployerCheckSerializer(rows, many=True).data


def placement_serializer_class(user) -> type[PlacementSerializer]:
    """The placement read shape for this user: employers get their allow-list."""
    return EmployerPlacementSerializer if selectors.employer_side(user) else PlacementSerializer


class NewPlacementSerializer(serializers.Serializer):
    vacancy = serializers.IntegerField()
    seeker = serializers.IntegerField(
        required=False, help_text="Mentors: the seeker to propose (caseload)."
    )


class PlacementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Placements: a seeker's own, an employer's organisation's, a mentor's caseload's."""

    permission_classes = [roles(Role.SEEKER, Role.EMPLOYER, Role.MENTOR)]
    serializer_class = PlacementSerializer
    queryset = Placement.objects.none()
    filterset_fields = ["state", "vacancy"]
    ordering_fields = ["updated_at", "created_at", "id"]

    def get_serializer_class(self):
        return placement_serializer_class(self.request.user)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.placement_list_for(user=self.request.user).prefetch_related(
            "checks__recorded_by__employer_membership", "history__by__employer_membership"
        )

    def _log(self, placements) -> None:
        placements_read(user=self.request.user, placements=placements, channel="api")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self._log(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        access_placement(user=request.user, pk=kwargs["pk"], channel="api")
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=NewPlacementSerializer, responses=PlacementSerializer)
    def create(self, request):
        """A seeker asks for an introduction from a match; a mentor proposes one for a seeker."""
        data = NewPlacementSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        if user.role == Role.EMPLOYER:
            raise NotAllowed("Employers invite candidates at vacancies/{id}/invitations/.")
        vacancy = vacancy_list_for(user=user).filter(pk=data.validated_data["vacancy"]).first()
        if vacancy is None:
            raise NotFound("No such open vacancy among those you may see.")
        if user.role == Role.SEEKER:
            seeker = SeekerProfile.objects.filter(user=user).first()
            if seeker is None:
                raise NotFound("Your account has no jobseeker profile.")
            make = services.placement_request_introduction
        else:
            seeker_id = data.validated_data.get("seeker")
            if seeker_id is None:
                raise serializers.ValidationError({"seeker": ["Say which seeker (their id)."]})
            seeker = seeker_list_for(user=user).filter(pk=seeker_id).first()
            if seeker is None:
                raise NotFound("No such seeker on your caseload.")
            make = services.placement_propose
        placement = make(seeker=seeker, vacancy=vacancy, by=user, channel="api")
        return Response(self.get_serializer(placement).data, status=status.HTTP_201_CREATED)

    def _act(self, request, action: str):
        placement = self.get_object()
        spec = workflow.ACTIONS[action]
        given = {}
        if spec.input is not None:
            data = spec.input(data=request.data)
            data.is_valid(raise_exception=True)
            given = dict(data.validated_data)
        placement = services.placement_act(
            placement=placement, action=action, by=request.user, channel="api", **given
        )
        placement = self.get_queryset().get(pk=placement.pk)
        return Response(self.get_serializer(placement).data)

    @extend_schema(request=RecordCheckInput, responses=CheckSerializer)
    @action(detail=True, methods=["post"])
    def checks(self, request, pk=None):
        """Record the 13- or 26-week check (the seeker's mentor, or an admin)."""
        placement = self.get_object()
        data = RecordCheckInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        check = placement.checks.filter(week=values.pop("week")).first()
        if check is None:
            raise Conflict(
                "This placement has no such check: checks exist once a start is confirmed."
            )
        check = services.check_record(check=check, by=request.user, channel="api", **values)
        return Response(CheckSerializer(check).data, status=status.HTTP_201_CREATED)


def _action_view(name: str, spec: workflow.Action):
    """The POST endpoint of one workflow action, generated from the table."""

    def view(self, request, pk=None):
        return self._act(request, name)

    view.__name__ = name.replace("-", "_")
    view.__doc__ = (
        f"{spec.name.capitalize()}: from {', '.join(State(s).label.lower() for s in spec.sources)}"
        f" to {State(spec.target).label.lower()}; taken by {spec.parties} (or an admin)."
    )
    view = action(detail=True, methods=["post"], url_path=name)(view)
    return extend_schema(request=spec.input, responses=PlacementSerializer)(view)


for _name, _spec in workflow.ACTIONS.items():
    setattr(PlacementViewSet, _name.replace("-", "_"), _action_view(_name, _spec))


class InvitationSerializer(serializers.Serializer):
    pseudonym = serializers.CharField(max_length=12)


class InvitationView(APIView):
    """An employer invites a candidate of their vacancy, by pseudonym."""

    permission_classes = [roles(Role.EMPLOYER)]

    @extend_schema(request=InvitationSerializer, responses=PlacementSerializer)
    def post(self, request, pk: int):
        vacancy = vacancy_writable_for(user=request.user).filter(pk=pk).first()
        if vacancy is None:
            raise NotFound("No such vacancy among yours.")
        data = InvitationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        candidates = vacancy_candidates(vacancy=vacancy, user=request.user)
        seeker_id = seeker_for_pseudonym(
            employer_id=vacancy.employer_id,
            code=data.validated_data["pseudonym"],
            seeker_ids=candidates.values_list("seeker_id", flat=True),
        )
        if seeker_id is None:
            raise serializers.ValidationError(
                {
                    "pseudonym": [
                        "No candidate of this vacancy has that pseudonym; copy it from "
                        f"vacancies/{vacancy.pk}/candidates/."
                    ]
                }
            )
        placement = services.placement_invite(
            seeker=SeekerProfile.objects.get(pk=seeker_id),
            vacancy=vacancy,
            by=request.user,
            channel="api",
        )
        serializer = placement_serializer_class(request.user)
        body = serializer(placement, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class OutsideJobView(APIView):
    """A mentor (or admin) records a job the seeker found without JobMatch."""

    permission_classes = [roles(Role.MENTOR)]

    @extend_schema(request=OutsideJobInput, responses=OutsideJobInput)
    def post(self, request, pk: int):
        seeker = seeker_list_for(user=request.user).filter(pk=pk).first()
        if seeker is None:
            raise NotFound("No such seeker on your caseload.")
        data = OutsideJobInput(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.outside_job_record(
            seeker=seeker, by=request.user, channel="api", **data.validated_data
        )
        body = {
            **OutsideJobInput(job).data,
            "id": job.pk,
            "checks": CheckSerializer(job.checks.all(), many=True).data,
        }
        return Response(body, status=status.HTTP_201_CREATED)


class OutsideJobCheckView(APIView):
    """A mentor (or admin) records the 13- or 26-week check of an outside job."""

    permission_classes = [roles(Role.MENTOR)]

    @extend_schema(request=RecordCheckInput, responses=CheckSerializer)
    def post(self, request, pk: int, job: int):
        seeker = seeker_list_for(user=request.user).filter(pk=pk).first()
        outside_job = None if seeker is None else seeker.outside_jobs.filter(pk=job).first()
        if outside_job is None:
            raise NotFound("No such outside job for a seeker on your caseload.")
        data = RecordCheckInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        check = outside_job.checks.filter(week=values.pop("week")).first()
        check = services.check_record(check=check, by=request.user, channel="api", **values)
        return Response(CheckSerializer(check).data, status=status.HTTP_201_CREATED)


class CaseloadRowSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    stuck = serializers.BooleanField()
    last_progress = serializers.DateTimeField()
    open_placements = serializers.IntegerField()
    checks_due = serializers.IntegerField()
    working = serializers.BooleanField()
    status = serializers.ChoiceField(choices=CaseloadStatus.choices)

    class Meta:
        model = SeekerProfile
        fields = [
            "id",
            "name",
            "postcode",
            "benefit_group",
            "registered_on",
            "status",
            "stuck",
            "last_progress",
            "open_placements",
            "checks_due",
            "working",
        ]

    def get_name(self, seeker) -> str:
        return seeker.user.get_full_name() or seeker.user.username


class CaseloadView(generics.ListAPIView):
    """The mentor's seekers: stuck first, with checks due this week and open placements.
    Filters: ``?stuck=true``, ``?checks_due=true``."""

    permission_classes = [roles(Role.MENTOR)]
    serializer_class = CaseloadRowSerializer
    queryset = SeekerProfile.objects.none()
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        rows = selectors.caseload_for(user=self.request.user)
        params = self.request.query_params
        if params.get("stuck") in ("true", "1"):
            rows = rows.filter(stuck=True)
        if params.get("checks_due") in ("true", "1"):
            rows = rows.filter(checks_due__gt=0)
        return rows

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        access_log_record(
            actor=request.user,
            subject_ids=[s.user_id for s in page],
            action="read",
            channel="api",
            what="caseload",
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "message", "link", "created_at", "read_at"]


class NotificationList(generics.ListAPIView):
    """The caller's reminders and notices, newest first. ``?unread=true`` for unread only."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        rows = Notification.objects.filter(user=self.request.user)
        if self.request.query_params.get("unread") in ("true", "1"):
            rows = rows.filter(read_at__isnull=True)
        return rows


def register(router) -> None:
    router.register("placements", PlacementViewSet, basename="placement")


urlpatterns = [
    path("vacancies/<int:pk>/invitations/", InvitationView.as_view(), name="api-invitations"),
    path("seekers/<int:pk>/outside-jobs/", OutsideJobView.as_view(), name="api-outside-jobs"),
    path(
        "seekers/<int:pk>/outside-jobs/<int:job>/checks/",
        OutsideJobCheckView.as_view(),
        name="api-outside-job-checks",
    ),
    path("caseload/", CaseloadView.as_view(), name="api-caseload"),
    path("notifications/", NotificationList.as_view(), name="api-notifications"),
]
