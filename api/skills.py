"""``skills/?search=``: taxonomy suggestions as a person types."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from matching.lookups import skills_suggest


class SuggestionSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()
    matched_label = serializers.CharField()


class SuggestionsSerializer(serializers.Serializer):
    search = serializers.CharField()
    results = SuggestionSerializer(many=True)


class SkillSuggestView(APIView):
    """Skills from the taxonomy (ESCO and UK licences) matching what a person has typed so far."""

    @extend_schema(
        parameters=[OpenApiParameter("search", str), OpenApiParameter("limit", int)],
        responses=SuggestionsSerializer,
    )
    def get(self, request):
        text = request.query_params.get("search", "").strip()[:100]
        try:
            limit = min(max(int(request.query_params.get("limit", 10)), 1), 50)
        except ValueError:
            limit = 10
        results = skills_suggest(text, limit=limit) if text else []
        return Response({"search": text, "results": results})


def register(router) -> None:
    """No viewsets: one plain path."""


urlpatterns = [path("skills/", SkillSuggestView.as_view(), name="api-skills")]
