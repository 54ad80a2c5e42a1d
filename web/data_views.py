"""Download my data: everything JobMatch holds about the person signed in, as a JSON file (the
same body as the API's ``seekers/me/export/``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone


@login_required
def download(request):
    """GET shows what the file holds; POST (a button, so no crawler or prefetch triggers it)
    returns the file."""
    if request.method != "POST":
        return render(request, "web/download.html")
    from seekers.export import export_for

    response = JsonResponse(export_for(request), json_dumps_params={"indent": 2})
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="jobmatch-my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response
