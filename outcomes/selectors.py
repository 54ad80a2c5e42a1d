"""Feed the plain-Python outcome rules (``rules.py``) and report (``report.py``) from the
database: one query per kind of row, converted once. No person is identified in the output."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from outcomes import report
from outcomes import rules as outcomes
from placements.models import OutcomeCheck, OutsideJob, Placement, State
from seekers.models import SeekerProfile


def outcome_inputs(*, as_of: dt.date):
    """Return (seekers, spells, checks) as the outcome rules' plain dataclasses."""
    seekers = [
        outcomes.Registration(id=pk, registered_on=registered_on, benefit_group=group)
        for pk, registered_on, group in SeekerProfile.objects.exclude(registration_benefit_group="")
        .filter(registered_on__lte=as_of)
        .values_list("pk", "registered_on", "registration_benefit_group")
    ]
    spells = [
        outcomes.Spell(
            id=f"placement:{pk}", seeker_id=seeker_id, kind="placement", start=start, end=end
        )
        for pk, seeker_id, start, end in Placement.objects.filter(
            state__in=[State.IN_WORK, State.ENDED], start_date__isnull=False
        ).values_list("pk", "seeker_id", "start_date", "end_date")
    ]
    spells += [
        outcomes.Spell(
            id=f"outside:{pk}", seeker_id=seeker_id, kind="outside", start=start, end=end
        )
        for pk, seeker_id, start, end in OutsideJob.objects.values_list(
            "pk", "seeker_id", "start_date", "end_date"
        )
    ]
    checks = [
        outcomes.Check(
            spell_id=f"placement:{placement_id}" if placement_id else f"outside:{outside_id}",
            due=due,
            result=result or None,
            evidence=evidence or None,
            recorded_on=timezone.localdate(recorded_at) if recorded_at else None,
            hours=float(hours) if hours is not None else None,
        )
        for placement_id, outside_id, due, result, evidence, recorded_at, hours in (
            OutcomeCheck.objects.values_list(
                "placement_id",
                "outside_job_id",
                "due_on",
                "result",
                "evidence",
                "recorded_at",
                "hours_per_week",
            )
        )
    ]
    return seekers, spells, checks


def outcomes_report(*, grouping: str = "quarter", as_of: dt.date | None = None) -> dict:
    """Return the commissioners' report (aggregates only, publication rules applied)."""
    as_of = as_of or timezone.localdate()
    seekers, spells, checks = outcome_inputs(as_of=as_of)
    derived = outcomes.derive(seekers, spells, checks, as_of=as_of)
    body = report.build_report(derived, seekers, grouping=grouping, as_of=as_of)
    unrecorded = SeekerProfile.objects.filter(
        registration_benefit_group="", registered_on__lte=as_of
    ).count()
    if unrecorded:
        shown = "<10" if unrecorded < 10 else str(report.round_count(unrecorded))
        body.setdefault("notes", []).append(
            f"{shown} seekers have no benefit group recorded and are not in this report."
        )
    return body
