from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import AccessLogEntry, User
from jobmatch.admin import ReadOnlyAdmin


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "role", "is_staff", "is_active")
    list_filter = ("role", "is_staff", "is_active")
    search_fields = ("username", "first_name", "last_name", "email")
    fieldsets = BaseUserAdmin.fieldsets + (("JobMatch", {"fields": ("role",)}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("JobMatch", {"fields": ("role", "email")}),)


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    """The access log is read-only, even for admins."""

    list_display = ("at", "actor", "subject", "action", "channel", "what")
    list_filter = ("action", "channel")
    search_fields = ("subject__username", "actor__username")
