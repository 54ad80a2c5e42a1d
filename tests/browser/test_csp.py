"""Pages run under the Content-Security-Policy: no script, style or image refused (check_page
fails on any refusal in the console), the API docs included."""

from __future__ import annotations

from .conftest import SHOTS, check_page


def test_the_sign_in_page_and_a_signed_in_page_run_under_the_csp(town, page_at, live_server):
    page = page_at(1280)
    page.goto(live_server.url + "/accounts/login/")
    check_page(page, "csp-sign-in")
    page = page_at(360, "alice", "pw-alice-2026")
    page.goto(live_server.url + "/profile/")
    check_page(page, "csp-profile")


def test_the_api_docs_run_under_the_csp(db, page_at, live_server):
    page = page_at(1280)
    page.goto(live_server.url + "/api/v1/docs/")
    page.locator(".swagger-ui .info .title").wait_for(timeout=20_000)
    assert "JobMatch API" in page.inner_text(".swagger-ui .info .title")
    page.locator(".opblock").first.wait_for(timeout=20_000)
    assert page.csp_violations == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "api-docs-1280.png"))
