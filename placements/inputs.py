"""What each placement action asks of the person taking it, as one serializer per kind of input.

The API and the pages both validate with these (the workflow table names which one each action
takes), so a date or a reason is checked the same way wherever it is typed."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from placements.models import CheckResult, DeclineReason, Evidence

DATE_ERRORS = {
    "invalid": "Enter the date as year-month-day, for example 2026-12-01.",
    "required": "Enter the date, for example 2026-12-01.",
    "null": "Enter the date, for example 2026-12-01.",
}


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class RejectInput(serializers.Serializer):
    reason = serializers.ChoiceField(choices=DeclineReason.choices)
    text = serializers.CharField(max_length=500, required=False, allow_blank=True)


class AcceptOfferInput(serializers.Serializer):
    start_date = serializers.DateField(error_messages=DATE_ERRORS)


class EndInput(serializers.Serializer):
    end_date = serializers.DateField(error_messages=DATE_ERRORS)
    reason = serializers.CharField(max_length=500)


class RecordCheckInput(serializers.Serializer):
    week = serializers.ChoiceField(choices=[13, 26])
    result = serializers.ChoiceField(choices=CheckResult.choices)
    evidence = serializers.ChoiceField(choices=Evidence.choices)
    hours_per_week = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=80, required=False, allow_null=True
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class OutsideJobInput(serializers.Serializer):
    employer_name = serializers.CharField(max_length=200)
    start_date = serializers.DateField(error_messages=DATE_ERRORS)
    end_date = serializers.DateField(required=False, allow_null=True, error_messages=DATE_ERRORS)
    hours_per_week = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=1, max_value=80
    )
    evidence = serializers.ChoiceField(choices=Evidence.choices)

    def validate(self, attrs):
        if attrs["start_date"] > timezone.localdate():
            raise serializers.ValidationError({"start_date": ["The start is in the future."]})
        if attrs.get("end_date") and attrs["end_date"] < attrs["start_date"]:
            raise serializers.ValidationError({"end_date": ["The end is before the start."]})
        return attrs
