"""The employer's vacancy journey in a real browser: post a vacancy (a wage below the National
Living Wage first, then corrected), see it listed, edit it, close it; and the skill suggestions
that htmx fetches while a skills field is typed in. Every page is checked with axe and for
horizontal scroll at 360 px, with screenshots at 360 and 1280 px.

The cast (``town``): bob (employer at Acme, which has a forklift vacancy), alice (seeker).
"""

import pytest

from employers.models import Vacancy

from .conftest import check_page

pytestmark = pytest.mark.django_db(transaction=True)


def type_skills(page, selector: str, text: str) -> None:
    """Type as a person does, key by key, so htmx sees the input events."""
    page.locator(selector).press_sequentially(text, delay=20)


@pytest.mark.parametrize("width", [360, 1280])
def test_employer_posts_edits_and_closes_a_vacancy(town, page_at, live_server, width):
    page = page_at(width, "bob", "pw-bob-2026")
    assert page.url.endswith("/vacancies/")
    page.click("main >> text=Post a vacancy")
    assert page.url.endswith("/vacancies/new/")
    check_page(page, "employer-vacancy-new")

    page.fill("#id_title", "Shop assistant")
    page.fill("#id_description", "Serving customers in the market hall.")
    type_skills(page, "#id_skills", "customer service, fork")
    suggestion = page.locator("#id_skills-suggestions .jm-suggestion", has_text="Counterbalance")
    suggestion.wait_for(timeout=20_000)
    assert "Suggestions for “fork”" in page.inner_text("#id_skills-suggestions")
    check_page(page, "employer-vacancy-suggestions")
    suggestion.click()
    assert page.input_value("#id_skills") == "customer service, Counterbalance forklift licence, "
    assert page.inner_text("#id_skills-suggestions").strip() == ""

    page.fill("#id_postcode", "S70 2TA")
    page.fill("#id_hours_per_week", "30")
    page.select_option("#id_contract_type", "permanent")
    page.fill("#id_wage_per_hour", "5.00")
    page.click("main button[type=submit]")

    summary = page.inner_text(".govuk-error-summary")
    assert "below the National Living Wage" in summary
    assert "below the National Living Wage" in page.inner_text("#id_wage_per_hour-error")
    assert page.title().startswith("Error: ")
    assert page.input_value("#id_title") == "Shop assistant"
    check_page(page, "employer-vacancy-error")
    page.click(".govuk-error-summary a[href='#id_wage_per_hour']")
    assert page.evaluate("document.activeElement.id") == "id_wage_per_hour"
    assert not Vacancy.objects.filter(title="Shop assistant").exists()

    page.fill("#id_wage_per_hour", "13.50")
    page.click("main button[type=submit]")
    assert page.url.endswith("/vacancies/")
    main = page.inner_text("main")
    assert "Your vacancy “Shop assistant” is saved." in main
    assert "Shop assistant" in page.inner_text("table")
    check_page(page, "employer-vacancies-posted")
    vacancy = Vacancy.objects.get(title="Shop assistant")
    assert vacancy.wage_per_hour == 13.5 and vacancy.status == "open"
    assert "uk:forklift_counterbalance" in [s["id"] for s in vacancy.skills]

    page.get_by_role("link", name="Edit Shop assistant").click()
    assert page.url.endswith(f"/vacancies/{vacancy.pk}/edit/")
    assert page.input_value("#id_wage_per_hour") == "13.50"
    check_page(page, "employer-vacancy-edit")
    page.fill("#id_hours_per_week", "60")
    page.click("main button[type=submit]")
    assert "Hours must be at most 48 a week." in page.inner_text(".govuk-error-summary")
    page.fill("#id_hours_per_week", "16")
    page.fill("#id_title", "Shop assistant (Saturdays)")
    page.click("main button[type=submit]")
    assert "Your changes to “Shop assistant (Saturdays)” are saved." in page.inner_text("main")
    vacancy.refresh_from_db()
    assert (vacancy.title, float(vacancy.hours_per_week)) == ("Shop assistant (Saturdays)", 16.0)

    page.get_by_role("link", name="Close Shop assistant (Saturdays)").click()
    assert "Close this vacancy?" in page.inner_text("h1")
    check_page(page, "employer-vacancy-close")
    page.click("main button:has-text('Close the vacancy')")
    assert page.url.endswith("/vacancies/")
    assert "“Shop assistant (Saturdays)” is closed" in page.inner_text("main")
    vacancy.refresh_from_db()
    assert vacancy.status == "closed"
    assert page.get_by_role("link", name="Edit Shop assistant (Saturdays)").count() == 0
    check_page(page, "employer-vacancies-closed")


def test_seeker_sees_skill_suggestions_on_the_profile(town, page_at, live_server):
    page = page_at(360, "alice", "pw-alice-2026")
    page.goto(live_server.url + "/profile/")
    page.fill("#id_skills", "")
    type_skills(page, "#id_skills", "food hyg")
    suggestion = page.locator("#id_skills-suggestions .jm-suggestion", has_text="Food Hygiene")
    suggestion.first.wait_for(timeout=20_000)
    check_page(page, "seeker-profile-suggestions")
    suggestion.first.click()
    assert page.input_value("#id_skills") == "Food Hygiene Level 2 certificate, "
    page.click("main button[type=submit]")
    assert "Your profile is saved" in page.inner_text("main")


def test_the_vacancy_form_works_without_javascript(town, browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 900})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", "bob")
        page.fill("#id_password", "pw-bob-2026")
        page.click("button[type=submit]")
        page.goto(live_server.url + "/vacancies/new/")
        page.fill("#id_title", "Cleaner")
        page.fill("#id_skills", "cleaning, food hygiene")
        page.fill("#id_postcode", "S70 2TA")
        page.fill("#id_hours_per_week", "20")
        page.select_option("#id_contract_type", "temporary")
        page.fill("#id_wage_per_hour", "13.00")
        page.fill("#id_closing_date", "2000-01-01")
        page.click("main button[type=submit]")
        assert "has passed" in page.inner_text(".govuk-error-summary")
        page.fill("#id_closing_date", "")
        page.click("main button[type=submit]")
        assert "Your vacancy “Cleaner” is saved." in page.inner_text("main")
    finally:
        context.close()


def test_seeker_sees_what_each_skill_was_read_as_and_picks_another(town, page_at, live_server):
    page = page_at(360, "alice", "pw-alice-2026")
    page.goto(live_server.url + "/profile/")
    page.fill("#id_skills", "forklift, dbs checked, peg feeding")
    page.click("main button[type=submit]")
    assert "Your profile is saved" in page.inner_text("main")
    readings = page.inner_text("#skills-readings")
    assert "How we read your skills" in readings and "“peg feeding”" in readings
    check_page(page, "seeker-profile-readings")
    # Keep "forklift" as written instead of the reading offered.
    page.check("#skills-reading-1-own")
    page.click("main button[type=submit]")
    assert "Kept as written" in page.inner_text("#skills-readings")
