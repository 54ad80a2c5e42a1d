"""What each role may read: every GET endpoint's keys, filters and orderings against an allow-list,
and the three ways employers could read health data.

The cast: alice (seeker on maya's caseload, claims a health-related benefit), sam (seeker with no
mentor), bob (employer at Acme), maya (mentor of alice), mo (a mentor with nobody), cora
(commissioner), root (admin). Both seekers were introduced to Acme and worked there. Alice's job
ended for a reason she wrote about her health, and maya recorded her 13-week check with a note
about it; sam's job ended for a reason bob wrote, and root recorded his 13-week check with the
employer's confirmation.

Employers never read benefit group, registration dates, equality fields, a mentor's check note,
the evidence or hours of checks they did not confirm, or an end reason another party wrote.
Commissioners read aggregates only. A new GET endpoint, a new key in a response or a new filter
fails ``test_every_key_is_allowed`` or ``test_every_filter_is_allowed`` until it is added here
on purpose.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import resolve
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.generators import SchemaGenerator
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory, force_authenticate

from accounts.models import Role
from matching.services import matches_recompute_all
from placements import services
from placements.models import Placement
from tests.conftest import make_user
from tests.factories import (
    TOWN,
    EmployerFactory,
    EmployerMemberFactory,
    SeekerProfileFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db

FORKLIFT = {"typed": "forklift", "id": "uk:forklift_counterbalance", "label": "Forklift"}
HEALTH_NOTE = "off sick with depression"
HEALTH_END = "left for mental health treatment"
EMPLOYER_END = "contract finished"


def _to_work(*, seeker, vacancy, employer, mentor_side, start):
    placement = services.placement_request_introduction(
        seeker=seeker, vacancy=vacancy, by=seeker.user, channel="api"
    )
    services.placement_act(placement=placement, by=employer, action="offer", channel="api")
    services.placement_act(
        placement=placement, by=seeker.user, start_date=start, action="accept-offer", channel="api"
    )
    services.placement_act(placement=placement, by=employer, action="confirm-start", channel="api")
    services.placement_act(
        placement=placement, by=mentor_side, action="confirm-start", channel="api"
    )
    return Placement.objects.get(pk=placement.pk)


@pytest.fixture
def world(cast):
    bob, maya, root = cast["employer"], cast["mentor"], cast["admin"]
    acme = EmployerFactory(name="Acme")
    EmployerMemberFactory(user=bob, employer=acme)
    profile = dict(skills=[FORKLIFT], travel_modes=["walk"], share_with_employers=True, **TOWN)
    alice = SeekerProfileFactory(
        user=cast["seeker"],
        mentor=maya,
        benefit_group="uc_health",
        registered_on=dt.date(2026, 3, 2),
        age_band="25_34",
        disability="yes",
        **profile,
    )
    sam = SeekerProfileFactory(
        mentor=None, benefit_group="jsa_25_plus", registered_on=dt.date(2025, 9, 1), **profile
    )
    vacancies = [VacancyFactory(employer=acme, skills=[FORKLIFT], **TOWN) for _ in range(3)]
    matches_recompute_all()
    start = timezone.localdate() - dt.timedelta(days=200)
    mine = _to_work(seeker=alice, vacancy=vacancies[0], employer=bob, mentor_side=maya, start=start)
    theirs = _to_work(seeker=sam, vacancy=vacancies[1], employer=bob, mentor_side=root, start=start)
    services.check_record(
        channel="api",
        check=mine.checks.get(week=13),
        by=maya,
        result="in_work",
        evidence="mentor_verified",
        hours_per_week=16,
        note=HEALTH_NOTE,
    )
    services.check_record(
        channel="api",
        check=theirs.checks.get(week=13),
        by=root,
        result="in_work",
        evidence="employer_confirmed",
        hours_per_week=30,
    )
    end = timezone.localdate() - dt.timedelta(days=20)
    services.placement_act(
        placement=mine, by=alice.user, end_date=end, reason=HEALTH_END, action="end", channel="api"
    )
    services.placement_act(
        placement=theirs, by=bob, end_date=end, reason=EMPLOYER_END, action="end", channel="api"
    )
    outside = services.outside_job_record(
        channel="api",
        seeker=alice,
        by=maya,
        employer_name="Corner shop",
        start_date=end,
        hours_per_week=10,
        evidence="self_reported",
    )
    return {
        **cast,
        "mo": make_user("mo", Role.MENTOR),
        "alice": alice,
        "sam": sam,
        "vacancy": vacancies[2],
        "mine": mine,
        "theirs": theirs,
        "outside": outside,
    }


# --- the three leaks ----------------------------------------------------------------------------


def test_employer_cannot_find_seekers_by_benefit_group_or_registration(world, as_user):
    client = as_user(world["employer"])
    everyone = client.get("/api/v1/seekers/").json()["results"]
    assert sorted(r["id"] for r in everyone) == sorted([world["alice"].pk, world["sam"].pk])
    for query in (
        "benefit_group=uc_health",
        "benefit_group=jsa_25_plus",
        "registered_after=2026-01-01",
        "registered_before=2025-12-31",
        "ordering=-registered_on",
        "ordering=registered_on",
    ):
        assert client.get(f"/api/v1/seekers/?{query}").json()["results"] == everyone, query
    # The same filter narrows a mentor's list: it is the employer's that ignores it.
    mentor = as_user(world["mentor"]).get("/api/v1/seekers/?benefit_group=jsa_25_plus")
    assert mentor.json()["results"] == []


def test_employer_reads_no_check_note_and_only_checks_they_confirmed(world, as_user):
    client = as_user(world["employer"])
    for pk in (world["mine"].pk, world["theirs"].pk):
        body = client.get(f"/api/v1/placements/{pk}/")
        assert HEALTH_NOTE not in body.content.decode()
    mine = client.get(f"/api/v1/placements/{world['mine'].pk}/").json()
    week13 = next(c for c in mine["checks"] if c["week"] == 13)
    assert "note" not in week13
    assert week13["result"] is None and week13["hours_per_week"] is None
    assert week13["evidence"] is None and week13["due_on"]
    theirs = client.get(f"/api/v1/placements/{world['theirs'].pk}/").json()
    week13 = next(c for c in theirs["checks"] if c["week"] == 13)
    assert (week13["evidence"], week13["hours_per_week"]) == ("employer_confirmed", "30.0")
    listed = client.get("/api/v1/placements/")
    assert HEALTH_NOTE not in listed.content.decode()
    # The mentor still reads their own note.
    mentor = as_user(world["mentor"]).get(f"/api/v1/placements/{world['mine'].pk}/").json()
    assert next(c for c in mentor["checks"] if c["week"] == 13)["note"] == HEALTH_NOTE


def test_employer_reads_an_end_reason_only_when_they_wrote_it(world, as_user):
    client = as_user(world["employer"])
    mine = client.get(f"/api/v1/placements/{world['mine'].pk}/")
    assert HEALTH_END not in mine.content.decode()
    assert mine.json()["end_reason"] == ""
    theirs = client.get(f"/api/v1/placements/{world['theirs'].pk}/").json()
    assert theirs["end_reason"] == EMPLOYER_END
    assert HEALTH_END not in client.get("/api/v1/placements/").content.decode()
    seeker = as_user(world["seeker"]).get(f"/api/v1/placements/{world['mine'].pk}/").json()
    assert seeker["end_reason"] == HEALTH_END


def test_employer_pages_show_no_health_text(world, client):
    client.force_login(world["employer"])
    pages = [
        "/inbox/",
        "/vacancies/",
        f"/vacancies/{world['vacancy'].pk}/candidates/",
        *(f"/placements/{world['mine'].pk}/{action}/" for action in ("end", "confirm-start")),
    ]
    for url in pages:
        page = client.get(url)
        assert page.status_code < 500, url
        text = page.content.decode()
        for secret in (HEALTH_NOTE, HEALTH_END, "uc_health", "health-related"):
            assert secret not in text, (url, secret)
    # The employer's own reason is on their inbox.
    assert EMPLOYER_END in client.get("/inbox/").content.decode()


def test_employer_export_holds_only_their_account(world, as_user):
    body = as_user(world["employer"]).get("/api/v1/seekers/me/export/").json()
    assert set(body) == {"exported_at", "account"}


# --- every role, every GET endpoint ---------------------------------------------------------------

# Keys are flattened: "a.b" is key b inside object a; "a[].b" inside each item of list a. A
# paginated list is allowed the keys of its items (under "results[]") and "count", "next",
# "previous". Roles not listed for an endpoint get a 403 or 404 there.
PAGE = {"count", "next", "previous"}
ACCOUNT = {"id", "username", "first_name", "last_name", "email", "role", "is_staff"}
EMPLOYER_ROW = {"id", "name", "created_at"}
EMPLOYER_NAME = {"id", "name"}  # what seekers read of an employer
VACANCY = {
    "id", "employer", "employer_name", "title", "description", "skills", "skills[].typed",
    "skills[].id", "skills[].label", "essential_skills", "essential_skills[].typed",
    "essential_skills[].id", "essential_skills[].label", "postcode", "remote", "hours_per_week",
    "contract_type", "wage_per_hour", "positions", "requires_driving_licence", "posted_on",
    "closing_date", "status", "created_at", "updated_at",
}  # fmt: skip
SKILL = {"id", "label", "kind"}


def _skill_keys(field: str) -> set[str]:
    """A stored skill list's keys: what each phrase was understood as, and its alternatives."""
    item = ("typed", "id", "label", "confidence", "alternatives", "how")
    alternative = ("id", "label", "confidence")
    return (
        {field}
        | {f"{field}[].{k}" for k in item}
        | {f"{field}[].alternatives[].{k}" for k in alternative}
    )


