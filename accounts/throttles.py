"""Sign-in throttling, shared by the API token endpoint, the sign-in page, sign-up and the admin's
sign-in; password reset has a bucket of its own. Each keys on the client's address as
``accounts.addresses.client_address`` reads it (``NUM_PROXIES``), so a made-up
``X-Forwarded-For`` does not give a client a fresh bucket."""

from rest_framework.throttling import SimpleRateThrottle

from accounts.addresses import client_address


class SignInThrottle(SimpleRateThrottle):
    """Limit sign-in attempts per client address (rate: ``SIGN_IN_THROTTLE_RATE``).

    Works on a DRF request and on a plain Django ``HttpRequest`` alike: it reads only
    ``request.META`` for the address.
    """

    scope = "sign_in"

    def get_ident(self, request) -> str:
        return client_address(request)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PasswordResetThrottle(SignInThrottle):
    """Limit password-reset requests per client address, in a bucket of their own, at the
    ``password_reset`` rate if one is configured, else the sign-in rate."""

    scope = "password_reset"

    def get_rate(self):
        return self.THROTTLE_RATES.get(self.scope) or self.THROTTLE_RATES.get(SignInThrottle.scope)
