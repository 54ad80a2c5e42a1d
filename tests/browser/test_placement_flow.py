"""A placement from invitation to a confirmed start, in the browser, by the three people it takes:
bob invites a candidate by reference, alice says yes and accepts the offer (first without a start
date, which is refused with a message), bob offers and confirms the start, maya confirms it too.
Every page is checked with axe and at 360 px."""

import pytest

from .conftest import check_page

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page_at, width, username):
    return page_at(width, username, f"pw-{username}-2026")


@pytest.mark.parametrize("width", [360, 1280])
def test_from_invitation_to_start(town, page_at, live_server, width):
    url = live_server.url
    bob = _sign_in(page_at, width, "bob")
    bob.click("text=See candidates")
    bob.click("main button:has-text('Invite')")
    assert "Invitation sent" in bob.inner_text("main")

    alice = _sign_in(page_at, width, "alice")
    alice.goto(url + "/placements/")
    assert "would like to hear from you" in alice.inner_text("main")
    check_page(alice, "seeker-placement-proposed")
    alice.click("text=Yes, introduce me")
    check_page(alice, "seeker-accept")
    alice.click("main button[type=submit]")
    assert "The employer can now see the name" in alice.inner_text("main")
    assert alice.url.endswith("/placements/")

    bob.goto(url + "/inbox/")
    assert "alice" in bob.inner_text("main")  # introduced: the name shows
    bob.click("text=Offer the job")
    check_page(bob, "employer-offer")
    bob.click("main button[type=submit]")
    assert "The offer is recorded" in bob.inner_text("main")

    alice.goto(url + "/placements/")
    alice.click("text=Accept the offer")
    alice.click("main button[type=submit]")  # no start date
    summary = alice.inner_text(".govuk-error-summary")
    assert "Enter the date, for example 2026-12-01." in summary
    check_page(alice, "seeker-accept-offer-error")
    alice.click(".govuk-error-summary a")  # the summary links to the field
    assert alice.evaluate("document.activeElement.id") == "id_start_date"
    alice.fill("#id_start_date", "2026-12-01")
    alice.click("main button[type=submit]")
    assert "The offer is accepted" in alice.inner_text("main")

    bob.goto(url + "/inbox/")
    bob.click("text=Confirm they started")
    bob.click("main button[type=submit]")
    assert "waiting for the mentor" in bob.inner_text("main")
    check_page(bob, "employer-inbox-waiting")

    maya = _sign_in(page_at, width, "maya")
    placement_id = town["vacancy"].placements.get().pk
    maya.goto(url + f"/placements/{placement_id}/confirm-start/")
    check_page(maya, "mentor-confirm-start")
    maya.click("main button[type=submit]")

    alice.goto(url + "/placements/")
    assert "In work" in alice.inner_text("main")
    alice.goto(url + "/my-data/")
    check_page(alice, "seeker-my-data")
    with alice.expect_download() as download:
        alice.click("main button[type=submit]")
    assert download.value.suggested_filename.startswith("jobmatch-my-data-")
