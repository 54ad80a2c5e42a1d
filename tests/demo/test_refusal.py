"""The demo seeding is refused on a real service. What it seeds is checked in
tests/demo/test_history.py, on one town seeded for the module."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_refuses_demo_logins_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refusing to create demo logins"):
        call_command("seed_demo", size="small")
    assert not User.objects.exists()
