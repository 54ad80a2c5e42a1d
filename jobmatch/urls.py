from django.contrib import admin
from django.db import connection
from django.http import JsonResponse
from django.urls import include, path
from django.views import defaults

from accounts.views import sign_in_throttled
from api import exceptions as api_errors
from web import error_views as page_errors


def healthz(request):
    """Answer compose health checks: the process serves and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/login/", sign_in_throttled(admin.site.login)),
    path("admin/", admin.site.urls),
    path("accounts/", include("web.account_urls")),
    path("api/v1/", include("api.urls")),
    path("", include("web.urls")),
]


# Errors Django answers itself (an unknown path, an uncaught exception): in the API's JSON shape
# under /api/, as pages elsewhere.
def _for_api(request) -> bool:
    return request.path_info.startswith("/api/")


def bad_request(request, exception):
    if _for_api(request):
        return api_errors.bad_request(request, exception)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _for_api(request):
        return api_errors.permission_denied(request, exception)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _for_api(request):
        return api_errors.not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _for_api(request):
        return api_errors.server_error(request)
    return page_errors.server_error(request)


handler400 = bad_request
handler403 = permission_denied
handler404 = page_not_found
handler500 = server_error
