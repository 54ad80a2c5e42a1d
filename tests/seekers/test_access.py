"""One way to read another person's record: through the caller's scope (a 404 outside it, with
nothing logged) and into the seeker's access log.

The cast: alice (seeker, maya's caseload), maya (mentor), mo (another mentor), bob (employer)."""

import pytest
from django.utils import timezone

from accounts.models import AccessLogEntry, Role
from jobmatch.errors import NotFound
from placements.access import access_placement
from placements.models import Placement, State
from seekers.access import access_seeker
from tests.conftest import make_user
from tests.factories import SeekerProfileFactory, VacancyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices(alice, maya):
    return SeekerProfileFactory(user=alice, mentor=maya)


def test_a_mentor_reads_their_caseload_and_it_is_logged(alices, maya):
    seeker = access_seeker(user=maya, pk=alices.pk, channel="web", what="seeker page")
    assert seeker == alices
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.subject, entry.what) == (maya, alices.user, "seeker page")


@pytest.mark.parametrize("pk", ["other", "nonsense", "999999"])
def test_outside_the_scope_is_not_found_and_nothing_is_logged(alices, pk):
    mo = make_user("mo", Role.MENTOR)
    ask = {"other": alices.pk, "nonsense": "abc", "999999": 999999}[pk]
    with pytest.raises(NotFound):
        access_seeker(user=mo, pk=ask, channel="api", what="profile")
    assert not AccessLogEntry.objects.exists()


def test_the_api_and_pages_answer_404_for_a_seeker_outside_the_scope(alices, as_user, client):
    mo = make_user("mo", Role.MENTOR)
    assert as_user(mo).get(f"/api/v1/seekers/{alices.pk}/").status_code == 404
    assert as_user(mo).get("/api/v1/seekers/abc/").status_code == 404
    assert as_user(mo).get("/api/v1/seekers/%C2%B2/").status_code == 404  # "²" is not an id
    assert as_user(mo).get("/api/v1/placements/%C2%B2/").status_code == 404
    client.force_login(mo)
    assert client.get(f"/caseload/{alices.pk}/").status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_a_pseudonymised_placement_read_is_not_logged_an_identified_one_is(alices, bob):
    from tests.factories import EmployerMemberFactory

    member = EmployerMemberFactory(user=bob)
    vacancy = VacancyFactory(employer=member.employer)
    placement = Placement.objects.create(
        seeker=alices, vacancy=vacancy, state=State.PROPOSED, invited_by_employer=True
    )
    assert access_placement(user=bob, pk=placement.pk, channel="api") == placement
    assert not AccessLogEntry.objects.exists()  # bob knows a pseudonym only
    Placement.objects.filter(pk=placement.pk).update(
        state=State.SEEKER_ACCEPTED, introduced_at=timezone.now()
    )
    access_placement(user=bob, pk=placement.pk, channel="api")
    assert AccessLogEntry.objects.get().subject == alices.user
