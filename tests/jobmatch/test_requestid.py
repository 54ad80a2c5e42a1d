"""Every answer carries a request id, in its X-Request-ID header and in the server's log line for
it; API errors, a server error included, are JSON in the API's error shape with that id, and the
pages' 500 page shows it. The failing views live only in this test module's URLs."""

from __future__ import annotations

import io
import logging

import pytest
from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.test import APIClient

from jobmatch.requestid import RequestIdFilter
from jobmatch.urls import handler400, handler403, handler404, handler500  # noqa: F401
from jobmatch.urls import urlpatterns as service_urls


class Broken(Exception):
    """Something nobody planned for."""


@api_view(["GET", "POST"])
@permission_classes([])
def _api_fails(request):
    raise Broken("the API view broke")


def _page_fails(request):
    raise Broken("the page broke")


urlpatterns = [
    path("api/v1/test-fails/", _api_fails),
    path("test-fails/", _page_fails),
    *service_urls,
]
pytestmark = pytest.mark.urls("tests.jobmatch.test_requestid")


@pytest.fixture
def log_lines():
    """What the service's own log handler (the settings' LOGGING) writes, line by line."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RequestIdFilter) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield lambda: stream.getvalue().splitlines()
    handler.setStream(previous)


@pytest.fixture
def raw_client():
    return APIClient(raise_request_exception=False)


def test_an_api_server_error_is_json_with_the_id_of_its_log_line(raw_client, log_lines, db):
    response = raw_client.post("/api/v1/test-fails/", {"x": 1})
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    assert body["request_id"] == request_id
    assert body["code"] == "server_error"
    assert body["detail"]
    assert "Broken" not in str(body)  # no internals told to the client
    lines = [line for line in log_lines() if f"request={request_id}" in line]
    assert lines and "Internal Server Error: /api/v1/test-fails/" in lines[0]
    assert "ERROR" in lines[0]


def test_a_page_server_error_is_the_html_page_showing_the_id(raw_client, log_lines, db):
    response = raw_client.get("/test-fails/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    request_id = response["X-Request-ID"]
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert request_id in page
    assert any(
        f"request={request_id}" in line and "Internal Server Error: /test-fails/" in line
        for line in log_lines()
    )


def test_each_request_has_its_own_id(raw_client, db):
    first = raw_client.get("/healthz")
    second = raw_client.get("/healthz")
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_an_id_a_client_sends_is_not_taken(raw_client, db):
    response = raw_client.get("/healthz", HTTP_X_REQUEST_ID="chosen-by-the-client")
    assert response["X-Request-ID"] != "chosen-by-the-client"


def test_an_unknown_api_path_is_json_404_with_the_id(raw_client, log_lines, db):
    response = raw_client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found"
    assert body["request_id"] == response["X-Request-ID"]
    assert any(f"request={body['request_id']}" in line for line in log_lines())


def test_an_unknown_page_is_the_html_404_page(raw_client, db):
    response = raw_client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_drf_errors_carry_the_id_too(raw_client, log_lines, db):
    response = raw_client.get("/api/v1/me/")  # not signed in
    assert response.status_code in (401, 403)
    body = response.json()
    assert body["request_id"] == response["X-Request-ID"]
    assert set(body) == {"detail", "code", "request_id"}
    assert any(f"request={body['request_id']}" in line for line in log_lines())


def test_log_lines_outside_a_request_say_so(log_lines):
    logging.getLogger("jobmatch.test").warning("no request here")
    assert any("request=- " in line and "no request here" in line for line in log_lines())
