"""Skill suggestions as a person types in a skills field: an htmx fragment from the same taxonomy
search as the API's ``skills/?search=`` (``matching.lookups.skills_suggest``).

Skills fields are typed as comma-separated text, so the suggestions are for the words after the
last comma. Signed-in users only; the fragment is refused (403) to anyone else, with a short note
instead of a redirect, so htmx never swaps the sign-in page into a form.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from matching.lookups import skills_suggest

LIMIT = 6
MIN_LENGTH = 2
MAX_LENGTH = 100
# The fields that ask for suggestions send their own value under their own name.
FIELD_NAMES = ("q", "skills", "essential_skills")


@require_GET
def skill_suggest(request):
    if not request.user.is_authenticated:
        return HttpResponse(
            '<p class="govuk-body-s">Sign in again to see suggestions.</p>', status=403
        )
    typed = next((request.GET[n] for n in FIELD_NAMES if n in request.GET), "")
    text = typed.split(",")[-1].strip()[:MAX_LENGTH]
    results = skills_suggest(text, limit=LIMIT) if len(text) >= MIN_LENGTH else []
    return render(
        request,
        "web/skill_suggestions.html",
        {"text": text if len(text) >= MIN_LENGTH else "", "results": results},
    )
