"""Template context every page needs: the council's name and the caller's role."""

from django.conf import settings


def service(request) -> dict:
    user = getattr(request, "user", None)
    role = user.role_name if user is not None and user.is_authenticated else ""
    return {"council_name": settings.COUNCIL_NAME, "role": role}
