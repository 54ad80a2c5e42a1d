"""Each request's id: in the server's log lines for it, in the ``X-Request-ID`` response header
and in its error answers (the API's JSON errors and the pages' 500 page).

A person who meets an error can quote the id they were shown, and whoever runs the service finds
that request's log lines by it. The id is always made here: an ``X-Request-ID`` a client sent is
not trusted (anyone could send one that matches another person's request).
"""

from __future__ import annotations

import contextvars
import logging
import uuid

HEADER = "X-Request-ID"
_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def request_id_of(request) -> str:
    """Return the id of ``request`` (a Django or DRF request), or of the request being served."""
    return getattr(request, "id", None) or _current.get()


class RequestIdMiddleware:
    """Give each request an id (``request.id``) for its log lines and its response's header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = uuid.uuid4().hex
        token = _current.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.id
        return response


class RequestIdFilter(logging.Filter):
    """Put the id of the request being logged in ``record.request_id`` ("-" outside a request).

    Django logs an answer of 400 or more after the middleware has returned, with the request in
    the record, so the id is read from there first."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "id", None) or _current.get()
        return True
