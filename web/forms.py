"""Form support for the pages: validate posted fields with the API's own serializers (one set of
rules for both), and turn their errors into one message per field for the error summary.

DRF's stock messages ("This field is required.", "A valid number is required.", "Ensure this
value is less than or equal to 48.") are replaced by ones that name the field and say how to fix
it, built from the page's labels ({field: "the start date"}) and the field's own bounds, or a
page's fixed text for a field ("Enter the pay per hour in pounds, for example 12.50."). The rules
stay the serializer's, and so do the words it chose: messages its ``validate`` methods raise (a
wage below the floor, a start in the future) and templates it set through ``error_messages``
("Hours must be at most 48 a week.") are shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.http import url_has_allowed_host_and_scheme
from rest_framework import serializers
from rest_framework.settings import api_settings

# A page's fixed text says how to enter a field, not its range: range messages keep the bounds.
RANGE_CODES = {"min_value", "max_value"}


def _template(field, code: str | None) -> str:
    """The field's own message template for ``code`` ("" if it has none)."""
    template = getattr(field, "error_messages", {}).get(code) if code else None
    return str(template) if template else ""


def _drf_template(field, code: str) -> str:
    """DRF's stock template for ``code`` on this kind of field (not a serializer's own)."""
    for cls in type(field).__mro__:
        if cls.__module__.startswith("rest_framework.") and code in vars(cls).get(
            "default_error_messages", {}
        ):
            return str(cls.default_error_messages[code])
    return ""


def _from_template(field, detail) -> bool:
    """Whether ``detail`` is its field's template message for its code, placeholders filled in
    (as opposed to a message a ``validate`` method wrote)."""
    template = _template(field, getattr(detail, "code", None))
    pattern = re.sub(r"\\\{\w+\\\}", ".*", re.escape(template))
    return bool(template) and re.fullmatch(pattern, str(detail), flags=re.DOTALL) is not None


def _between(label: str, field) -> str:
    low, high = getattr(field, "min_value", None), getattr(field, "max_value", None)
    label = label[0].upper() + label[1:]
    if high is None:
        return f"{label} must be at least {low}."
    if low is None:
        return f"{label} must be {high} or less."
    return f"{label} must be between {low} and {high}."


def _labelled(field, code: str, label: str, item: bool) -> str | None:
    """A message naming the field for DRF's stock ``code``; None where the stock one stays."""
    choice = isinstance(field, serializers.ChoiceField | serializers.RelatedField)
    if code in ("required", "null", "blank"):
        return f"{'Select' if choice else 'Enter'} {label}."
    if code in ("invalid_choice", "does_not_exist", "incorrect_type"):
        return f"Select {label} from the list."
    if code in RANGE_CODES:
        return _between(label, field)
    if code == "max_decimal_places":
        places = field.decimal_places
        return f"Enter {label} with at most {places} decimal place{'s' if places > 1 else ''}."
    if code in ("max_digits", "max_whole_digits", "max_string_length"):
        if field.min_value is not None and field.max_value is not None:
            return _between(label, field)
        return f"Enter {label} as a smaller number."
    if code == "max_length" and isinstance(field, serializers.ListField):
        return f"Give at most {field.max_length} items for {label}."
    if code == "max_length":
        each = "each of " if item else ""
        return f"Shorten {each}{label} to {field.max_length} characters or fewer."
    if code == "invalid" and isinstance(field, serializers.DateField):
        return f"Enter {label} as a real date: year, month, day, for example 2026-03-02."
    if code == "invalid" and isinstance(field, serializers.IntegerField):
        return f"Enter {label} as a whole number, for example 16."
    if code == "invalid" and isinstance(field, serializers.DecimalField | serializers.FloatField):
        return f"Enter {label} as a number, for example 37.5."
    if code == "invalid" and isinstance(field, serializers.EmailField):
        return f"Enter {label} in the right format, like name@example.com."
    return None


def _walk(field, errors: Any, path: str = "", item: bool = False):
    """``(dotted key, field, is a list item, detail)`` for each message in DRF's nested errors,
    in field order; errors not tied to a field come back under ``"__all__"``."""
    if isinstance(errors, dict):
        for key, sub in errors.items():
            if key == api_settings.NON_FIELD_ERRORS_KEY:
                yield from _walk(None, sub, "__all__")
            elif isinstance(field, serializers.ListField):  # {index: errors} of its items
                yield from _walk(field.child, sub, f"{path}.{key}", item=True)
            else:
                child = getattr(field, "fields", {}).get(key)
                yield from _walk(child, sub, f"{path}.{key}" if path else str(key), item)
    elif isinstance(errors, list):
        for detail in errors:
            if isinstance(detail, dict | list):
                yield from _walk(getattr(field, "child", None), detail, path, item=True)
            else:
                yield path or "__all__", field, item, detail
    else:
        yield path or "__all__", field, item, errors


