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
    path("profile/", views.profile, name="web-profile"),
    path("matches/<int:vacancy_id>/introduction/", views.ask_introduction, name="web-introduction"),
    path("placements/", views.my_placements, name="web-placements"),
    path("vacancies/<int:vacancy_id>/invite/", views.invite, name="web-invite"),
    path("inbox/", views.inbox, name="web-inbox"),
    path("inbox/<int:placement_id>/<str:action>/", views.employer_answer, name="web-answer"),
    path("privacy/", views.privacy, name="web-privacy"),
    path("accessibility/", views.accessibility, name="web-accessibility"),
]
