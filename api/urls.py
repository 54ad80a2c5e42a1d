"""The versioned public API: ``/api/v1/``. Each app's API module plugs in its routes here.

A module listed in ``API_MODULES`` provides ``register(router)`` for its viewsets and may provide
``urlpatterns`` for plain paths.
"""

from importlib import import_module

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

API_MODULES = [
    "api.accounts",
    "api.seekers",  # before the router, so seekers/me/ is not read as seekers/{pk}/
    "api.matching",
    "api.placements",
    "api.reports",
    "api.employers",
    "api.skills",
]

router = DefaultRouter()
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[]), name="api-schema"),
    path(
        "docs/",
        # The split view serves its start-up script as a file: the CSP allows no inline script.
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", permission_classes=[], template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
]
for _name in API_MODULES:
    _module = import_module(_name)
    _module.register(router)
    urlpatterns += getattr(_module, "urlpatterns", [])
urlpatterns += router.urls
