"""Placements in the Django admin: history and jobs found elsewhere are read-only; a start is
confirmed and a check recorded only through the same service functions as the API (so the same
rules, history and access log apply). Opening a record about a seeker is access-logged."""

from django.contrib import admin, messages

from jobmatch.admin import LoggedReadAdmin, ReadOnlyAdmin
from jobmatch.errors import DomainError
from placements import services
from placements.models import Notification, OutcomeCheck, OutsideJob, Placement, PlacementEvent


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = PlacementEvent
    fields = readonly_fields = ("at", "from_state", "to_state", "by", "reason")


class CheckInline(ReadOnlyInline):
    model = OutcomeCheck
    fields = readonly_fields = (
        "week",
        "due_on",
        "result",
        "evidence",
        "hours_per_week",
        "recorded_by",
        "recorded_at",
    )


@admin.register(Placement)
class PlacementAdmin(LoggedReadAdmin):
    list_display = ("id", "seeker", "vacancy", "state", "start_date", "updated_at")
    list_filter = ("state", "invited_by_employer")
    search_fields = ("seeker__user__username", "vacancy__title", "vacancy__employer__name")
    inlines = [EventInline, CheckInline]
    actions = ["confirm_start"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Placement._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    logged_as = "placement"

    def seeker_user_id(self, obj) -> int:
        return obj.seeker.user_id

    @admin.action(description="Confirm the start (as admin)")
    def confirm_start(self, request, queryset):
        for placement in queryset:
            try:
                services.placement_act(
                    placement=placement, action="confirm-start", by=request.user, channel="admin"
                )
            except DomainError as error:
                self.message_user(
                    request, f"Placement {placement.pk}: {error.message}", messages.ERROR
                )


@admin.register(OutcomeCheck)
class OutcomeCheckAdmin(LoggedReadAdmin):
    list_display = ("id", "week", "due_on", "result", "evidence", "placement", "outside_job")
    list_filter = ("week", "result", "evidence")
    fields = (
        "placement",
        "outside_job",
        "week",
        "due_on",
        "result",
        "evidence",
        "hours_per_week",
        "note",
        "recorded_by",
        "recorded_at",
    )
    readonly_fields = ("placement", "outside_job", "week", "due_on", "recorded_by", "recorded_at")
    logged_as = "check"

    def seeker_user_id(self, obj) -> int:
        return (obj.placement or obj.outside_job).seeker.user_id

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            services.check_record(
                check=obj,
                by=request.user,
                channel="admin",
                result=obj.result,
                evidence=obj.evidence,
                hours_per_week=obj.hours_per_week,
                note=obj.note,
            )
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)


@admin.register(OutsideJob)
class OutsideJobAdmin(LoggedReadAdmin, ReadOnlyAdmin):
    """Read-only: a mentor records a job found elsewhere on the seeker's page, through the
    service that also creates its checks and closes open placements."""

    list_display = ("employer_name", "seeker", "start_date", "end_date", "evidence")
    inlines = [CheckInline]
    logged_as = "outside job"

    def seeker_user_id(self, obj) -> int:
        return obj.seeker.user_id


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "message", "created_at", "read_at")