OFFERED = {"skills_offered", "skills_offered[].id", "skills_offered[].label",
           "skills_offered[].confidence"}  # fmt: skip
VACANCY |= _skill_keys("skills") | _skill_keys("essential_skills") | OFFERED
PROFILE = {
    "id", "username", "first_name", "last_name", "email", "postcode", "skills", "skills[].typed",
    "skills[].id", "skills[].label", "desired_titles", "about", "travel_modes",
    "max_travel_minutes", "hours_min", "hours_max", "has_driving_licence", "share_with_employers",
    "age_band", "sex", "disability", "ethnicity", "benefit_group", "registered_on", "mentor",
    "updated_at",
} | _skill_keys("skills") | OFFERED  # fmt: skip
INTRODUCED = {"id", "first_name", "last_name", "email", "skills", "skills[].typed", "skills[].id",
              "skills[].label"} | _skill_keys("skills")  # fmt: skip
PLACEMENT_COMMON = {
    "id", "vacancy", "vacancy_title", "employer_name", "seeker", "seeker.id", "seeker.name",
    "seeker.email", "seeker.pseudonym", "state", "state_label", "invited_by_employer",
    "introduced_at", "start_date", "end_date", "end_reason", "decline_reason", "decline_text",
    "history", "history[].from", "history[].to", "history[].at", "history[].by",
    "history[].reason", "checks", "checks[].id", "checks[].week", "checks[].due_on",
    "checks[].result", "checks[].hours_per_week", "checks[].evidence", "checks[].recorded_at",
    "allowed_actions", "created_at", "updated_at",
}  # fmt: skip
PLACEMENT_FULL = PLACEMENT_COMMON | {"checks[].note"}
PLACEMENT_EMPLOYER = PLACEMENT_COMMON
MATCH_VACANCY = {
    "vacancy", "vacancy.id", "vacancy.title", "vacancy.employer", "vacancy.employer_name",
    "vacancy.postcode", "vacancy.remote", "vacancy.hours_per_week", "vacancy.contract_type",
    "vacancy.wage_per_hour", "vacancy.closing_date",
}  # fmt: skip
MATCH = MATCH_VACANCY | {"score", "rank", "reasons", "engine_version", "computed_at"}
CANDIDATE_EMPLOYER = {
    "pseudonym", "rank", "score", "skills", "skills_matched", "skills_missing_essential",
    "distance_band", "hours_min", "hours_max", "has_driving_licence",
}  # fmt: skip
CANDIDATE_MENTOR = CANDIDATE_EMPLOYER | {"seeker", "name", "reasons"}
CASELOAD = {
    "id", "name", "postcode", "benefit_group", "registered_on", "status", "stuck",
    "last_progress", "open_placements", "checks_due", "working",
}  # fmt: skip
NOTIFICATION = {"id", "message", "link", "created_at", "read_at"}


