"""The authentication backend: Django's, behind the per-account lockout (``accounts.lockout``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts.lockout import lockout_clear, lockout_record_failure, lockout_wait

LOCKED_FOR = "sign_in_locked_for"  # the request attribute the sign-in views read


class LockoutBackend(ModelBackend):
    """Refuse a locked-out username before its password is checked; count failures, clear the
    count on success. On a refusal the request gets ``sign_in_locked_for`` (seconds to wait), so
    the view can say so instead of "wrong password"."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if request is None or username is None:
            return super().authenticate(request, username, password, **kwargs)
        if lockout_wait(username=username, request=request):
            setattr(request, LOCKED_FOR, lockout_record_failure(username=username, request=request))
            raise PermissionDenied("locked out")
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            wait = lockout_record_failure(username=username, request=request)
            if wait:
                setattr(request, LOCKED_FOR, wait)
        else:
            lockout_clear(username=username, request=request)
        return user
