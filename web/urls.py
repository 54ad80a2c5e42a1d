from django.urls import path

from web import (
    account_views,
    data_views,
    employer_views,
    mentor_views,
    placement_views,
    skill_views,
    views,
)

urlpatterns = [
    path("", views.home, name="home"),
    path("matches/", views.matches, name="web-matches"),
    path("matches/<int:vacancy_id>/", views.match_detail, name="web-match"),
    path("caseload/", views.caseload, name="web-caseload"),
    path("caseload/<int:seeker_id>/", mentor_views.seeker_page, name="web-seeker"),
    path(
        "caseload/<int:seeker_id>/profile/", mentor_views.seeker_profile, name="web-seeker-profile"
    ),
    path(
        "caseload/<int:seeker_id>/propose/<int:vacancy_id>/",
        mentor_views.propose,
        name="web-propose",
    ),
    path("caseload/<int:seeker_id>/outside-job/", mentor_views.outside_job, name="web-outside-job"),
    path(
        "caseload/<int:seeker_id>/outside-jobs/<int:job_id>/checks/<int:week>/",
        mentor_views.outside_job_check,
        name="web-outside-job-check",
    ),
    path(
        "placements/<int:placement_id>/checks/<int:week>/",
        mentor_views.placement_check,
        name="web-check",
    ),
    path("vacancies/", views.vacancies, name="web-vacancies"),
    path("vacancies/<int:vacancy_id>/candidates/", views.candidates, name="web-candidates"),
    path("vacancies/new/", employer_views.vacancy_new, name="web-vacancy-new"),
    path("vacancies/<int:vacancy_id>/edit/", employer_views.vacancy_edit, name="web-vacancy-edit"),
    path(
        "vacancies/<int:vacancy_id>/close/", employer_views.vacancy_close, name="web-vacancy-close"
    ),
    path("skills/suggest/", skill_views.skill_suggest, name="web-skill-suggest"),
    path("report/", views.report, name="web-report"),
    path("profile/", views.profile, name="web-profile"),
    path("matches/<int:vacancy_id>/introduction/", views.ask_introduction, name="web-introduction"),
    path("placements/", views.my_placements, name="web-placements"),
    path("vacancies/<int:vacancy_id>/invite/", views.invite, name="web-invite"),
    path("inbox/", views.inbox, name="web-inbox"),
    path(
        "placements/<int:placement_id>/<str:action>/",
        placement_views.act,
        name="web-placement-action",
    ),
    path("notifications/", account_views.notifications, name="web-notifications"),
    path("notifications/read/", account_views.notifications_read, name="web-notifications-read"),
    path("my-data/", data_views.download, name="web-download"),
    path("privacy/", views.privacy, name="web-privacy"),
    path("accessibility/", views.accessibility, name="web-accessibility"),
]
