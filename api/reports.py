"""``reports/outcomes/`` (JSON, or ``?format=csv``) and ``reports/outcomes/chart.svg``: the
commissioners' report, aggregates only, with the publication rules applied and stated."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import renderers, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from api.permissions import roles
from outcomes.selectors import outcomes_report

GROUPINGS = ("month", "quarter", "year")


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode(self.charset)
        detail = data.get("detail", "") if isinstance(data, dict) else str(data)
        return f"error\n{detail}\n".encode(self.charset)


class ReportQuery(serializers.Serializer):
    grouping = serializers.ChoiceField(choices=GROUPINGS, default="quarter")


def _grouping(request) -> str:
    query = ReportQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data["grouping"]


class OutcomesReportView(APIView):
    """Outcome rates by registration cohort and benefit group, with Wilson 95% intervals, beside
    the Work Programme's published rates. Commissioners and admins only; nothing identifies a
    person; small counts suppressed."""

    permission_classes = [roles(Role.COMMISSIONER)]
    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer, CSVRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter("grouping", str, enum=list(GROUPINGS)),
            OpenApiParameter("format", str, enum=["json", "csv"]),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        from outcomes.report import report_csv

        body = outcomes_report(grouping=_grouping(request))
        if request.accepted_renderer.format == "csv":
            response = Response(report_csv(body))
            response["Content-Disposition"] = 'attachment; filename="jobmatch-outcomes.csv"'
            return response
        return Response(body)


class OutcomesChartView(APIView):
    """The report's headline rates per cohort against the Work Programme lines, as SVG."""

    permission_classes = [roles(Role.COMMISSIONER)]

    @extend_schema(
        parameters=[OpenApiParameter("grouping", str, enum=list(GROUPINGS))],
        responses={(200, "image/svg+xml"): OpenApiTypes.STR},
    )
    def get(self, request):
        from outcomes.chart import outcomes_chart_svg

        svg = outcomes_chart_svg(outcomes_report(grouping=_grouping(request)))
        return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


def register(router) -> None:
    """No viewsets: plain paths below."""


urlpatterns = [
    path("reports/outcomes/", OutcomesReportView.as_view(), name="api-outcomes-report"),
    path("reports/outcomes/chart.svg", OutcomesChartView.as_view(), name="api-outcomes-chart"),
]
