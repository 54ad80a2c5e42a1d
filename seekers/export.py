"""Everything JobMatch holds about a person, for their download and ``seekers/me/export/``."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import AccessLogEntry
from matching.selectors import seeker_matches
from seekers.models import SeekerProfile
from seekers.serializers import SeekerProfileSerializer


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
