"""The web tests' world: alice (seeker, on maya's caseload, consenting) matches bob's forklift
vacancy at Acme; eve works for Bolt, which has a forklift vacancy in London; cora is a
commissioner and root an admin."""

import pytest

from accounts.models import Role
from matching.services import matches_recompute_all
from tests.conftest import make_user
from tests.factories import (
    TOWN,
    EmployerFactory,
    EmployerMemberFactory,
    SeekerProfileFactory,
    VacancyFactory,
)

FORKLIFT = {
    "typed": "forklift",
    "id": "uk:forklift_counterbalance",
    "label": "Counterbalance forklift licence",
}


@pytest.fixture
def world(cast):
    acme, bolt = EmployerFactory(name="Acme"), EmployerFactory(name="Bolt")
    EmployerMemberFactory(user=cast["employer"], employer=acme)
    eve = make_user("eve", Role.EMPLOYER)
    EmployerMemberFactory(user=eve, employer=bolt)
    profile = SeekerProfileFactory(
        user=cast["seeker"],
        mentor=cast["mentor"],
        share_with_employers=True,
        skills=[FORKLIFT],
        travel_modes=["walk"],
        **TOWN,
    )
    vacancy = VacancyFactory(employer=acme, title="Forklift driver", skills=[FORKLIFT], **TOWN)
    far = VacancyFactory(
        employer=bolt,
        title="Forklift driver in London",
        skills=[FORKLIFT],
        postcode="SW1A 1AA",
        easting=529090,
        northing=179645,
    )
    matches_recompute_all()
    return {**cast, "eve": eve, "profile": profile, "vacancy": vacancy, "far": far}
