"""Account pages: sign-in (throttled per client address, and per account by the lockout), the
account page, password change and password reset by email (Django's auth views with the
service's templates; the reset form is throttled per client address too and never says whether
an address has an account)."""

from __future__ import annotations

import functools

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy

from accounts.backends import LOCKED_FOR
from accounts.middleware import IDLE_COOKIE
from accounts.throttles import PasswordResetThrottle, SignInThrottle


def too_many_attempts(request, throttle, what: str):
    """The page for a throttled POST: status 429 with ``Retry-After``."""
    return _wait_page(request, int(throttle.wait() or 60), what)


def locked_out(request, response):
    """The page for a sign-in the lockout refused (``accounts.backends``), else ``response``."""
    wait = getattr(request, LOCKED_FOR, 0)
    if not wait:
        return response
    return _wait_page(request, wait, "sign-in attempts for this account")


def _wait_page(request, wait: int, what: str):
    response = render(
        request,
        "accounts/too_many.html",
        {"what": what, "wait": wait, "back": request.path},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def sign_in_throttled(view):
    """Wrap a sign-in view (the admin's) so its POSTs count against the sign-in throttle and a
    locked-out account is told to wait."""

    @functools.wraps(view)
    def throttled(request, *args, **kwargs):
        if request.method == "POST":
            throttle = SignInThrottle()
            if not throttle.allow_request(request, None):
                return too_many_attempts(request, throttle, "sign-in attempts")
            return locked_out(request, view(request, *args, **kwargs))
        return view(request, *args, **kwargs)

    return throttled


def form_errors(form) -> dict[str, str]:
    """A Django form's errors as ``{field: message}`` for the shared error summary."""
    return {field: " ".join(str(m) for m in messages) for field, messages in form.errors.items()}


class ErrorsMixin:
    """Give templates ``errors`` (one message per field) and ``posted`` for a bound form."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context["errors"] = form_errors(form) if form is not None and form.is_bound else {}
        return context


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if request.COOKIES.get(IDLE_COOKIE):
            response.delete_cookie(IDLE_COOKIE)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["idle_signed_out"] = self.request.method == "GET" and bool(
            self.request.COOKIES.get(IDLE_COOKIE)
        )
        return context

    def post(self, request, *args, **kwargs):
        throttle = SignInThrottle()
        if not throttle.allow_request(request, self):
            return too_many_attempts(request, throttle, "sign-in attempts")
        return locked_out(request, super().post(request, *args, **kwargs))


@login_required
def account(request):
    """The signed-in person's account: who they are and where to change things."""
    return render(request, "accounts/account.html")


MISMATCH = "The new passwords do not match. Enter the same new password in both boxes."


class PlainWordsMixin:
    """Messages that name the field and say how to put it right; a weak new password is reported
    on the first new-password box, where it was typed."""

    required = {
        "old_password": "Enter your current password.",
        "new_password1": "Enter a new password.",
        "new_password2": "Enter your new password again to confirm it.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.required.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        if "new_password2" not in self.errors:
            self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)


class SetPasswordForm(PlainWordsMixin, auth_forms.SetPasswordForm):
    error_messages = {"password_mismatch": MISMATCH}


class PasswordChangeForm(PlainWordsMixin, auth_forms.PasswordChangeForm):
    error_messages = {
        "password_mismatch": MISMATCH,
        "password_incorrect": "Your current password is not right. Enter the password you "
        "signed in with.",
    }


class PasswordResetForm(auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages.update(
            required="Enter your email address.",
            invalid="Enter your email address in the right format, like name@example.com.",
        )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Queue the email rather than send it during the request, so the answer takes as long
        whether or not the address has an account."""
        from django.template import loader

        from accounts.services import email_send

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        email_send(subject=subject, body=body, to=to_email)


class PasswordChangeView(ErrorsMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed.")
        return response


class PasswordResetView(ErrorsMixin, auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    form_class = PasswordResetForm

    def post(self, request, *args, **kwargs):
        throttle = PasswordResetThrottle()
        if not throttle.allow_request(request, self):
            return too_many_attempts(request, throttle, "password reset requests")
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        days = settings.PASSWORD_RESET_TIMEOUT // 86400
        hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        return super().get_context_data(
            reset_days=f"{days} days" if days > 1 else f"{hours} hours", **kwargs
        )


class PasswordResetConfirmView(ErrorsMixin, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
