"""Role permission classes. Object scoping lives in selectors, not here: DRF does not apply object
permissions to lists or creates, so a view's queryset always comes from a ``*_for(user=...)``
selector."""

from rest_framework.permissions import BasePermission

from accounts.models import Role


class _HasRole(BasePermission):
    roles: tuple[str, ...] = ()
    message = "Your account's role may not use this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return user.is_staff or user.role in self.roles


def roles(*allowed: str) -> type[BasePermission]:
    """Return a permission class allowing staff and the given roles, e.g. ``roles("mentor")``."""
    names = ", ".join(allowed) or "administrators"
    return type(
        f"Roles_{'_'.join(allowed)}",
        (_HasRole,),
        {"roles": allowed, "message": f"Only these may use this: {names}."},
    )


IsStaff = roles()
IsSeeker = roles(Role.SEEKER)
IsEmployer = roles(Role.EMPLOYER)
IsMentor = roles(Role.MENTOR)
IsCommissioner = roles(Role.COMMISSIONER)
