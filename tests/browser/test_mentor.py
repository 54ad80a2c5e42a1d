"""The mentor's journey in a real browser: the caseload, a seeker's page, proposing a match,
recording a job found elsewhere (a wrong input first), recording its check, and the profile
edited with them. Every page is checked with axe and for horizontal scroll at 360 px.

The cast (``town``): alice is on maya's caseload with a forklift match at bob's Acme.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from placements.models import OutcomeCheck, OutsideJob, Placement, State

from .conftest import check_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [360, 1280])
def test_mentor_works_with_a_seeker(town, page_at, live_server, width):
    page = page_at(width, "maya", "pw-maya-2026")
    assert page.url.endswith("/caseload/")
    page.get_by_role("link", name="alice").click()
    assert "Jobseeker on your caseload" in page.inner_text("main")
    assert "Forklift driver at Acme" in page.inner_text("#main-content")
    check_page(page, "mentor-seeker")

    page.get_by_role("button", name=re.compile("^Propose Forklift driver at Acme")).click()
    main = page.inner_text("main")
    assert "Proposed Forklift driver at Acme to alice" in main
    assert "Forklift driver at Acme: Proposed" in main
    assert Placement.objects.get(vacancy=town["vacancy"]).state == State.PROPOSED
    check_page(page, "mentor-seeker-proposed")

    page.get_by_role("button", name="Record a job found elsewhere").click()
    page.fill("#id_employer_name", "Barnsley Bakery")
    page.fill("#id_start_date", (timezone.localdate() + dt.timedelta(days=30)).isoformat())
    page.fill("#id_hours_per_week", "20")
    page.get_by_label("Verified by the mentor").check()
    page.get_by_role("button", name="Record the job").click()
    summary = page.inner_text(".govuk-error-summary")
    assert "The start is in the future." in summary
    page.locator("#id_start_date-error").wait_for(state="visible")
    assert not OutsideJob.objects.exists()
    check_page(page, "mentor-outside-job-error")
    page.click(".govuk-error-summary a[href='#id_start_date']")
    started = timezone.localdate() - dt.timedelta(weeks=14)
    page.fill("#id_start_date", started.isoformat())
    page.get_by_role("button", name="Record the job").click()
    main = page.inner_text("main")
    assert "The job at Barnsley Bakery is recorded" in main
    assert "Closed: started another job" in main  # the service closed the proposal
    check_page(page, "mentor-seeker-outside-job")

    page.get_by_role(
        "link", name="Record the 13-week check: Barnsley Bakery (found elsewhere)"
    ).click()
    check_page(page, "mentor-check")
    page.get_by_label("In work", exact=True).check()
    page.get_by_label("Confirmed by the employer").check()
    page.fill("#id_hours_per_week", "20")
    page.get_by_role("button", name="Record the check").click()
    assert "The 13-week check is recorded" in page.inner_text("main")
    check = OutcomeCheck.objects.get(outside_job__employer_name="Barnsley Bakery", week=13)
    assert (check.result, check.evidence) == ("in_work", "employer_confirmed")

    page.get_by_role("link", name="Edit the profile with alice").click()
    assert "Profile of alice" in page.inner_text("h1")
    check_page(page, "mentor-profile")
    page.goto(live_server.url + "/caseload/?show=checks_due")
    check_page(page, "mentor-caseload-checks-due")
