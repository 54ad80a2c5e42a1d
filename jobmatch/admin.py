"""Admin pieces shared by the apps."""

from django.contrib import admin

from jobmatch.errors import Invalid


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

    def changelist_view(self, request, extra_context=None):
        """A list shows what it lists (a seeker's name, their benefit group): a read of each."""
        from accounts.access_log import access_log_record

        response = super().changelist_view(request, extra_context)
        listing = getattr(response, "context_data", None) or {}
        if "cl" in listing:
            access_log_record(
                actor=request.user,
                subject_ids=[self.seeker_user_id(obj) for obj in listing["cl"].result_list],
                action="read",
                channel="admin",
                what=f"{self.logged_as or self.model._meta.verbose_name} (list)",
            )
        return response


class ServiceAdmin(admin.ModelAdmin):
    """For records the services write: the form is checked by the service's own rules
    (``check_rules(request, stored, changed)`` raises ``Invalid``), so a broken rule shows on
    its field as it does on the pages, and ``save_model`` is the admin's call of the service."""

    def check_rules(self, request, stored, changed: dict) -> None:
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change=change, **kwargs)

        def check(stored, changed):
            self.check_rules(request, stored, changed)

        class Checked(base):
            def clean(self):
                data = super().clean()
                if not self.errors:
                    changed = {name: data[name] for name in self.changed_data if name in data}
                    try:
                        check(self.instance, changed)
                    except Invalid as error:
                        field = error.field if error.field in self.fields else None
                        self.add_error(field, error.message)
                return data

        return Checked
