from django.contrib import admin

from employers.models import Employer, EmployerMember, Vacancy


class MemberInline(admin.TabularInline):
    model = EmployerMember
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)
    inlines = [MemberInline]


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ("title", "employer", "status", "contract_type", "positions", "closing_date")
    list_filter = ("status", "contract_type", "remote")
    search_fields = ("title", "employer__name")
    autocomplete_fields = ["employer"]
    readonly_fields = ("easting", "northing", "posted_on", "created_by")
