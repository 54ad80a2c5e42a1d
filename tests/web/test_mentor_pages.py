"""The mentor's pages: a seeker on the caseload, the profile edited with them, proposing from a
match, recording a check with its evidence, recording a job found elsewhere.

The cast: alice (seeker, on maya's caseload, in town with a forklift skill), bob (employer at
Acme, forklift vacancy in town), maya (mentor), cora (commissioner), root (admin); zoe is a seeker
on mo's caseload, not maya's. Each write goes through the service the API calls; a bad input shows
its message at the field, linked from the error summary, and stores nothing.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import AccessLogEntry, Role
from matching.services import matches_recompute_all
from placements import services
from placements.models import OutcomeCheck, OutsideJob, Placement, State
from tests.conftest import make_user
from tests.factories import (
    TOWN,
    EmployerFactory,
    EmployerMemberFactory,
    SeekerProfileFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db

FORKLIFT = {
    "typed": "forklift",
    "id": "uk:forklift_counterbalance",
    "label": "Counterbalance forklift licence",
}
ROLES = ["seeker", "employer", "mentor", "commissioner", "admin"]


@pytest.fixture
def world(cast):
    acme = EmployerFactory(name="Acme")
    EmployerMemberFactory(user=cast["employer"], employer=acme)
    profile = SeekerProfileFactory(
        user=cast["seeker"],
        mentor=cast["mentor"],
        share_with_employers=True,
        skills=[FORKLIFT],
        travel_modes=["walk"],
        **TOWN,
    )
    mo = make_user("mo", Role.MENTOR)
    zoe = SeekerProfileFactory(
        user=make_user("zoe", Role.SEEKER), mentor=mo, skills=[FORKLIFT], **TOWN
    )
    vacancy = VacancyFactory(employer=acme, title="Forklift driver", skills=[FORKLIFT], **TOWN)
    far = VacancyFactory(
        employer=acme,
        title="Forklift driver in London",
        skills=[FORKLIFT],
        postcode="SW1A 1AA",
        easting=529090,
        northing=179645,
    )
    matches_recompute_all()
    return {**cast, "mo": mo, "profile": profile, "zoe": zoe, "vacancy": vacancy, "far": far}


def _start(world, profile, *, mentor, weeks_ago=14) -> Placement:
    """A placement taken through the services to in_work, started ``weeks_ago`` weeks ago."""
    vacancy = VacancyFactory(
        employer=world["vacancy"].employer, title="Packer", skills=[FORKLIFT], **TOWN
    )
    bob = world["employer"]
    p = services.placement_propose(seeker=profile, vacancy=vacancy, by=mentor, channel="api")
    p = services.placement_act(placement=p, by=mentor, action="accept", channel="api")
    p = services.placement_act(placement=p, by=bob, action="offer", channel="api")
    start = timezone.localdate() - dt.timedelta(weeks=weeks_ago)
    p = services.placement_act(
        placement=p, by=mentor, start_date=start, action="accept-offer", channel="api"
    )
    services.placement_act(placement=p, by=bob, action="confirm-start", channel="api")
    p = services.placement_act(placement=p, by=mentor, action="confirm-start", channel="api")
    assert p.state == State.IN_WORK
    return p


@pytest.fixture
def started(world):
    """alice in work through a placement 14 weeks ago (13-week check due); zoe likewise."""
    mine = _start(world, world["profile"], mentor=world["mentor"])
    theirs = _start(world, world["zoe"], mentor=world["mo"])
    job = services.outside_job_record(
        channel="api",
        seeker=world["profile"],
        by=world["mentor"],
        employer_name="Corner Shop",
        start_date=timezone.localdate() - dt.timedelta(days=10),
        hours_per_week=Decimal("16"),
        evidence="self_reported",
    )
    return {"mine": mine, "theirs": theirs, "job": job}


def _urls(world, started) -> dict[str, str]:
    alice = world["profile"].pk
    return {
        "seeker": f"/caseload/{alice}/",
        "profile": f"/caseload/{alice}/profile/",
        "outside-job": f"/caseload/{alice}/outside-job/",
        "check": f"/placements/{started['mine'].pk}/checks/13/",
        "outside-check": f"/caseload/{alice}/outside-jobs/{started['job'].pk}/checks/13/",
    }


PAGES = ["seeker", "profile", "outside-job", "check", "outside-check"]


# --- who may see what -----------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(world, started, client, page, role):
    client.force_login(world[role])
    status = client.get(_urls(world, started)[page]).status_code
    assert status == (200 if role in ("mentor", "admin") else 403)


@pytest.mark.parametrize("role", ["seeker", "employer", "commissioner"])
def test_other_roles_cannot_post(world, started, client, role):
    client.force_login(world[role])
    urls = _urls(world, started)
    posts = [
        urls["profile"],
        urls["outside-job"],
        urls["check"],
        urls["outside-check"],
        f"/caseload/{world['profile'].pk}/propose/{world['vacancy'].pk}/",
    ]
    for url in posts:
        assert client.post(url, {"week": "13", "result": "unknown"}).status_code == 403, url
    assert not Placement.objects.filter(vacancy=world["vacancy"]).exists()
    assert OutsideJob.objects.count() == 1 and not OutcomeCheck.objects.exclude(result="").exists()


def test_signed_out_visitors_go_to_sign_in(world, started, client):
    urls = _urls(world, started)
    for url in [*urls.values(), f"/caseload/{world['profile'].pk}/propose/1/"]:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302 and response["Location"].startswith(
                "/accounts/login/?next="
            ), url


def test_a_seeker_outside_the_caseload_is_a_404(world, started, client):
    client.force_login(world["mentor"])
    zoe = world["zoe"].pk
    for url in [
        f"/caseload/{zoe}/",
        f"/caseload/{zoe}/profile/",
        f"/caseload/{zoe}/outside-job/",
        f"/placements/{started['theirs'].pk}/checks/13/",
        f"/caseload/{world['profile'].pk}/outside-jobs/{started['job'].pk + 99}/checks/13/",
        "/caseload/999999/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/caseload/{zoe}/propose/{world['vacancy'].pk}/").status_code == 404
    form = {"employer_name": "X", "start_date": "2025-01-01", "hours_per_week": "10"}
    assert client.post(f"/caseload/{zoe}/outside-job/", form).status_code == 404
    assert client.post(f"/caseload/{zoe}/profile/", {"postcode": "S70 2TA"}).status_code == 404
    answer = {"week": "13", "result": "unknown", "evidence": "self_reported"}
    assert client.post(f"/placements/{started['theirs'].pk}/checks/13/", answer).status_code == 404
    assert not Placement.objects.filter(seeker=world["zoe"], state=State.PROPOSED).exists()
    assert not OutcomeCheck.objects.exclude(result="").exists()
    # an admin sees everyone
    client.force_login(world["admin"])
    assert client.get(f"/caseload/{zoe}/").status_code == 200


# --- the caseload and the seeker's page ------------------------------------------------------


def test_caseload_links_each_row_and_filters_checks_due(world, client):
    client.force_login(world["mentor"])
    page = client.get("/caseload/").content.decode()
    assert f'href="/caseload/{world["profile"].pk}/"' in page
    assert "Checks due this week" in page and "Open placements" in page
    assert "alice" not in client.get("/caseload/?show=checks_due").content.decode()
    _start(world, world["profile"], mentor=world["mentor"])  # its 13-week check is due
    assert "alice" in client.get("/caseload/?show=checks_due").content.decode()
    assert "alice" in client.get("/caseload/?checks_due=1").content.decode()


def test_seeker_page_shows_everything_and_is_access_logged(world, started, client):
    client.force_login(world["mentor"])
    text = client.get(f"/caseload/{world['profile'].pk}/").content.decode()
    assert "S70 2TA" in text and "forklift" in text  # the profile
    assert f'href="/caseload/{world["profile"].pk}/profile/"' in text
    assert "Forklift driver at Acme" in text  # a match, with its button
    assert f'action="/caseload/{world["profile"].pk}/propose/{world["vacancy"].pk}/"' in text
    assert "Packer at Acme: In work" in text  # a placement with its state and history
    assert "Start to be confirmed, by maya" in text
    assert f'href="/placements/{started["mine"].pk}/end/' in text  # the action allowed now
    assert f'href="/placements/{started["mine"].pk}/checks/13/"' in text
    assert "Due now" in text  # the 13-week check is due
    assert "Corner Shop" in text  # the job found elsewhere, and its checks
    assert f"/outside-jobs/{started['job'].pk}/checks/26/" in text
    assert AccessLogEntry.objects.filter(
        actor=world["mentor"],
        subject=world["seeker"],
        action="read",
        channel="web",
        what="seeker page",
    ).exists()


# --- proposing a placement from a match ------------------------------------------------------


def test_mentor_proposes_a_match(world, client):
    client.force_login(world["mentor"])
    url = f"/caseload/{world['profile'].pk}/propose/{world['vacancy'].pk}/"
    page = client.post(url, follow=True).content.decode()
    assert "Proposed Forklift driver at Acme" in page
    placement = Placement.objects.get(seeker=world["profile"], vacancy=world["vacancy"])
    assert placement.state == State.PROPOSED
    assert placement.history.get().by == world["mentor"]
    again = client.post(url, follow=True).content.decode()
    assert "already an open placement" in again
    assert Placement.objects.filter(seeker=world["profile"]).count() == 1
    far = client.post(
        f"/caseload/{world['profile'].pk}/propose/{world['far'].pk}/", follow=True
    ).content.decode()
    assert "is not a match for this jobseeker" in far
    assert not Placement.objects.filter(vacancy=world["far"]).exists()
    assert client.get(url).status_code == 302  # GET does nothing


# --- a job found elsewhere -------------------------------------------------------------------

GOOD_JOB = {
    "employer_name": "Barnsley Bakery",
    "start_date": "2025-11-03",
    "end_date": "",
    "hours_per_week": "20",
    "evidence": "mentor_verified",
}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"start_date": "2999-01-01"}, "start_date", "The start is in the future."),
        ({"end_date": "2025-10-01"}, "end_date", "The end is before the start."),
        ({"hours_per_week": "0"}, "hours_per_week", "must be between 1 and 80"),
        ({"hours_per_week": "81"}, "hours_per_week", "must be between 1 and 80"),
        ({"hours_per_week": "lots"}, "hours_per_week", "as a number"),
        ({"start_date": "3 Nov"}, "start_date", "as a real date"),
        ({"employer_name": ""}, "employer_name", "Enter the employer&#x27;s name."),
        ({"evidence": ""}, "evidence", "Select the evidence you saw."),
    ],
)
def test_outside_job_errors_at_the_field(world, client, change, field, message):
    client.force_login(world["mentor"])
    response = client.post(f"/caseload/{world['profile'].pk}/outside-job/", GOOD_JOB | change)
    text = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in text and f'href="#id_{field}"' in text
    assert f'id="id_{field}-error"' in text and message in text
    assert not OutsideJob.objects.exists()


def test_outside_job_is_recorded_through_the_service(world, client):
    client.force_login(world["mentor"])
    services.placement_propose(
        seeker=world["profile"], vacancy=world["vacancy"], by=world["mentor"], channel="api"
    )
    response = client.post(f"/caseload/{world['profile'].pk}/outside-job/", GOOD_JOB, follow=True)
    assert "The job at Barnsley Bakery is recorded" in response.content.decode()
    job = OutsideJob.objects.get()
    assert (job.seeker, job.hours_per_week, job.recorded_by) == (
        world["profile"],
        Decimal("20"),
        world["mentor"],
    )
    assert sorted(job.checks.values_list("week", flat=True)) == [13, 26]
    # the service closed the open placement, as the API's endpoint would
    assert Placement.objects.get(vacancy=world["vacancy"]).state == State.CLOSED_STARTED_ELSEWHERE
    assert AccessLogEntry.objects.filter(
        actor=world["mentor"], action="change", channel="web", what="outside job"
    ).exists()


# --- checks ---------------------------------------------------------------------------------

GOOD_CHECK = {
    "week": "13",
    "result": "in_work",
    "evidence": "employer_confirmed",
    "hours_per_week": "37.5",
    "note": "Payslip seen",
}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"week": "14"}, "week", "Select which check this is from the list."),
        ({"result": ""}, "result", "Select whether they are in work."),
        ({"evidence": "rumour"}, "evidence", "Select the evidence you saw from the list."),
        ({"hours_per_week": "81"}, "hours_per_week", "must be between 0 and 80"),
        ({"hours_per_week": ""}, "hours_per_week", "Give the hours a week"),  # the service's rule
    ],
)
def test_check_errors_at_the_field(world, started, client, change, field, message):
    client.force_login(world["mentor"])
    response = client.post(f"/placements/{started['mine'].pk}/checks/13/", GOOD_CHECK | change)
    text = response.content.decode()
    assert response.status_code in (400, 409)
    assert "There is a problem" in text and f'href="#id_{field}"' in text
    assert f'id="id_{field}-error"' in text and message in text
    assert not OutcomeCheck.objects.exclude(result="").exists()


def test_a_check_that_does_not_exist_is_a_404(world, started, client):
    client.force_login(world["mentor"])
    proposed = services.placement_propose(
        seeker=world["profile"], vacancy=world["vacancy"], by=world["mentor"], channel="api"
    )
    url = f"/placements/{proposed.pk}/checks/13/"  # no start yet, so no checks
    assert client.get(url).status_code == 404
    assert client.post(url, GOOD_CHECK).status_code == 404
    assert client.get(f"/placements/{started['mine'].pk}/checks/99/").status_code == 404
    assert not OutcomeCheck.objects.exclude(result="").exists()


def test_check_is_recorded_through_the_service(world, started, client):
    client.force_login(world["mentor"])
    url = f"/placements/{started['mine'].pk}/checks/13/"
    assert b"Due " in client.get(url).content
    response = client.post(url, GOOD_CHECK, follow=True)
    assert "The 13-week check is recorded" in response.content.decode()
    check = started["mine"].checks.get(week=13)
    assert (check.result, check.evidence, check.hours_per_week, check.recorded_by) == (
        "in_work",
        "employer_confirmed",
        Decimal("37.5"),
        world["mentor"],
    )
    assert check.note == "Payslip seen"
    assert AccessLogEntry.objects.filter(
        actor=world["mentor"], action="change", channel="web", what__startswith="13-week check"
    ).exists()


def test_outside_job_check_is_recorded(world, started, client):
    client.force_login(world["mentor"])
    url = f"/caseload/{world['profile'].pk}/outside-jobs/{started['job'].pk}/checks/26/"
    answer = {"week": "26", "result": "not_in_work", "evidence": "self_reported"}
    assert client.post(url, answer).status_code == 302
    check = started["job"].checks.get(week=26)
    assert (check.result, check.recorded_by) == ("not_in_work", world["mentor"])


# --- the profile, edited with them ------------------------------------------------------------

PROFILE = {
    "postcode": "s70 2ta",
    "skills": "forklift, customer service",
    "desired_titles": "warehouse operative",
    "travel_modes": ["walk", "public_transport"],
    "max_travel_minutes": "40",
    "hours_min": "16",
    "hours_max": "37",
    "share_with_employers": "yes",
    "benefit_group": "esa_new",
    "registered_on": "2025-06-02",
}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"postcode": "BT1 1AA"}, "postcode", "Northern Ireland postcodes are not supported"),
        ({"postcode": "NOT A CODE"}, "postcode", "does not look like a UK postcode"),
        ({"hours_min": "40"}, "hours_min", "more than the most hours"),
        ({"hours_max": "60"}, "hours_max", "The most hours a week must be between 1 and 48."),
        ({"hours_min": "x"}, "hours_min", "the fewest hours a week as a whole number"),
        ({"registered_on": "2999-01-01"}, "registered_on", "cannot be in the future"),
        ({"benefit_group": "lottery"}, "benefit_group", "Select the benefit group from the list."),
        ({"registered_on": "2 June"}, "registered_on", "the registration date as a real date"),
    ],
)
def test_profile_with_them_errors_at_the_field(world, client, change, field, message):
    client.force_login(world["mentor"])
    before = world["profile"].updated_at
    response = client.post(f"/caseload/{world['profile'].pk}/profile/", PROFILE | change)
    text = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in text and f'href="#id_{field}"' in text and message in text
    world["profile"].refresh_from_db()
    assert world["profile"].updated_at == before and world["profile"].benefit_group == (
        "uc_searching"
    )


def test_profile_with_them_saves_through_the_service(world, client):
    client.force_login(world["mentor"])
    url = f"/caseload/{world['profile'].pk}/profile/"
    page = client.get(url).content.decode()
    assert "Profile of alice" in page and 'id="id_benefit_group"' in page
    assert 'id="id_registered_on"' in page
    saved = client.post(url, PROFILE, follow=True).content.decode()
    assert "The profile of alice is saved" in saved
    p = world["profile"]
    p.refresh_from_db()
    assert (p.postcode, p.benefit_group, p.registered_on, p.hours_min) == (
        "S70 2TA",
        "esa_new",
        dt.date(2025, 6, 2),
        16,
    )
    assert p.travel_modes == ["walk", "public_transport"]
    logged = AccessLogEntry.objects.filter(actor=world["mentor"], subject=world["seeker"])
    assert logged.filter(action="read", channel="web", what="profile").exists()
    assert logged.filter(action="change", channel="web", what__contains="benefit_group").exists()


def test_the_seeker_cannot_set_the_mentors_fields(world, client):
    client.force_login(world["seeker"])
    page = client.get("/profile/").content.decode()
    assert 'id="id_benefit_group"' not in page
    response = client.post("/profile/", PROFILE, follow=True)
    assert b"Your profile is saved" in response.content
    world["profile"].refresh_from_db()
    assert world["profile"].benefit_group == "uc_searching"
    assert world["profile"].registered_on != dt.date(2025, 6, 2)


# --- CSRF ------------------------------------------------------------------------------------


def test_every_form_needs_its_csrf_token(world, started):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["mentor"])
    urls = _urls(world, started)
    posts = {
        urls["profile"]: PROFILE,
        urls["outside-job"]: GOOD_JOB,
        urls["check"]: GOOD_CHECK,
        urls["outside-check"]: GOOD_CHECK,
        f"/caseload/{world['profile'].pk}/propose/{world['vacancy'].pk}/": {},
    }
    for url, form in posts.items():
        assert client.post(url, form).status_code == 403, url
    assert not Placement.objects.filter(vacancy=world["vacancy"]).exists()
    assert OutsideJob.objects.count() == 1
    assert not OutcomeCheck.objects.exclude(result="").exists()
    world["profile"].refresh_from_db()
    assert world["profile"].benefit_group == "uc_searching"
    # and with the token from the page, the form works
    page = client.get(urls["outside-job"])
    token = page.context["csrf_token"]
    response = client.post(urls["outside-job"], GOOD_JOB | {"csrfmiddlewaretoken": str(token)})
    assert response.status_code == 302 and OutsideJob.objects.count() == 2


def test_caseload_finds_someone_by_name_or_postcode_within_the_caseload_only(client, maya, db):
    from tests.conftest import make_user
    from tests.factories import SeekerProfileFactory

    mine = SeekerProfileFactory(user=make_user("zara", "seeker", first_name="Zara"), mentor=maya)
    SeekerProfileFactory(user=make_user("zak", "seeker", first_name="Zara"))  # someone else's
    client.force_login(maya)
    page = client.get("/caseload/", {"q": "zar"}).content.decode()
    assert f"/caseload/{mine.pk}/" in page and "zak" not in page
    by_postcode = client.get("/caseload/", {"q": mine.postcode.lower()}).content.decode()
    assert f"/caseload/{mine.pk}/" in by_postcode
    nobody = client.get("/caseload/", {"q": "nobody-like-this"}).content.decode()
    assert "Nobody on your caseload matches" in nobody


def test_caseload_pages_keep_the_search_and_filter(client, maya, db):
    from tests.conftest import make_user
    from tests.factories import SeekerProfileFactory

    for n in range(27):
        SeekerProfileFactory(
            user=make_user(f"pat{n:02d}", "seeker", last_name="Smith & Co"), mentor=maya
        )
    client.force_login(maya)
    first = client.get("/caseload/", {"q": "smith & co"}).content.decode()
    assert 'href="?show=&amp;q=smith%20%26%20co&amp;page=2"' in first and 'rel="next"' in first
    second = client.get("/caseload/", {"q": "smith & co", "page": "2"}).content.decode()
    import re

    assert len(set(re.findall(r'href="/caseload/(\d+)/"', second))) == 2  # 27 = 25 + 2
    assert 'rel="prev"' in second and 'rel="next"' not in second
