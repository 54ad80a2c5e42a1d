"""The headers every answer carries: nothing kept by a browser or proxy (no-store), the browser
features the service never uses turned off (Permissions-Policy), and a Content-Security-Policy
that lets pages run only the service's own script and style files (no 'unsafe-inline').

Cast: ``alice`` is a seeker, signed in where a test says so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from rest_framework.test import APIClient

ROOT = Path(__file__).resolve().parents[2]


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def _private(response) -> bool:
    return "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.fixture
def signed_in(alice):
    client = APIClient()
    client.force_login(alice)
    return client


def test_personal_data_from_the_api_is_never_stored(signed_in):
    response = signed_in.get("/api/v1/me/")
    assert response.status_code == 200
    assert _private(response)


def test_an_authenticated_page_is_never_stored(signed_in):
    response = signed_in.get("/accounts/")
    assert response.status_code == 200
    assert _private(response)


def test_anonymous_answers_and_errors_are_not_stored_either(client, db):
    for path in ("/accounts/login/", "/api/v1/me/", "/api/v1/no-such-thing/", "/healthz"):
        response = client.get(path)
        assert _private(response), path


def test_the_data_download_stays_no_store(signed_in):
    response = signed_in.post("/my-data/")
    assert response.status_code == 200
    assert _private(response)


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/v1/me/", "/api/v1/docs/"])
def test_every_answer_has_the_permissions_policy_and_the_csp(client, db, path):
    response = client.get(path)
    features = dict(item.strip().split("=") for item in response["Permissions-Policy"].split(","))
    assert features["camera"] == features["geolocation"] == features["microphone"] == "()"
    directives = _directives(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline script"),
    (re.compile(r"<style\b", re.I), "an inline style sheet"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an event-handler attribute"),
    (re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I), "a javascript: URL"),
]


def test_no_template_holds_inline_script_or_style():
    found = []
    for folder in sorted(ROOT.glob("*/templates")):
        for template in sorted(folder.rglob("*.html")):
            text = template.read_text()
            for pattern, what in INLINE:
                if pattern.search(text):
                    found.append(f"{template.relative_to(ROOT)}: {what}")
    assert found == []


def test_the_api_docs_load_their_start_up_script_as_a_file(client, db):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<style" not in html and " style=" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)
    sources = [re.search(r'src="([^"]+)"', attrs).group(1) for attrs, _ in scripts]
    assert all(src.startswith("/") for src in sources), sources  # nothing from a CDN
    start_up = next(src for src in sources if "script=" in src)
    answer = client.get(start_up.replace("&amp;", "&"))
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in answer.content.decode()
    for src in sources:
        if src.startswith("/static/"):
            assert finders.find(src.removeprefix("/static/")), src
