"""Jobs found elsewhere are read-only in the admin (a mentor records them on the seeker's page,
through the service that creates their checks), and opening one is a logged read."""

import datetime as dt

import pytest

from accounts.models import AccessLogEntry
from placements import services
from tests.factories import SeekerProfileFactory

pytestmark = pytest.mark.django_db


def test_an_outside_job_is_read_only_and_its_reads_are_logged(client, root, alice, maya):
    seeker = SeekerProfileFactory(user=alice, mentor=maya)
    job = services.outside_job_record(
        seeker=seeker,
        by=maya,
        employer_name="Corner shop",
        start_date=dt.date.today(),
        hours_per_week=16,
        evidence="mentor_verified",
        channel="api",
    )
    client.force_login(root)
    url = f"/admin/placements/outsidejob/{job.pk}/change/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"employer_name": "Somewhere else"}).status_code == 403
    job.refresh_from_db()
    assert job.employer_name == "Corner shop"
    assert AccessLogEntry.objects.filter(actor=root, action="read", what="outside job").exists()
    assert client.get("/admin/placements/outsidejob/add/").status_code == 403