def page(keys: set[str]) -> set[str]:
    return PAGE | {"results"} | {f"results[].{k}" for k in keys}


def computed(keys: set[str]) -> set[str]:
    """A page of computed results, with how fresh they are."""
    return page(keys) | {"updating", "computed_at"}


ALL = ("seeker", "employer", "mentor", "commissioner", "admin")
PEOPLE = ("seeker", "mentor", "admin")

# endpoint -> {role: allowed keys}. Match reasons and export/report bodies are checked apart.
ALLOWED: dict[str, dict[str, set[str]]] = {
    "/api/v1/me/": {r: ACCOUNT for r in ALL},
    "/api/v1/auth/tokens/": {r: None for r in ALL},  # own tokens: tests/accounts/test_tokens.py
    "/api/v1/employers/": {"seeker": page(EMPLOYER_NAME)}
    | {r: page(EMPLOYER_ROW) for r in ALL[1:]},
    "/api/v1/employers/{id}/": {"seeker": EMPLOYER_NAME} | {r: EMPLOYER_ROW for r in ALL[1:]},
    "/api/v1/vacancies/": {r: page(VACANCY) for r in ALL},
    "/api/v1/vacancies/{id}/": {r: VACANCY for r in ALL},
    "/api/v1/skills/": {r: {"search", "results", *(f"results[].{k}" for k in SKILL)} for r in ALL},
    "/api/v1/seekers/": {
        "seeker": page(PROFILE),
        "employer": page(INTRODUCED),
        "mentor": page(PROFILE),
        "admin": page(PROFILE),
    },
    "/api/v1/seekers/{id}/": {
        "seeker": PROFILE,
        "employer": INTRODUCED,
        "mentor": PROFILE,
        "admin": PROFILE,
    },
    "/api/v1/seekers/me/": {"seeker": PROFILE},
    "/api/v1/seekers/me/matches/": {"seeker": computed(MATCH)},
    "/api/v1/seekers/{id}/matches/": {r: computed(MATCH) for r in PEOPLE},
    "/api/v1/seekers/{id}/matches/{vacancy_id}/": {
        r: MATCH | {"is_match", "failures"} for r in PEOPLE
    },
    "/api/v1/vacancies/{id}/candidates/": {
        "employer": computed(CANDIDATE_EMPLOYER),
        "mentor": computed(CANDIDATE_MENTOR),
        "admin": computed(CANDIDATE_MENTOR),
    },
    "/api/v1/placements/": {
        "seeker": page(PLACEMENT_FULL),
        "employer": page(PLACEMENT_EMPLOYER),
        "mentor": page(PLACEMENT_FULL),
        "admin": page(PLACEMENT_FULL),
    },
    "/api/v1/placements/{id}/": {
        "seeker": PLACEMENT_FULL,
        "employer": PLACEMENT_EMPLOYER,
        "mentor": PLACEMENT_FULL,
        "admin": PLACEMENT_FULL,
    },
    "/api/v1/caseload/": {"mentor": page(CASELOAD), "admin": page(CASELOAD)},
    "/api/v1/notifications/": {r: page(NOTIFICATION) for r in ALL},
    "/api/v1/seekers/me/export/": {r: None for r in ALL},  # checked by its own tests
    "/api/v1/reports/outcomes/": {"commissioner": None, "admin": None},  # aggregates: see below
    "/api/v1/reports/outcomes/chart.svg": {"commissioner": None, "admin": None},
}

