"""The pages each role uses, with the API's visibility: the wrong role gets a 403, a record out of
scope a 404, and a visitor who is not signed in goes to the sign-in page.

The cast: alice (seeker, on maya's caseload, consenting), bob (employer at Acme, which has a
forklift vacancy in town), maya (mentor), cora (commissioner), root (admin); eve works for Bolt.
"""

import pytest

from accounts.models import AccessLogEntry
from matching.pseudonyms import pseudonym
from tests.factories import TOWN

pytestmark = pytest.mark.django_db

PAGES = {
    "matches": ("/matches/", {"seeker", "admin"}),
    "placements": ("/placements/", {"seeker", "admin"}),
    "caseload": ("/caseload/", {"mentor", "admin"}),
    "vacancies": ("/vacancies/", {"employer", "admin"}),
    "report": ("/report/", {"commissioner", "admin"}),
}
ROLES = ["seeker", "employer", "mentor", "commissioner", "admin"]


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(world, client, page, role):
    url, allowed = PAGES[page]
    client.force_login(world[role])
    response = client.get(url)
    if role not in allowed:
        assert response.status_code == 403
    elif role == "admin" and page in ("matches", "placements"):
        assert response.status_code == 404  # an admin has no jobseeker profile
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("page", sorted(PAGES))
def test_signed_out_visitors_go_to_sign_in(client, db, page):
    response = client.get(PAGES[page][0])
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize(
    "role,target",
    [
        ("seeker", "/matches/"),
        ("mentor", "/caseload/"),
        ("employer", "/vacancies/"),
        ("commissioner", "/report/"),
    ],
)
def test_home_sends_each_role_to_its_place(world, client, role, target):
    client.force_login(world[role])
    assert client.get("/").url == target


def test_seeker_sees_matches_with_reasons_and_why_not(world, client):
    client.force_login(world["seeker"])
    page = client.get("/matches/").content.decode()
    assert "Forklift driver" in page and "Travel times are estimates" in page
    assert "Worked out just now." in page  # not "0 minutes ago"
    why = client.get(f"/matches/{world['far'].pk}/").content.decode()
    assert "Why this job is not a match" in why and "min" in why


def test_employer_sees_candidates_by_reference_only(world, client):
    client.force_login(world["employer"])
    page = client.get(f"/vacancies/{world['vacancy'].pk}/candidates/").content.decode()
    assert (
        pseudonym(employer_id=world["vacancy"].employer_id, seeker_id=world["profile"].pk) in page
    )
    assert "alice" not in page and TOWN["postcode"] not in page
    assert AccessLogEntry.objects.filter(actor=world["employer"], channel="web").exists()
    assert client.get(f"/vacancies/{world['far'].pk}/candidates/").status_code == 404


def test_mentor_caseload_page_is_access_logged(world, client):
    client.force_login(world["mentor"])
    assert "alice" in client.get("/caseload/").content.decode().lower()
    assert AccessLogEntry.objects.filter(
        actor=world["mentor"], channel="web", what="caseload"
    ).exists()


def test_report_page_shows_rules_chart_and_csv_link(world, client):
    client.force_login(world["commissioner"])
    page = client.get("/report/?grouping=year").content.decode()
    assert "chart.svg?grouping=year" in page and "format=csv" in page
    assert "rounded to the nearest 5" in page


def test_sign_in_page_shows_an_error_summary(client, alice):
    page = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert page.status_code == 200
    assert b"There is a problem" in page.content and b'href="#id_username"' in page.content


@pytest.mark.parametrize("url", ["/profile/", "/placements/"])
@pytest.mark.parametrize("role", ROLES)
def test_seeker_pages_by_role(world, client, url, role):
    client.force_login(world[role])
    status = client.get(url).status_code
    # an admin has no profile, so no "my profile" or "my placements" (placements are read in
    # the admin, where reads are logged)
    expected = {"seeker": 200, "admin": 404}
    assert status == expected.get(role, 403)


