"""The placement action pages: one page per action, for every role that may take it, with the
API's rules (the services decide; the page shows their answer) and the API's visibility.

The cast is test_pages' world: alice (seeker on maya's caseload) matches bob's forklift vacancy at
Acme; eve works for Bolt; cora is a commissioner; root an admin.
"""

import pytest
from django.test import Client

from accounts.models import AccessLogEntry
from placements import services
from placements.models import Placement

pytestmark = pytest.mark.django_db


def _proposed(world) -> Placement:
    return services.placement_propose(
        seeker=world["profile"], vacancy=world["vacancy"], by=world["mentor"], channel="api"
    )


def _offered(world) -> Placement:
    placement = _proposed(world)
    services.placement_act(placement=placement, by=world["seeker"], action="accept", channel="api")
    return services.placement_act(
        placement=placement, by=world["employer"], action="offer", channel="api"
    )


def _state(placement) -> str:
    placement.refresh_from_db()
    return placement.state


# Who may accept a proposed placement: the seeker, their mentor and an admin. The employer
# cannot see a mentor's proposal before the seeker answers it (404), nor can eve; a
# commissioner's role has no placement pages (403).
ACCEPT = {
    "seeker": 302,
    "mentor": 302,
    "admin": 302,
    "employer": 404,
    "eve": 404,
    "commissioner": 403,
}


@pytest.mark.parametrize("who", sorted(ACCEPT))
def test_accept_by_role(world, client, who):
    placement = _proposed(world)
    client.force_login(world[who])
    page = client.get(f"/placements/{placement.pk}/accept/")
    assert page.status_code == (200 if ACCEPT[who] == 302 else ACCEPT[who])
    response = client.post(f"/placements/{placement.pk}/accept/")
    assert response.status_code == ACCEPT[who]
    assert _state(placement) == ("seeker_accepted" if ACCEPT[who] == 302 else "proposed")


