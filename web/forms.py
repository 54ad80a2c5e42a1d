"""Form support for the pages: validate posted fields with the API's own serializers (one set of
rules for both), and turn their errors into one message per field for the error summary."""

from __future__ import annotations

from typing import Any

from django.utils.http import url_has_allowed_host_and_scheme


def flatten_errors(errors: Any, prefix: str = "") -> dict[str, str]:
    """DRF's nested ``{"field": ["msg", ...]}`` as ``{"field": "msg msg"}``, in field order.
    Errors not tied to a field come back under ``"__all__"``."""
    flat: dict[str, str] = {}
    if isinstance(errors, dict):
        for field, messages in errors.items():
            name = "__all__" if field == "non_field_errors" else f"{prefix}{field}"
            if isinstance(messages, dict):
                flat.update(flatten_errors(messages, prefix=f"{name}."))
            elif isinstance(messages, list):
                flat[name] = " ".join(
                    " ".join(flatten_errors(m).values()) if isinstance(m, dict) else str(m)
                    for m in messages
                )
            else:
                flat[name] = str(messages)
    elif isinstance(errors, list):
        flat["__all__"] = " ".join(str(m) for m in errors)
    else:
        flat["__all__"] = str(errors)
    return flat


def validate(serializer_class, data, **kwargs) -> tuple[dict | None, dict[str, str], Any]:
    """Run ``serializer_class(data=data, **kwargs)``: ``(validated_data, {}, serializer)`` when
    valid, else ``(None, {field: message}, serializer)``."""
    serializer = serializer_class(data=data, **kwargs)
    if serializer.is_valid():
        return serializer.validated_data, {}, serializer
    return None, flatten_errors(serializer.errors), serializer


def safe_next(request, default: str) -> str:
    """Where to go back to after a POST: the form's ``next`` if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
