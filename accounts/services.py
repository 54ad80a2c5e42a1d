"""Writes on accounts. One state change, one function."""

from __future__ import annotations

from django.db import transaction
from knox.models import AuthToken

from accounts.models import User
from jobmatch.queue import enqueue


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    send_welcome: bool = True,
) -> User:
    """Create an account with ``role`` and queue its welcome email once the row is committed."""
    user = User(
        username=username,
        role=role,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff or is_superuser,
        is_superuser=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if send_welcome and email:
        enqueue("accounts.tasks.send_welcome_email", user.pk)
    return user


def user_update_contact(
    *,
    user: User,
    email: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
) -> User:
    """Change the name and email a person gives; the role is never changed here."""
    fields = []
    for name, value in (("email", email), ("first_name", first_name), ("last_name", last_name)):
        if value is not None:
            setattr(user, name, value)
            fields.append(name)
    if fields:
        user.save(update_fields=fields)
    return user


def email_send(*, subject: str, body: str, to: str) -> None:
    """Queue one plain email, so a page answers without waiting for the mail server (nothing to
    commit first: it writes no row)."""
    enqueue("accounts.tasks.send_email", subject, body, to, on_commit=False)


def token_create(*, user: User) -> tuple[AuthToken, str]:
    """Make a new API token for ``user`` (one per sign-in); return it and its secret, which is
    stored only as a hash and shown this once. It ends after ``REST_KNOX["TOKEN_TTL"]``."""
    return AuthToken.objects.create(user=user)


def token_revoke(*, user: User, key: str) -> bool:
    """End the token of ``user`` whose first characters are ``key``; False if there is none."""
    deleted, _ = AuthToken.objects.filter(user=user, token_key=key).delete()
    return deleted > 0


def token_revoke_all(*, user: User) -> int:
    """End every API token of ``user``; return how many there were."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted
