"""``auth/register/``, ``seekers/``, ``seekers/me/``, ``seekers/me/export/``."""

from __future__ import annotations

import django_filters
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access_log import access_log_record
from accounts.models import Role
from accounts.throttles import SignInThrottle
from api.permissions import IsSeeker, roles
from jobmatch.errors import NotFound
from seekers import services
from seekers.access import access_seeker
from seekers.export import export_for
from seekers.models import SeekerProfile
from seekers.selectors import seeker_editable_for, seeker_list_for
from seekers.serializers import RegisterSerializer, SeekerProfileSerializer


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
        self._log_reads([serializer.instance], "profile")  # the answer shows the whole profile


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


def register(router) -> None:
    router.register("seekers", SeekerViewSet, basename="seeker")


urlpatterns = [
    path("auth/register/", RegisterView.as_view(), name="api-register"),
    path("seekers/me/", SeekerMeView.as_view(), name="api-seeker-me"),
    path("seekers/me/export/", ExportView.as_view(), name="api-seeker-export"),
]
