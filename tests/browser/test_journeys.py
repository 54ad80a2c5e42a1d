"""One journey per role in a real browser, each with a wrong input and its error message; every
page checked with axe (no serious or critical violations) and for horizontal scroll at 360 px.

The cast: alice (seeker, maya's caseload), bob (employer at Acme, forklift vacancy in town),
maya (mentor), cora (commissioner). Passwords are "pw-<name>-2026".
"""

import pytest

from .conftest import check_page, sign_in_wrongly_then_rightly

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [360, 1280])
def test_seeker_journey(town, page_at, live_server, width):
    page = page_at(width)
    sign_in_wrongly_then_rightly(page, live_server.url, "alice")
    assert page.url.endswith("/matches/")
    assert "Forklift driver" in page.inner_text("main")
    check_page(page, "seeker-matches")
    page.goto(live_server.url + "/profile/")
    page.fill("#id_postcode", "BT1 1AA")
    page.click("main button[type=submit]")
    assert "Northern Ireland postcodes are not supported" in page.inner_text(".govuk-error-summary")
    check_page(page, "seeker-profile-error")
    page.fill("#id_postcode", "S70 2TA")
    page.click("main button[type=submit]")
    assert "Your profile is saved" in page.inner_text("main")
    page.goto(live_server.url + f"/matches/{town['vacancy'].pk}/")
    check_page(page, "seeker-match")
    page.click("text=Ask for an introduction")
    assert "We have asked the employer" in page.inner_text("main")
    page.goto(live_server.url + "/placements/")
    assert "Introduction accepted" in page.inner_text("main")
    check_page(page, "seeker-placements")


@pytest.mark.parametrize("width", [360, 1280])
def test_employer_journey(town, page_at, live_server, width):
    page = page_at(width)
    sign_in_wrongly_then_rightly(page, live_server.url, "bob")
    assert page.url.endswith("/vacancies/")
    check_page(page, "employer-vacancies")
    page.click("text=See candidates")
    check_page(page, "employer-candidates")
    page.click("main button:has-text('Invite')")
    assert "Invitation sent" in page.inner_text("main")
    page.goto(live_server.url + "/inbox/")
    check_page(page, "employer-inbox")


@pytest.mark.parametrize("width", [360, 1280])
def test_mentor_journey(town, page_at, live_server, width):
    page = page_at(width)
    sign_in_wrongly_then_rightly(page, live_server.url, "maya")
    assert page.url.endswith("/caseload/")
    assert "alice" in page.inner_text("main")
    check_page(page, "mentor-caseload")


@pytest.mark.parametrize("width", [360, 1280])
def test_commissioner_journey(town, page_at, live_server, width):
    page = page_at(width)
    sign_in_wrongly_then_rightly(page, live_server.url, "cora")
    assert page.url.endswith("/report/")
    assert "rounded to the nearest 5" in page.inner_text("main")
    check_page(page, "commissioner-report")


@pytest.mark.parametrize("path", ["/accounts/login/", "/privacy/", "/accessibility/"])
def test_public_pages(page_at, live_server, path, db):
    page = page_at(360)
    page.goto(live_server.url + path)
    check_page(page, "public" + path.replace("/", "-").rstrip("-"))
