"""The demo seeding: refused on a real service, idempotent, on real Barnsley postcodes."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from employers.models import EmployerMember, Vacancy
from matching.lookups import postcode_locate
from seekers.models import SeekerProfile

pytestmark = pytest.mark.django_db


def test_refuses_demo_logins_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refusing to create demo logins"):
        call_command("seed_demo", size="small")
    assert not User.objects.exists()


def test_small_demo_town_is_complete_and_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", size="small")
    counts = (User.objects.count(), SeekerProfile.objects.count(), Vacancy.objects.count())
    call_command("seed_demo", size="small")
    assert (User.objects.count(), SeekerProfile.objects.count(), Vacancy.objects.count()) == counts

    active = SeekerProfile.objects.exclude(user__username__startswith="past-")
    assert active.count() == 60 and Vacancy.objects.count() == 30
    assert SeekerProfile.objects.filter(user__username__startswith="past-").count() == 150
    demo = SeekerProfile.objects.get(user__username="demo-seeker")
    assert demo.mentor.username == "demo-mentor" and demo.share_with_employers
    assert demo.consents.count() == 1
    org = EmployerMember.objects.get(user__username="demo-employer").employer
    assert org.vacancies.filter(status="open").count() >= 3
    for profile in SeekerProfile.objects.all()[:20]:
        location = postcode_locate(profile.postcode)
        assert location.la_code == "E08000038"
        assert (location.easting, location.northing) == (profile.easting, profile.northing)
        # Typed as people would and read by the normaliser: each says what it was read as.
        assert profile.skills and all(s["typed"] and s["how"] for s in profile.skills)
    for username in ("demo-seeker", "demo-employer", "demo-mentor", "demo-commissioner"):
        assert User.objects.get(username=username).check_password("demo-pass-2026")
    assert User.objects.get(username="demo-admin").is_superuser
