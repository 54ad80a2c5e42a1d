"""``auth/token/``, ``auth/logout/``, ``auth/tokens/`` and ``me/``."""

from django.contrib.auth import logout
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.backends import LOCKED_FOR
from accounts.services import token_create, token_revoke, user_update_contact
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


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True)


class TokenView(ObtainAuthToken):
    """Exchange a username and password for a new API token, which ends at ``expiry``, on
    ``auth/logout/`` or when the password changes (throttled per client address; a locked-out
    account is a 429 saying how long to wait)."""

    throttle_classes = [SignInThrottle]

    @extend_schema(request=AuthTokenSerializer, responses=TokenSerializer)
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except ValidationError:
            wait = getattr(request, LOCKED_FOR, 0)
            if wait:
                raise Throttled(wait=wait) from None
            raise
        token, secret = token_create(user=serializer.validated_data["user"])
        return Response({"token": secret, "expiry": token.expiry})


class TokenListSerializer(serializers.Serializer):
    key = serializers.CharField(source="token_key", read_only=True)
    created = serializers.DateTimeField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True)
    current = serializers.SerializerMethodField()

    def get_current(self, token) -> bool:
        used = self.context["request"].auth
        return getattr(used, "digest", None) == token.digest


class LogoutView(APIView):
    """Sign out: end the token this request used, or the session it came with."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, AuthToken):
            token_revoke(user=request.user, key=request.auth.token_key)
        else:
            logout(request._request)
        return Response(status=204)


class TokenListView(APIView):
    """The caller's own API tokens, newest first (the key is the token's first characters)."""

    @extend_schema(responses=TokenListSerializer(many=True))
    def get(self, request):
        tokens = AuthToken.objects.filter(user=request.user, expiry__gt=timezone.now())
        data = TokenListSerializer(
            tokens.order_by("-created"), many=True, context={"request": request}
        ).data
        return Response(data)


class TokenDetailView(APIView):
    """End one of the caller's own tokens; another person's key is a 404."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, key: str):
        if not token_revoke(user=request.user, key=key):
            raise NotFound()
        return Response(status=204)


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
    path("auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("auth/tokens/", TokenListView.as_view(), name="api-tokens"),
    path("auth/tokens/<str:key>/", TokenDetailView.as_view(), name="api-token-detail"),
    path("me/", MeView.as_view(), name="api-me"),
]
