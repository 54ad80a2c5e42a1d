"""``employers/`` and ``vacancies/``."""

from __future__ import annotations

import django_filters
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Role
from api.permissions import IsEmployer, IsStaff
from employers import services
from employers.models import Employer, Vacancy
from employers.selectors import (
    EMPLOYER_REQUIRED,
    employer_for_new_vacancy,
    employer_list_for,
    vacancy_list_for,
    vacancy_writable_for,
)
from employers.serializers import VacancySerializer
from jobmatch.errors import DomainError


class EmployerNameSerializer(serializers.ModelSerializer):
    """What a seeker sees of an employer: its name."""

    class Meta:
        model = Employer
        fields = ["id", "name"]


class EmployerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Employer
        fields = ["id", "name", "created_at"]
        read_only_fields = ["created_at"]


class EmployerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Employer organisations. Admins create them; an employer edits its own."""

    queryset = Employer.objects.none()  # for the schema; requests use the selector
    filterset_fields = {"name": ["icontains"]}
    ordering_fields = ["name", "id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return employer_list_for(user=self.request.user)

    def get_serializer_class(self):
        if getattr(self.request.user, "role", None) == Role.SEEKER:
            return EmployerNameSerializer
        return EmployerSerializer

    def get_permissions(self):
        if self.action == "create":
            return [IsStaff()]
        if self.action in ("update", "partial_update"):
            return [IsEmployer()]
        return super().get_permissions()

    def perform_create(self, serializer):
        serializer.instance = services.employer_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.employer_update(
            employer=serializer.instance, **serializer.validated_data
        )


class VacancyFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Vacancy
        fields = ["status", "contract_type", "employer", "remote", "requires_driving_licence"]


class VacancyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Vacancies. Employers post and manage their organisation's; everyone else reads. The
    rules about the values (the postcode located, the wage floor, the statuses an employer sets,
    the employer kept) are the service's."""

    queryset = Vacancy.objects.none()  # for the schema; requests use the selectors
    serializer_class = VacancySerializer
    filterset_class = VacancyFilter
    ordering_fields = ["posted_on", "closing_date", "wage_per_hour", "id"]

    def get_permissions(self):
        if self.action in ("create", "update", "partial_update", "close"):
            return [IsEmployer()]
        return super().get_permissions()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        user = self.request.user
        if self.action in ("update", "partial_update", "close"):
            return vacancy_writable_for(user=user)
        return vacancy_list_for(user=user)

    def perform_create(self, serializer):
        user = self.request.user
        data = dict(serializer.validated_data)
        try:
            employer = employer_for_new_vacancy(user=user, requested=data.pop("employer", None))
        except DomainError as error:
            if error.code == EMPLOYER_REQUIRED:  # reported on the field, as a validation error
                raise serializers.ValidationError({"employer": [error.message]}) from None
            raise
        serializer.instance = services.vacancy_create(employer=employer, by=user, data=data)

    def perform_update(self, serializer):
        serializer.instance = services.vacancy_update(
            vacancy=serializer.instance, by=self.request.user, data=dict(serializer.validated_data)
        )

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        vacancy = services.vacancy_close(vacancy=self.get_object(), by=request.user)
        return Response(VacancySerializer(vacancy).data)


def register(router) -> None:
    router.register("employers", EmployerViewSet, basename="employer")
    router.register("vacancies", VacancyViewSet, basename="vacancy")
