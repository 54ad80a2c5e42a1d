"""API plumbing: public schema and docs, the health check, JSON errors, pagination settings."""

import pytest
from django.urls import path
from rest_framework.decorators import api_view, permission_classes

from jobmatch.errors import Conflict


def test_schema_and_docs_are_public(client, db):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/me/" in schema.content
    assert client.get("/api/v1/docs/").status_code == 200


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@api_view(["POST"])
@permission_classes([])
def _conflicting(request):
    raise Conflict("This placement is already offered.", allowed=["start_pending"])


urlpatterns = [path("conflict/", _conflicting)]


@pytest.mark.urls("tests.api.test_plumbing")
def test_domain_errors_become_json_with_a_message(client):
    response = client.post("/conflict/")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This placement is already offered.",
        "code": "conflict",
        "allowed": ["start_pending"],
        "request_id": response["X-Request-ID"],
    }


def test_unknown_api_path_is_json_404(client, db):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_schema_generates_without_warnings_and_validates(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))
    assert "/api/v1/vacancies/{id}/close/" in target.read_text()
