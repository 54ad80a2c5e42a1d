from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "role", "is_staff", "is_active")
    list_filter = ("role", "is_staff", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + (("JobMatch", {"fields": ("role",)}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("JobMatch", {"fields": ("role", "email")}),)
