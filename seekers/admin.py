"""Seekers in the Django admin. Every view or change of a profile here is access-logged, and
changes go through the same services, under the same rules, as the API and pages (a new postcode
is located, the hours checked, matches recomputed)."""

from django.contrib import admin

from jobmatch.admin import LoggedReadAdmin, ServiceAdmin
from seekers import services
from seekers.models import ConsentChange, SeekerProfile


class ConsentInline(admin.TabularInline):
    model = ConsentChange
    extra = 0
    can_delete = False
    readonly_fields = ("share_with_employers", "statement", "changed_by", "changed_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SeekerProfile)
class SeekerProfileAdmin(LoggedReadAdmin, ServiceAdmin):
    list_display = ("user", "postcode", "mentor", "benefit_group", "registered_on")
    list_filter = ("benefit_group", "share_with_employers")
    search_fields = ("user__username", "user__last_name", "postcode")
    autocomplete_fields = ["mentor"]
    # Skills are read and chosen on the profile page, where each phrase shows what it was
    # understood as; the place follows from the postcode.
    readonly_fields = ("user", "skills", "easting", "northing", "created_at", "updated_at")
    inlines = [ConsentInline]
    actions = ["unassign_mentor"]

    logged_as = "profile"

    def seeker_user_id(self, obj) -> int:
        return obj.user_id

    def check_rules(self, request, stored, changed):
        services.profile_values(stored, changed, by_self=request.user.pk == stored.user_id)

    def has_add_permission(self, request):
        return False  # a jobseeker signs up (seeker_register), in person or with a mentor

    def save_model(self, request, obj, form, change):
        stored = SeekerProfile.objects.get(pk=obj.pk)
        if "mentor" in form.changed_data:
            services.seeker_assign_mentor(
                seeker=stored, mentor=obj.mentor, by=request.user, channel="admin"
            )
        data = {name: form.cleaned_data[name] for name in form.changed_data if name != "mentor"}
        if data:
            services.seeker_profile_update(
                seeker=stored, by=request.user, data=data, channel="admin"
            )

    @admin.action(description="Take the selected seekers off their mentor's caseload")
    def unassign_mentor(self, request, queryset):
        for profile in queryset:
            services.seeker_assign_mentor(
                seeker=profile, mentor=None, by=request.user, channel="admin"
            )