# Keys an employer or a commissioner must never read, whatever the allow-list above says.
SPECIAL = {"benefit_group", "registered_on", "age_band", "sex", "disability", "ethnicity", "note",
           "registration_benefit_group"}  # fmt: skip


def get_paths() -> set[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {p for p, ops in schema["paths"].items() if "get" in ops}


def url_for(template: str, world) -> str:
    ids = {
        "/api/v1/employers/{id}/": world["mine"].vacancy.employer_id,
        "/api/v1/vacancies/{id}/": world["vacancy"].pk,
        "/api/v1/vacancies/{id}/candidates/": world["vacancy"].pk,
        "/api/v1/placements/{id}/": world["mine"].pk,
    }
    url = template.replace("{vacancy_id}", str(world["vacancy"].pk))
    return url.replace("{id}", str(ids.get(template, world["alice"].pk)))


def flatten(value, prefix: str = "") -> set[str]:
    keys: set[str] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            name = f"{prefix}.{k}" if prefix else k
            keys |= {name} | flatten(v, name)
    elif isinstance(value, list):
        for item in value:
            keys |= flatten(item, f"{prefix}[]")
    return keys


def test_the_table_covers_every_get_endpoint():
    assert get_paths() == set(ALLOWED)


@pytest.mark.parametrize("role", ALL)
def test_every_key_is_allowed(world, as_user, role):
    client = as_user(world[role])
    wrong = {}
    for template, allowed in ALLOWED.items():
        response = client.get(url_for(template, world))
        if role not in allowed:
            if response.status_code not in (403, 404):
                wrong[template] = response.status_code
            continue
        if response.status_code != 200:
            wrong[template] = response.status_code
            continue
        if allowed[role] is None or not response["Content-Type"].startswith("application/json"):
            continue
        keys = flatten(response.json())
        # Match reasons are the engine's explanation of one pair, read only by the seeker's side.
        keys = {k for k in keys if not re.search(r"(^|\.)reasons\.", k)}
        if not keys:
            wrong[template] = "nothing to check"
        if keys - allowed[role]:
            wrong[template] = sorted(keys - allowed[role])
        if role in ("employer", "commissioner"):
            leaves = {re.split(r"[.\[\]]+", k)[-1] for k in keys}
            if leaves & SPECIAL:
                wrong[template] = sorted(leaves & SPECIAL)
    assert wrong == {}


def test_the_report_reads_no_person(world, as_user):
    """The report is aggregates: no row names, ids or postcodes of any seeker."""
    body = as_user(world["commissioner"]).get("/api/v1/reports/outcomes/").content.decode()
    for person in (world["alice"], world["sam"]):
        assert person.user.username not in body and person.postcode not in body
    assert "email" not in body


# Filters and orderings each role has on each list endpoint (query parameters other than paging).
FILTERS: dict[str, dict[str, set[str]]] = {
    "/api/v1/employers/": {r: {"name__icontains", "ordering:name", "ordering:id"} for r in ALL},
    "/api/v1/vacancies/": {
        r: {"contract_type", "employer", "remote", "requires_driving_licence", "status", "title"}
        | {f"ordering:{f}" for f in ("posted_on", "closing_date", "wage_per_hour", "id")}
        for r in ALL
    },
    "/api/v1/seekers/": {
        "employer": {"has_driving_licence", "ordering:id"},
        **{
            r: {
                "benefit_group",
                "share_with_employers",
                "has_driving_licence",
                "registered_after",
                "registered_before",
                "ordering:registered_on",
                "ordering:updated_at",
                "ordering:id",
            }  # fmt: skip
            for r in PEOPLE
        },
    },
    "/api/v1/placements/": {
        r: {"state", "vacancy", "ordering:updated_at", "ordering:created_at", "ordering:id"}
        for r in ("seeker", "employer", "mentor", "admin")
    },
}


def filters_for(template: str, user) -> set[str]:
    """The filter and ordering names a user's request to ``template`` would honour."""
    match = resolve(template)
    view = match.func.cls(**match.func.initkwargs)
    django_request = APIRequestFactory().get(template)
    force_authenticate(django_request, user=user)
    view.request = Request(django_request)
    view.request.user = user
    view.action, view.kwargs, view.format_kwarg = "list", {}, None
    names: set[str] = set()
    backends = getattr(view, "filter_backends", [])
    if not hasattr(view, "get_queryset"):
        return names
    queryset = view.get_queryset()
    if DjangoFilterBackend in backends:
        filterset = DjangoFilterBackend().get_filterset_class(view, queryset)
        names |= set(filterset.base_filters) if filterset else set()
    if OrderingFilter in backends:
        fields = OrderingFilter().get_valid_fields(queryset, view, {"request": view.request})
        names |= {f"ordering:{name}" for name, _ in fields}
    return names


@pytest.mark.parametrize("role", ALL)
def test_every_filter_is_allowed(world, role):
    wrong = {}
    for template, allowed in ALLOWED.items():
        if "{" in template or role not in allowed or allowed[role] is None:
            continue
        names = filters_for(template, world[role])
        expected = FILTERS.get(template, {}).get(role, set())
        if names - expected:
            wrong[template] = sorted(names - expected)
        if role == "employer":
            fields = {re.sub("^ordering:", "", n) for n in names}
            assert not fields & (SPECIAL | {"registered_after", "registered_before"})
    assert wrong == {}


def test_another_mentor_reads_nothing_of_someone_elses_caseload(world, as_user, client):
    """mo mentors nobody: alice's profile, matches, placements and checks are out of scope."""
    api = as_user(world["mo"])
    alice = world["alice"]
    secrets = (alice.user.username, alice.user.email, HEALTH_NOTE, HEALTH_END, "Corner shop")
    for template in ALLOWED:
        response = api.get(url_for(template, world))
        assert response.status_code in (200, 403, 404), template
        text = response.content.decode()
        assert not [s for s in secrets if s in text], template
    client.force_login(world["mo"])
    for url in (f"/caseload/{alice.pk}/", f"/placements/{world['mine'].pk}/end/"):
        page = client.get(url)
        assert page.status_code in (403, 404), url


def test_employer_sees_a_candidates_fit_too_coarse_to_locate_them(world, as_user, client):
    """A fine-grained fit carries the travel part: with vacancies at several postcodes an
    employer could work out where a candidate lives. Employers get it to one decimal."""
    # One more of maya's people, with a second skill the job does not ask: a fit that is not a
    # round number, so that rounding shows.
    SeekerProfileFactory(
        mentor=world["mentor"],
        skills=[FORKLIFT, {"typed": "pallet wrapping", "id": None, "label": None}],
        travel_modes=["walk"],
        share_with_employers=True,
        **TOWN,
    )
    matches_recompute_all()
    url = f"/api/v1/vacancies/{world['vacancy'].pk}/candidates/"
    rows = as_user(world["employer"]).get(url).json()["results"]
    assert rows and all(r["score"] == round(r["score"], 1) for r in rows)
    mentor = as_user(world["mentor"]).get(url).json()["results"]
    assert any(r["score"] != round(r["score"], 1) for r in mentor), "mentors keep the full fit"
    client.force_login(world["employer"])
    page = client.get(f"/vacancies/{world['vacancy'].pk}/candidates/").content.decode()
    # Shown as a percentage, in steps of ten.
    assert re.search(r">\d?0%<", page) and not re.search(r">\d?[1-9]%<", page)


def test_before_the_introduction_history_says_only_which_side_acted(world, as_user):
    """Before the introduction the history must not tell the employer who acted on the seeker's
    side (the seeker, or a mentor: whether someone has a mentor is theirs to tell)."""
    acme = world["mine"].vacancy.employer
    vacancy = VacancyFactory(employer=acme, skills=[FORKLIFT], **TOWN)
    matches_recompute_all()
    placement = services.placement_invite(
        seeker=world["sam"], vacancy=vacancy, by=world["employer"], channel="api"
    )
    services.placement_act(
        placement=placement, by=world["sam"].user, reason="", action="withdraw", channel="api"
    )
    body = as_user(world["employer"]).get(f"/api/v1/placements/{placement.pk}/").json()
    assert "pseudonym" in body["seeker"]
    assert [e["by"] for e in body["history"]] == ["employer", "jobseeker"]
