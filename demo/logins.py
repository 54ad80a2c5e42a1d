"""Demo logins (never in production): one per role, all with the same published password."""

from __future__ import annotations

from accounts.models import Role, User
from accounts.services import user_create

DEMO_PASSWORD = "demo-pass-2026"
DEMO_LOGINS = [
    # username, role, staff
    ("demo-seeker", Role.SEEKER, False),
    ("demo-employer", Role.EMPLOYER, False),
    ("demo-mentor", Role.MENTOR, False),
    ("demo-commissioner", Role.COMMISSIONER, False),
    ("demo-admin", "", True),
]


def demo_logins_ensure() -> list[User]:
    """Create the five demo logins if missing (idempotent); return them in the order above."""
    users = []
    for username, role, staff in DEMO_LOGINS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                email=f"{username}@example.org",
                first_name=username.removeprefix("demo-").title(),
                last_name="Demo",
                is_staff=staff,
                is_superuser=staff,
                send_welcome=False,
            )
        users.append(user)
    return users
