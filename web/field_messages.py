"""Messages that name the field and say how to fix it, in place of DRF's generic ones ("This
field is required.", "Ensure this value is less than or equal to 80."). The rules themselves
(required, the ranges, the choices) stay the API serializer's: bounds are read from its fields,
and a message the serializer wrote itself (like "The start is in the future.") is kept."""

from __future__ import annotations

from rest_framework import serializers


def _default(field, code: str) -> str:
    """The fixed start of a field's default message for ``code`` (before any placeholder)."""
    return field.error_messages.get(code, "").split("{")[0]


def plain_errors(serializer, errors: dict[str, str], labels: dict[str, str]) -> dict[str, str]:
    """``errors`` (from ``web.forms.validate``) with DRF's generic messages for the fields in
    ``labels`` ({field: "the start date"}) rewritten to name the field."""
    plain = dict(errors)
    for name, details in getattr(serializer, "errors", {}).items():
        field = serializer.fields.get(name)
        if name not in labels or field is None or not isinstance(details, list) or not details:
            continue
        label, code, text = labels[name], getattr(details[0], "code", None), str(details[0])
        if not text.startswith(_default(field, code)) or not _default(field, code):
            continue  # the serializer's own words: keep them
        label_cap = label[0].upper() + label[1:]
        if code in ("required", "null", "blank"):
            verb = "Select" if isinstance(field, serializers.ChoiceField) else "Enter"
            plain[name] = f"{verb} {label}."
        elif code == "invalid_choice":
            plain[name] = f"Select {label} from the list."
        elif code in ("min_value", "max_value"):
            plain[name] = f"{label_cap} must be between {field.min_value} and {field.max_value}."
        elif code in ("max_digits", "max_decimal_places", "max_whole_digits"):
            plain[name] = f"Enter {label} as a number with at most one decimal place, like 37.5."
        elif code == "max_length" and isinstance(field, serializers.ListField):
            plain[name] = f"Give at most {field.max_length} items for {label}."
        elif code == "max_length":
            plain[name] = f"Shorten {label} to {field.max_length} characters or fewer."
        elif code == "invalid" and isinstance(field, serializers.DateField):
            plain[name] = f"Enter {label} as a real date: year, month, day, for example 2026-03-02."
        elif code == "invalid" and isinstance(field, serializers.IntegerField):
            plain[name] = f"Enter {label} as a whole number, for example 16."
        elif code == "invalid" and isinstance(field, serializers.DecimalField):
            plain[name] = f"Enter {label} as a number, for example 37.5."
    return plain
