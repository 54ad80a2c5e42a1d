"""How a vacancy is read and sent, for the API and the pages alike: the shape of each field (the
rules about the values, such as the wage floor, are ``employers.services``')."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from rest_framework import serializers

from employers import services
from employers.models import ContractType, Employer, Vacancy
from matching.inputs import PostcodeField, SkillsField, SkillsOfferedField
from matching.texts import vacancy_text


class VacancySerializer(serializers.ModelSerializer):
    employer = serializers.PrimaryKeyRelatedField(queryset=Employer.objects.all(), required=False)
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    skills = SkillsField()
    essential_skills = SkillsField()
    skills_offered = SkillsOfferedField(
        text_of=lambda v: vacancy_text(v) if (v.description or "").strip() else "",
        held_of=lambda v: [*v.skills, *v.essential_skills],
    )
    postcode = PostcodeField()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    hours_per_week = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=48,
        error_messages={
            "min_value": "Hours must be more than 0.",
            "max_value": "Hours must be at most 48 a week.",
        },
    )
    wage_per_hour = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=Decimal("0.01")
    )
    positions = serializers.IntegerField(
        min_value=1,
        max_value=500,
        required=False,
        error_messages={"min_value": "A vacancy needs at least 1 position."},
    )
    contract_type = serializers.ChoiceField(choices=ContractType.choices)
    status = serializers.ChoiceField(choices=services.SETTABLE_STATUSES, required=False)

    class Meta:
        model = Vacancy
        fields = [
            "id",
            "employer",
            "employer_name",
            "title",
            "description",
            "skills",
            "skills_offered",
            "essential_skills",
            "postcode",
            "remote",
            "hours_per_week",
            "contract_type",
            "wage_per_hour",
            "positions",
            "requires_driving_licence",
            "closing_date",
            "status",
            "posted_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["posted_on", "created_at", "updated_at"]

    def validate_closing_date(self, value):
        # Checked against today only when it is set or changed.
        unchanged = self.instance is not None and self.instance.closing_date == value
        if value is not None and not unchanged and value < timezone.localdate():
            raise serializers.ValidationError(
                f"The closing date {value:%-d %B %Y} has passed; choose today or a later date."
            )
        return value
