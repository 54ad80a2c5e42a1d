from django.urls import path

from web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("matches/", views.matches, name="web-matches"),
    path("matches/<int:vacancy_id>/", views.match_detail, name="web-match"),
    path("caseload/", views.caseload, name="web-caseload"),
    path("vacancies/", views.vacancies, name="web-vacancies"),
    path("vacancies/<int:vacancy_id>/candidates/", views.candidates, name="web-candidates"),
    path("report/", views.report, name="web-report"),
]
