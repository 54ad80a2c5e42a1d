"""The exceptions services raise for a rule a caller broke.

The edges (serializers, forms) check the shape of input: types, lengths, choices. Services take
the values people gave (a postcode as typed, a wage) and enforce every rule about them, raising a
``DomainError`` (``Invalid`` for one field's value) when a rule refuses the change;
``api.exceptions.exception_handler`` and the web views turn it into a response with a message a
person can act on.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404


class DomainError(Exception):
    """A refused action. ``status`` is the HTTP status the API answers with."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, **extra: object) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.extra = extra


class Invalid(DomainError):
    """A value a person gave breaks a rule (400), reported on the field it came in: the API
    answers as for a validation error, ``{"errors": {field: [message]}}``, and a page shows it
    beside the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, code="invalid")
        self.field = field


class NotAllowed(DomainError, PermissionDenied):
    """The caller's role may not do this (403; a page answers with its 403 page)."""

    status = 403
    code = "not_allowed"


class NotFound(DomainError, Http404):
    """The record does not exist or is outside the caller's scope (404: existence not revealed;
    a page answers with its 404 page)."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The record's state does not allow this now (409); ``allowed`` names what is allowed."""

    status = 409
    code = "conflict"
