"""Employers and vacancies in the Django admin, written through the same services as the API and
the pages: a vacancy's postcode is located, its pay checked against the wage floor and its
matches recomputed; a member is added only if the account is an employer's."""

from django import forms
from django.contrib import admin

from employers import services
from employers.models import Employer, EmployerMember, Vacancy
from jobmatch.admin import ServiceAdmin
from jobmatch.errors import Invalid


class MemberForm(forms.ModelForm):
    def clean_user(self):
        user = self.cleaned_data["user"]
        try:
            services.employer_member_check(user=user)
        except Invalid as error:
            raise forms.ValidationError(error.message) from None
        return user


class MemberInline(admin.TabularInline):
    model = EmployerMember
    form = MemberForm
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)
    inlines = [MemberInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not EmployerMember:
            super().save_formset(request, form, formset, change)
            return
        # What the admin's change message reads, as formset.save() would have set it.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for member_form in formset.forms:
            data = member_form.cleaned_data
            if not data or (not member_form.has_changed() and not data.get("DELETE")):
                continue
            stored = EmployerMember.objects.filter(pk=member_form.instance.pk).first()
            if data.get("DELETE") or (stored is not None and stored.user_id != data["user"].pk):
                # Deleted, or the row now names someone else: the one it named leaves.
                if stored is not None:
                    services.employer_member_remove(member=stored)
                    formset.deleted_objects.append(stored)
            if not data.get("DELETE"):
                member = services.employer_member_add(employer=form.instance, user=data["user"])
                formset.new_objects.append(member)


@admin.register(Vacancy)
class VacancyAdmin(ServiceAdmin):
    list_display = ("title", "employer", "status", "contract_type", "positions", "closing_date")
    list_filter = ("status", "contract_type", "remote")
    search_fields = ("title", "employer__name")
    autocomplete_fields = ["employer"]
    # Skills are read and chosen on the vacancy page, where each phrase shows what it was
    # understood as; the place follows from the postcode.
    readonly_fields = (
        "skills",
        "essential_skills",
        "easting",
        "northing",
        "posted_on",
        "created_by",
    )

    def check_rules(self, request, stored, changed):
        services.vacancy_values(stored, changed)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            stored = Vacancy.objects.get(pk=obj.pk)
            saved = services.vacancy_update(vacancy=stored, by=request.user, data=data)
        else:
            employer = data.pop("employer")
            saved = services.vacancy_create(employer=employer, by=request.user, data=data)
        obj.pk = saved.pk
        obj.refresh_from_db()
