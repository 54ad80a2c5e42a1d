"""One handler turns every error into JSON with a message a person can act on.

Shape: ``{"detail": "<sentence>", "code": "<machine code>", "request_id": "<id>", ...}``;
validation errors add ``"errors": {field: [messages]}`` and a ``detail`` naming the fields. The
``request_id`` is also in the server's log lines for the request and in its ``X-Request-ID``
header. Errors raised outside a DRF view (an unknown path, a server error) are answered in the
same shape by the error handlers at the end (``jobmatch/urls.py`` routes ``/api/`` to them).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from jobmatch.errors import DomainError, Invalid
from jobmatch.requestid import request_id_of

NOT_FOUND = "Not found: it does not exist or you may not see it."


def _field_names(errors: object) -> list[str]:
    if isinstance(errors, dict):
        return [str(name) for name in errors]
    return []


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Answer ``exc`` in the API's error shape, or return None for an unexpected error (Django
    logs it and ``server_error`` answers)."""
    response = _error_response(exc, context)
    if response is not None and isinstance(response.data, dict):
        response.data["request_id"] = request_id_of(context.get("request"))
    return response


def _error_response(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, Invalid):  # one field's value broke a rule: said as a validation error
        body = {
            "detail": f"Please correct {exc.field}: {exc.message}",
            "code": "invalid",
            "errors": {exc.field: [exc.message]},
        }
        return Response(body, status=exc.status)
    if isinstance(exc, DomainError):
        body = {"detail": exc.message, "code": exc.code, **exc.extra}
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail=detail)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(NOT_FOUND)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = (
            response.data
            if isinstance(response.data, dict)
            else {"non_field_errors": response.data}
        )
        fields = [f for f in _field_names(errors) if f != "non_field_errors"]
        if fields:
            detail = "Please correct these fields: " + ", ".join(fields) + "."
        else:
            detail = (
                "; ".join(str(m) for m in errors.get("non_field_errors", [])) or "Invalid input."
            )
        response.data = {"detail": detail, "code": "invalid", "errors": errors}
    elif isinstance(response.data, dict) and "detail" in response.data:
        code = getattr(response.data["detail"], "code", None) or exc.default_code
        response.data = {"detail": str(response.data["detail"]), "code": code}
        if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
            wait = getattr(exc, "wait", None)
            response.data["detail"] = (
                "Too many attempts. Wait "
                + (f"{int(wait)} seconds" if wait else "a minute")
                + " and try again."
            )
    return response


def _json_error(request, status_code: int, detail: str, code: str) -> JsonResponse:
    body = {"detail": detail, "code": code, "request_id": request_id_of(request)}
    return JsonResponse(body, status=status_code)


def server_error(request) -> JsonResponse:
    return _json_error(
        request,
        500,
        "Sorry, something went wrong on our side. Try again later; if it keeps happening, "
        "tell us the request_id.",
        "server_error",
    )


def not_found(request, exception=None) -> JsonResponse:
    return _json_error(request, 404, NOT_FOUND, "not_found")


def permission_denied(request, exception=None) -> JsonResponse:
    return _json_error(
        request, 403, str(exceptions.PermissionDenied.default_detail), "permission_denied"
    )


def bad_request(request, exception=None) -> JsonResponse:
    return _json_error(request, 400, "The request could not be read.", "bad_request")
