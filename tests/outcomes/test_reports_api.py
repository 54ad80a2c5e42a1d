"""The commissioners' report through the API: who may read it, its formats, and that it holds
no record that identifies a person.

The cast: cora (commissioner) and root (admin) may read it; alice (seeker), bob (employer) and
maya (mentor) may not. A few dozen seekers registered two years ago, some of whom found work.
"""

import datetime as dt

import pytest
from django.core.management import call_command

from placements.models import OutsideJob
from tests.factories import SeekerProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(cast):
    two_years_ago = dt.date.today() - dt.timedelta(days=800)
    profiles = [
        SeekerProfileFactory(registered_on=two_years_ago, benefit_group="uc_searching")
        for _ in range(40)
    ]
    for profile in profiles[:12]:
        OutsideJob.objects.create(
            seeker=profile,
            employer_name="Town Bakery",
            start_date=two_years_ago + dt.timedelta(days=30),
            end_date=two_years_ago + dt.timedelta(days=300),
            hours_per_week=20,
            evidence="mentor_verified",
        )
    return profiles


@pytest.mark.parametrize(
    "role,status",
    [
        ("commissioner", 200),
        ("admin", 200),
        ("seeker", 403),
        ("employer", 403),
        ("mentor", 403),
    ],
)
def test_report_access_by_role(history, cast, as_user, role, status):
    client = as_user(cast[role])
    assert client.get("/api/v1/reports/outcomes/").status_code == status
    assert client.get("/api/v1/reports/outcomes/chart.svg").status_code == status


def test_report_holds_aggregates_only(history, as_user, cora):
    body = as_user(cora).get("/api/v1/reports/outcomes/?grouping=year").json()
    assert body["grouping"] == "year" and body["rules"] and body["work_programme"]
    text = str(body)
    for profile in history[:5]:
        assert profile.user.username not in text
    row = next(
        r
        for r in body["rows"]
        if r["group"] == "uc_searching" and r["registered"]["value"] is not None
    )
    assert row["registered"]["shown"] == "40"


def test_report_as_csv_and_chart(history, as_user, cora):
    client = as_user(cora)
    response = client.get("/api/v1/reports/outcomes/?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header = response.content.decode().splitlines()[0]
    assert "cohort" in header and "group" in header
    svg = client.get("/api/v1/reports/outcomes/chart.svg")
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in svg.content and b"<title" in svg.content


def test_bad_grouping_is_a_400(history, as_user, cora):
    response = as_user(cora).get("/api/v1/reports/outcomes/?grouping=week")
    assert response.status_code == 400 and "grouping" in response.json()["errors"]


def test_management_command_prints_the_table(history, capsys):
    call_command("outcomes_report", format="table", grouping="year")
    out = capsys.readouterr().out
    assert "cohort" in out and "uc_searching" in out