def test_not_signed_in_goes_to_sign_in(world, client):
    placement = _proposed(world)
    response = client.post(f"/placements/{placement.pk}/accept/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert _state(placement) == "proposed"


def test_seeker_says_yes_from_my_placements(world, client):
    placement = _proposed(world)
    client.force_login(world["seeker"])
    listing = client.get("/placements/").content.decode()
    assert f"/placements/{placement.pk}/accept/?next=%2Fplacements%2F" in listing
    assert "Yes, introduce me" in listing and "Say no" in listing
    response = client.post(
        f"/placements/{placement.pk}/accept/", {"next": "/placements/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/placements/"
    assert b"The employer can now see the name" in response.content
    assert _state(placement) == "seeker_accepted"


def test_next_off_site_is_ignored(world, client):
    placement = _proposed(world)
    client.force_login(world["seeker"])
    response = client.post(
        f"/placements/{placement.pk}/decline/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/placements/"
    assert _state(placement) == "seeker_declined"


def test_offer_accepted_with_a_start_date_then_both_sides_confirm(world, client):
    placement = _offered(world)
    client.force_login(world["seeker"])
    wrong = client.post(f"/placements/{placement.pk}/accept-offer/", {"start_date": "31/02/2026"})
    assert wrong.status_code == 400
    body = wrong.content.decode()
    assert 'href="#id_start_date"' in body and "Enter the date as year-month-day" in body
    assert _state(placement) == "offered"
    client.post(f"/placements/{placement.pk}/accept-offer/", {"start_date": "2026-12-01"})
    assert _state(placement) == "start_pending"

    client.force_login(world["employer"])
    inbox = client.get("/inbox/").content.decode()
    assert "Confirm they started" in inbox
    client.post(f"/placements/{placement.pk}/confirm-start/")
    assert _state(placement) == "start_pending"
    inbox = client.get("/inbox/").content.decode()
    assert "Confirm they started" not in inbox  # the employer's side is done
    assert "waiting for the mentor" in inbox

    client.force_login(world["mentor"])
    client.post(f"/placements/{placement.pk}/confirm-start/")
    assert _state(placement) == "in_work"
    assert placement.checks.count() == 2


def test_employer_declines_with_a_reason(world, client):
    placement = _proposed(world)
    services.placement_act(placement=placement, by=world["seeker"], action="accept", channel="api")
    client.force_login(world["employer"])
    missing = client.post(f"/placements/{placement.pk}/reject/", {"reason": ""})
    assert missing.status_code == 400 and b'href="#id_reason"' in missing.content
    other = client.post(f"/placements/{placement.pk}/reject/", {"reason": "other", "text": ""})
    assert other.status_code == 400
    assert b"Say why in a few words" in other.content
    assert _state(placement) == "seeker_accepted"
    client.post(f"/placements/{placement.pk}/reject/", {"reason": "skills"})
    placement.refresh_from_db()
    assert (placement.state, placement.decline_reason) == ("employer_declined", "skills")


def test_the_wrong_party_is_told_who_may_act(world, client):
    placement = services.placement_invite(
        seeker=world["profile"], vacancy=world["vacancy"], by=world["employer"], channel="api"
    )
    client.force_login(world["employer"])
    page = client.get(f"/placements/{placement.pk}/accept/")
    assert page.status_code == 403
    assert b"Only the jobseeker or their mentor can accept the introduction." in page.content
    assert client.post(f"/placements/{placement.pk}/accept/").status_code == 403
    assert _state(placement) == "proposed"


def test_an_illegal_move_is_a_409_naming_what_is_allowed(world, client):
    placement = services.placement_invite(
        seeker=world["profile"], vacancy=world["vacancy"], by=world["employer"], channel="api"
    )
    client.force_login(world["employer"])
    page = client.get(f"/placements/{placement.pk}/interview/")
    assert b"This cannot be done now" in page.content
    response = client.post(f"/placements/{placement.pk}/interview/")
    assert response.status_code == 409
    assert b"It is waiting for the jobseeker or their mentor." in response.content
    assert _state(placement) == "proposed"


def test_an_unknown_action_is_a_404(world, client):
    placement = _proposed(world)
    client.force_login(world["seeker"])
    assert client.post(f"/placements/{placement.pk}/teleport/").status_code == 404


def test_employer_sees_a_reference_until_the_introduction(world, client):
    placement = services.placement_invite(
        seeker=world["profile"], vacancy=world["vacancy"], by=world["employer"], channel="api"
    )
    client.force_login(world["employer"])
    page = client.get(f"/placements/{placement.pk}/offer/").content.decode()
    assert "Candidate C-" in page and "alice" not in page
    services.placement_act(placement=placement, by=world["seeker"], action="accept", channel="api")
    page = client.get(f"/placements/{placement.pk}/offer/").content.decode()
    assert "alice" in page


def test_a_mentor_reading_a_placement_is_logged(world, client):
    placement = _proposed(world)
    client.force_login(world["mentor"])
    client.get(f"/placements/{placement.pk}/accept/")
    entry = AccessLogEntry.objects.filter(actor=world["mentor"], channel="web").latest("id")
    assert entry.subject_id == world["seeker"].pk and f"placement {placement.pk}" in entry.what


def test_csrf_is_required(world):
    placement = _proposed(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["seeker"])
    assert client.post(f"/placements/{placement.pk}/accept/").status_code == 403
    assert _state(placement) == "proposed"


@pytest.mark.parametrize("who", ["seeker", "employer", "mentor", "commissioner", "admin"])
def test_download_my_data_is_the_callers_own(world, client, who):
    import json

    client.force_login(world[who])
    assert b"Download my data" in client.get("/my-data/").content
    response = client.post("/my-data/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="jobmatch-my-data-')
    body = json.loads(response.content)
    assert body["account"]["username"] == world[who].username
    assert ("profile" in body) == (who == "seeker")
    if who == "seeker":
        assert body["profile"]["postcode"] == world["profile"].postcode


def test_download_needs_sign_in_and_csrf(world, client):
    response = client.post("/my-data/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world["seeker"])
    assert strict.post("/my-data/").status_code == 403


def test_inbox_sorts_what_waits_for_the_employer_from_the_rest(world, client):
    invited = services.placement_invite(
        seeker=world["profile"], vacancy=world["vacancy"], by=world["employer"], channel="api"
    )
    client.force_login(world["employer"])
    page = client.get("/inbox/").content.decode()
    waiting, _, rest = page.partition("Waiting for someone else")
    assert "Nothing is waiting for you." in waiting
    assert "Waiting for the candidate to accept" in rest and "alice" not in page
    services.placement_act(placement=invited, by=world["seeker"], action="accept", channel="api")
    services.placement_act(
        placement=invited,
        by=world["employer"],
        reason="other",
        text="Needs a CSCS card",
        action="reject",
        channel="api",
    )
    withdrawn = services.placement_invite(
        seeker=world["profile"], vacancy=world["vacancy"], by=world["employer"], channel="api"
    )
    services.placement_act(
        placement=withdrawn,
        by=world["seeker"],
        reason="Found a job",
        action="withdraw",
        channel="api",
    )
    page = client.get("/inbox/").content.decode()
    assert "Closed in the last 90 days" in page and "Other: Needs a CSCS card" in page
    # the seeker's own words (perhaps about their health) are not the employer's to read
    assert "Found a job" not in page and "None you can see" in page
    logged = AccessLogEntry.objects.filter(actor=world["employer"], what="inbox")
    assert list(logged.values_list("subject_id", flat=True)) == [world["seeker"].pk]
