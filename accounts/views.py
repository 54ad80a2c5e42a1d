"""The session sign-in page (restyled by the web pages later), throttled per client address."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from accounts.throttles import SignInThrottle


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        throttle = SignInThrottle()
        if not throttle.allow_request(request, self):
            wait = throttle.wait()
            response = HttpResponse(
                f"Too many sign-in attempts. Wait {int(wait or 60)} seconds and try again.",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = str(int(wait or 60))
            return response
        return super().post(request, *args, **kwargs)
