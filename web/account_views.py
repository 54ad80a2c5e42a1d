"""Pages about a person's own account: jobseeker sign-up and notifications.

Sign-up validates with the API's ``RegisterSerializer`` and calls the same service as
``auth/register/``, throttled the same way; notifications are the caller's own rows, as
``notifications/`` lists them."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.throttles import SignInThrottle
from accounts.views import too_many_attempts
from placements.models import Notification
from placements.notifications import notifications_mark_read
from web.forms import in_order, validate

# The sign-up form's fields, in the order the page shows them (and the error summary lists them),
# as its error messages name them.
SIGNUP_FIELDS = {
    "first_name": "your first name",
    "last_name": "your last name",
    "email": "your email address",
    "username": "a username",
    "password": "a password",
    "password2": "your password again to confirm it",
    "postcode": "your postcode",
    "share_with_employers": "whether employers may see your profile",
}


def _signup_data(post) -> dict:
    """The form's fields as ``auth/register/`` takes them."""
    profile = {"share_with_employers": post.get("share_with_employers") == "yes"}
    if post.get("postcode", "").strip():
        profile["postcode"] = post["postcode"]
    return {
        "username": post.get("username", "").strip(),
        "email": post.get("email", "").strip(),
        "first_name": post.get("first_name", "").strip(),
        "last_name": post.get("last_name", "").strip(),
        "password": post.get("password", ""),
        "profile": profile,
    }


def _signup_errors(errors: dict[str, str], post) -> dict[str, str]:
    """The serializer's errors (from ``validate``) plus the page's own check that the password
    was typed the same twice, in page order."""
    found = dict(errors)
    password, again = post.get("password", ""), post.get("password2", "")
    if password and not again:
        found["password2"] = "Enter your password again to confirm it."
    elif password and again != password:
        found["password2"] = "The passwords do not match. Enter the same password in both boxes."
    return in_order(found, SIGNUP_FIELDS)


def signup(request):
    """Sign up as a jobseeker, then go to the new profile signed in."""
    from seekers.serializers import RegisterSerializer
    from seekers.services import seeker_register

    if request.user.is_authenticated:
        return redirect("home")
    errors: dict[str, str] = {}
    if request.method == "POST":
        throttle = SignInThrottle()
        if not throttle.allow_request(request, None):
            return too_many_attempts(request, throttle, "sign-up attempts")
        validated, errors, _ = validate(
            RegisterSerializer,
            _signup_data(request.POST),
            labels=SIGNUP_FIELDS,
            strip="profile.",
            context={"request": request},
        )
        errors = _signup_errors(errors, request.POST)
        if not errors and validated is not None:
            profile = seeker_register(
                username=validated["username"],
                password=validated["password"],
                email=validated["email"],
                first_name=validated.get("first_name", ""),
                last_name=validated.get("last_name", ""),
                profile=validated.get("profile") or {},
            )
            login(request, profile.user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(
                request,
                "Your account is set up and you are signed in. Add your skills, the jobs you "
                "want and how you can travel, so we can find you matches.",
            )
            return redirect("web-profile")
    return render(
        request,
        "accounts/signup.html",
        {"errors": errors, "posted": request.POST if request.method == "POST" else {}},
        status=400 if errors else 200,
    )


_API_PLACEMENT = re.compile(r"^/api/v1/placements/(\d+)/?$")
# Where a placement notice points on the pages, by the reader's role.
PLACEMENT_PAGE = {
    Role.SEEKER: "web-placements",
    Role.EMPLOYER: "web-inbox",
    Role.MENTOR: "web-caseload",
}


def web_link(link: str, user) -> str:
    """The page a notice's ``link`` stands for, or "" where no page shows it. Links may be API
    paths (``/api/v1/placements/7/``); a page never links into the JSON API."""
    if not link or not link.startswith("/") or link.startswith("//"):
        return ""
    match = _API_PLACEMENT.match(link)
    if match:
        if user.is_staff and not user.role:
            return f"/admin/placements/placement/{match.group(1)}/change/"
        name = PLACEMENT_PAGE.get(user.role)
        try:
            return reverse(name) if name else ""
        except NoReverseMatch:
            return ""
    if link.startswith("/api/"):
        return ""
    return link


@login_required
def notifications(request):
    """The caller's own notices, newest first, unread ones marked."""
    page = Paginator(Notification.objects.filter(user=request.user), 20).get_page(
        request.GET.get("page")
    )
    rows = [{"notice": n, "href": web_link(n.link, request.user)} for n in page]
    return render(request, "web/notifications.html", {"page": page, "rows": rows})


@login_required
@require_POST
def notifications_read(request):
    """Mark one notice (``id``) or all the caller's notices as read."""
    notice_id = request.POST.get("id", "")
    if notice_id:
        if not re.fullmatch(r"[0-9]{1,18}", notice_id):
            return redirect("web-notifications")  # not an id of anything: nothing to mark
        changed = notifications_mark_read(user=request.user, ids=[int(notice_id)])
        if changed:
            messages.success(request, "Notification marked as read.")
    else:
        changed = notifications_mark_read(user=request.user)
        messages.success(
            request,
            "All your notifications are marked as read." if changed else "You had nothing unread.",
        )
    return redirect("web-notifications")