def test_profile_form_saves_through_the_service_and_names_errors(world, client):
    client.force_login(world["seeker"])
    form = {
        "postcode": "s70 2ta",
        "skills": "forklift licence, customer service",
        "desired_titles": "warehouse operative",
        "travel_modes": ["walk", "car"],
        "max_travel_minutes": "40",
        "hours_min": "16",
        "hours_max": "37",
        "share_with_employers": "yes",
    }
    page = client.post("/profile/", form)
    assert page.status_code == 302 and page["Location"] == "/profile/?saved=1"
    assert b"Your profile is saved" in client.get(page["Location"]).content
    world["profile"].refresh_from_db()
    assert world["profile"].postcode == "S70 2TA" and world["profile"].travel_modes == [
        "walk",
        "car",
    ]
    assert [s["typed"] for s in world["profile"].skills] == ["forklift licence", "customer service"]
    bad = client.post("/profile/", {**form, "postcode": "BT1 1AA"})
    text = bad.content.decode()
    assert "There is a problem" in text and 'href="#id_postcode"' in text
    assert "Northern Ireland postcodes are not supported" in text
    hours = client.post("/profile/", {**form, "hours_min": "40"}).content.decode()
    assert 'href="#id_hours_min"' in hours and "more than the most hours" in hours
    world["profile"].refresh_from_db()
    assert world["profile"].postcode == "S70 2TA"  # nothing half-written


def test_seeker_asks_for_an_introduction_from_the_match_page(world, client):
    client.force_login(world["seeker"])
    response = client.post(f"/matches/{world['vacancy'].pk}/introduction/", follow=True)
    assert b"We have asked the employer" in response.content
    assert b"Introduction accepted" in client.get("/placements/").content
    again = client.post(f"/matches/{world['vacancy'].pk}/introduction/", follow=True)
    assert b"already an open placement" in again.content
    assert client.post(f"/matches/{world['far'].pk}/introduction/").status_code == 404


@pytest.mark.parametrize("url", ["/privacy/", "/accessibility/"])
def test_public_pages(client, db, url):
    page = client.get(url)
    assert page.status_code == 200 and b"JobMatch" in page.content


@pytest.mark.parametrize("role", ROLES)
def test_inbox_by_role(world, client, role):
    client.force_login(world[role])
    assert client.get("/inbox/").status_code == (200 if role in ("employer", "admin") else 403)


def test_employer_invites_then_answers_from_the_inbox(world, client):
    from placements.models import Placement

    code = pseudonym(employer_id=world["vacancy"].employer_id, seeker_id=world["profile"].pk)
    client.force_login(world["employer"])
    response = client.post(
        f"/vacancies/{world['vacancy'].pk}/invite/", {"pseudonym": code}, follow=True
    )
    assert b"Invitation sent" in response.content
    placement = Placement.objects.get(seeker=world["profile"], vacancy=world["vacancy"])
    assert placement.state == "proposed" and placement.invited_by_employer
    placement.state = "seeker_accepted"
    placement.introduced_at = placement.created_at
    placement.save()
    inbox = client.get("/inbox/").content.decode()
    assert "alice" in inbox  # introduced: the name shows
    assert f"/placements/{placement.pk}/interview/?next=%2Finbox%2F" in inbox
    declined = client.post(f"/placements/{placement.pk}/reject/", {"reason": "other", "text": ""})
    assert b"Say why in a few words" in declined.content
    client.post(f"/placements/{placement.pk}/interview/")
    placement.refresh_from_db()
    assert placement.state == "interview"


def test_other_employers_cannot_invite_or_answer(world, client):
    client.force_login(world["eve"])
    assert (
        client.post(
            f"/vacancies/{world['vacancy'].pk}/invite/", {"pseudonym": "C-AAAAAA"}
        ).status_code
        == 404
    )


def test_after_an_error_the_form_keeps_what_was_ticked_not_what_is_stored(world, client):
    client.force_login(world["seeker"])
    assert world["profile"].share_with_employers and world["profile"].travel_modes == ["walk"]
    page = client.post(
        "/profile/", {"postcode": "NOT A POSTCODE", "travel_modes": ["car"]}
    ).content.decode()
    assert (
        'id="id_share_with_employers" name="share_with_employers" type="checkbox" value="yes">'
        in page
    )
    assert 'value="car" checked' in page and 'value="walk" checked' not in page
    world["profile"].refresh_from_db()
    assert world["profile"].share_with_employers  # nothing stored from the refused form
