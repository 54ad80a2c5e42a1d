"""Browser tests: Playwright driving Debian's Chromium (Playwright's own browser download is not
available here) against pytest-django's live server.

Without Chromium these tests skip, except where ``CI`` is set: there a missing browser fails the
run, so CI cannot go green without having run them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from accounts.models import Role
from matching.services import matches_recompute_all
from tests.conftest import make_user
from tests.factories import (
    TOWN,
    EmployerFactory,
    EmployerMemberFactory,
    SeekerProfileFactory,
    VacancyFactory,
)

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "var" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    executable = _chromium()
    if executable is None or not AXE.exists():
        message = "browser tests need Debian's chromium and npm's axe-core (make venv)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API, tests only
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            args=CHROMIUM_ARGS,
        )
        yield launched
        launched.close()


@pytest.fixture
def page_at(browser, live_server):
    """Open a page at a viewport width; sign in first if a username is given."""
    pages = []

    def _open(width: int = 1280, username: str | None = None, password: str = "pw"):
        page = browser.new_page(viewport={"width": width, "height": 900})
        # Checked by check_page: every static file a page asks for is served. (GOV.UK Frontend's
        # CSS declares its typeface, which is deliberately not served; site.css sets Arial on
        # every element, yet Chromium now and then still fetches the faces: a harmless 404.)
        page.missing_assets = []
        page.on(
            "response",
            lambda r, page=page: (
                page.missing_assets.append(r.url)
                if r.status >= 400 and "/static/" in r.url
                else None
            ),
        )
        # Checked by check_page too: nothing the page asks for is refused by the CSP.
        page.csp_violations = []
        page.on(
            "console",
            lambda m, page=page: (
                page.csp_violations.append(m.text) if "Content Security Policy" in m.text else None
            ),
        )
        # axe-core goes in by the browser's own door, not a script tag (the CSP refuses those).
        page.add_init_script(path=str(AXE))
        pages.append(page)
        if username:
            page.goto(live_server.url + "/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("button[type=submit]")
        return page

    yield _open
    for page in pages:
        page.close()


def check_page(page, name: str) -> None:
    """Assert no serious or critical axe violations, no CSP violation and no horizontal scroll;
    save a screenshot."""
    page.wait_for_load_state("load")  # a click may have started a navigation still loading
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_init_script(path=str(AXE))
        page.reload()
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    bad = [
        (v["id"], v["impact"], v["help"])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"{name}: {bad}"
    assert not getattr(page, "missing_assets", []), f"{name}: not served: {page.missing_assets}"
    assert not getattr(page, "csp_violations", []), f"{name}: CSP: {page.csp_violations}"
    width = page.viewport_size["width"]
    wide = page.evaluate(
        "document.documentElement.scrollWidth > window.innerWidth ? [...document.querySelectorAll("
        "'body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className) : []"
    )
    assert not wide, f"{name}: horizontal scroll at {width} px, from {wide}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


FORKLIFT = {
    "typed": "forklift",
    "id": "uk:forklift_counterbalance",
    "label": "Counterbalance forklift licence",
}


@pytest.fixture
def town(db):
    alice, bob = make_user("alice", Role.SEEKER), make_user("bob", Role.EMPLOYER)
    maya = make_user("maya", Role.MENTOR)
    make_user("cora", Role.COMMISSIONER)
    acme = EmployerFactory(name="Acme")
    EmployerMemberFactory(user=bob, employer=acme)
    SeekerProfileFactory(
        user=alice,
        mentor=maya,
        share_with_employers=True,
        skills=[FORKLIFT],
        travel_modes=["walk"],
        desired_titles=["forklift driver"],
        **TOWN,
    )
    vacancy = VacancyFactory(employer=acme, title="Forklift driver", skills=[FORKLIFT], **TOWN)
    matches_recompute_all()
    return {"vacancy": vacancy}


def sign_in_wrongly_then_rightly(page, url, username):
    page.goto(url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    page.locator(".govuk-error-summary").wait_for(
        state="visible"
    )  # the answer may still be loading
    assert "did not match" in page.inner_text(".govuk-error-summary")
    check_page(page, "sign-in-error")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}-2026")
    page.click("button[type=submit]")


def nav_click(page, text: str) -> None:
    """Follow a link in the service navigation, opening the phone menu first where it is shut."""
    page.wait_for_load_state("load")  # GOV.UK Frontend's script shows the menu button once run
    toggle = page.locator(".govuk-service-navigation__toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.click(f"nav >> text={text}")