def in_order(errors: Mapping[str, str], fields: Iterable[str]) -> dict[str, str]:
    """``errors`` in the page's field order (as the error summary lists them): errors about the
    form as a whole first, then the page's fields, then any others."""
    order = {name: i for i, name in enumerate(["__all__", *fields])}
    return dict(sorted(errors.items(), key=lambda item: order.get(item[0], len(order))))


def plain_errors(
    serializer,
    labels: Mapping[str, str],
    *,
    fixes: Mapping[str, str] | None = None,
    strip: str = "",
) -> dict[str, str]:
    """One message per page field from ``serializer.errors``, in the order of ``labels``.

    ``labels`` names the page's fields ({"start_date": "the start date"}) in page order;
    ``fixes`` gives a field's fixed text in place of any template message not about its range.
    A nested key is put under the page field it belongs to: ``skills.0`` under ``skills``, and
    with ``strip="profile."`` ``profile.postcode`` under ``postcode`` (``profile``'s own errors
    under ``"__all__"``)."""
    fixes = fixes or {}
    found: dict[str, list[str]] = {}
    for key, field, item, detail in _walk(serializer, serializer.errors):
        if strip and key == strip.rstrip("."):
            key = "__all__"
        name = key.removeprefix(strip).split(".")[0]
        message, code = str(detail), getattr(detail, "code", None)
        if field is not None and _from_template(field, detail):
            if name in fixes and code not in RANGE_CODES:
                message = fixes[name]
            elif name in labels and _template(field, code) == _drf_template(field, code):
                message = _labelled(field, code, labels[name], item) or message
        if message not in found.setdefault(name, []):
            found[name].append(message)
    return in_order({name: " ".join(texts) for name, texts in found.items()}, labels)


def validate(
    serializer_class,
    data,
    *,
    labels: Mapping[str, str] | None = None,
    fixes: Mapping[str, str] | None = None,
    strip: str = "",
    **kwargs,
) -> tuple[dict | None, dict[str, str], Any]:
    """Run ``serializer_class(data=data, **kwargs)``: ``(validated_data, {}, serializer)`` when
    valid, else ``(None, {field: message}, serializer)`` with ``plain_errors``'s messages."""
    serializer = serializer_class(data=data, **kwargs)
    if serializer.is_valid():
        return serializer.validated_data, {}, serializer
    return None, plain_errors(serializer, labels or {}, fixes=fixes, strip=strip), serializer


def domain_errors(error) -> dict[str, str]:
    """A change a service refused, as a page's errors: beside its field when the rule names one
    (``jobmatch.errors.Invalid``), else about the whole form."""
    return {getattr(error, "field", None) or "__all__": error.message}


def safe_next(request, default: str) -> str:
    """Where to go back to after a POST: the form's ``next`` if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


OWN_WORDS = "own"  # the reading a person picks to keep a phrase as written


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def skill_items(post: Mapping, name: str) -> list:
    """Turn a skills field typed as comma-separated text, and the reading picked for each stored
    phrase (``<name>-reading-<n>``, the phrase in ``<name>-phrase-<n>``), into the API's list: a
    phrase with a picked reading as ``{"typed", "id"}`` (``id`` None: kept as written), any
    other phrase as its words."""
    picked: dict[str, str] = {}
    prefix = f"{name}-phrase-"
    for key in post:
        if key.startswith(prefix):
            n = key[len(prefix) :]
            picked[_fold(post[key])] = post.get(f"{name}-reading-{n}", "")
    items: list = []
    for phrase in (p.strip() for p in post.get(name, "").split(",")):
        if not phrase:
            continue
        pick = picked.get(_fold(phrase), "")
        if pick == OWN_WORDS:
            items.append({"typed": phrase, "id": None})
        elif pick:
            items.append({"typed": phrase, "id": pick})
        else:
            items.append(phrase)
    # Skills named in the writer's own text, ticked to add (``<name>-add``).
    getlist = getattr(post, "getlist", None)
    for concept in getlist(f"{name}-add") if getlist else ():
        if concept:
            items.append({"id": concept})
    return items
