"""The recompute queue's health in the Django admin: what is pending, since when, and the last
full run with its figures. Read-only: the queue is worked by the drain task, not by hand."""

from django.contrib import admin

from jobmatch.admin import ReadOnlyAdmin
from matching.models import MatchRun, PendingRecompute
from matching.selectors import recompute_queue_health


@admin.register(PendingRecompute)
class PendingRecomputeAdmin(ReadOnlyAdmin):
    list_display = ("kind", "object_id", "since", "changed_at", "claimed_at")
    list_filter = ("kind",)

    def changelist_view(self, request, extra_context=None):
        extra = {**(extra_context or {}), "health": recompute_queue_health()}
        return super().changelist_view(request, extra_context=extra)


@admin.register(MatchRun)
class MatchRunAdmin(ReadOnlyAdmin):
    list_display = ("kind", "started_at", "finished_at", "engine_version")
    list_filter = ("kind",)
    exclude = ("skill_idf", "allocated", "demand")
