"""The pages' 500 page, with the request's id for a person to quote."""

from __future__ import annotations

from django.http import HttpResponseServerError
from django.template import loader

from jobmatch.requestid import request_id_of


def server_error(request):
    """Render 500.html without the request's context processors: they may be what failed."""
    body = loader.get_template("500.html").render({"request_id": request_id_of(request)})
    return HttpResponseServerError(body)
