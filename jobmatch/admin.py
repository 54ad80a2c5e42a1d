"""Admin pieces shared by the apps."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records nobody edits by hand (logs, runs, the recompute queue): view only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LoggedReadAdmin(admin.ModelAdmin):
    """For records about a seeker: opening one in the admin writes a row to their access log.
    ``seeker_user_id(obj)`` names the seeker; ``logged_as`` says what was read."""

    logged_as = ""

    def seeker_user_id(self, obj) -> int:
        raise NotImplementedError

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from accounts.access_log import access_log_record

        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None:
                access_log_record(
                    actor=request.user,
                    subject_ids=[self.seeker_user_id(obj)],
                    action="read",
                    channel="admin",
                    what=self.logged_as or self.model._meta.verbose_name,
                )
        return super().change_view(request, object_id, form_url, extra_context)
