"""``auth/token/`` and ``me/``."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.backends import LOCKED_FOR
from accounts.services import user_update_contact
from accounts.throttles import SignInThrottle


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    role = serializers.CharField(source="role_name", read_only=True)
    is_staff = serializers.BooleanField(read_only=True)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=150)

    # Fields a person may never set on themselves; refused loudly rather than silently ignored.
    PROTECTED = ("role", "is_staff", "is_superuser", "username", "id")

    def validate(self, attrs):
        sent = set(self.initial_data) if isinstance(self.initial_data, dict) else set()
        refused = sorted(sent.intersection(self.PROTECTED))
        if refused:
            raise serializers.ValidationError(
                {
                    name: [f"{name} cannot be changed here; an administrator sets it."]
                    for name in refused
                }
            )
        return attrs


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (throttled per client address; a
    locked-out account is a 429 saying how long to wait)."""

    throttle_classes = [SignInThrottle]

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            wait = getattr(request, LOCKED_FOR, 0)
            if wait:
                raise Throttled(wait=wait) from None
            raise


class MeView(APIView):
    """The caller's account and role."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeSerializer, responses=MeSerializer)
    def patch(self, request):
        serializer = MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = user_update_contact(user=request.user, **serializer.validated_data)
        return Response(MeSerializer(user).data)


def register(router) -> None:
    """No viewsets yet: accounts has only the paths below."""


urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
]
