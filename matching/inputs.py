"""Fields for what people type about matching (postcodes, skills, job titles), with errors a
person can act on; the serializers of the apps, read by the API and the pages, use them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from matching.lookups import (
    OWN_WORDS,
    UNDERSTOOD,
    PostcodeError,
    SkillError,
    postcode_locate,
    skills_understand,
)

MAX_SKILLS = 30
MAX_SKILL_LENGTH = 100


class PostcodeField(serializers.CharField):
    """Accept a UK postcode in any spacing or case; validate to its ``Location``.

    Renders the normalised postcode. Errors say whether the postcode is malformed, unknown, has no
    location, or is in Northern Ireland (not supported until Irish Grid distances exist).
    """

    MAX_LENGTH = 12  # "SW1A  1AA" with stray spaces; anything longer is not a postcode

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        if len(text) > self.MAX_LENGTH:
            raise serializers.ValidationError(
                f"A postcode has at most 8 characters, like S70 2TA; got {len(text)}."
            )
        try:
            return postcode_locate(text)
        except PostcodeError as error:
            raise serializers.ValidationError(str(error), code=error.code) from None

    def to_representation(self, value):
        return getattr(value, "postcode", value)


SKILL_SCHEMA = {
    "type": "array",
    "maxItems": MAX_SKILLS,
    "description": (
        'Each skill as the words typed (a string), as {"id": ...} for a skill picked from '
        'skills/?search= or from a skill\'s alternatives, or as {"typed": ..., "id": null} '
        "to keep one's own words as they are. Words already stored keep what they were stored "
        "as. The response gives each skill's typed words, what it was understood as (id, label; "
        "null when not recognised), a confidence in [0, 1], up to 4 alternatives and how it "
        "came to be (understood, chosen, own words)."
    ),
    "items": {
        "oneOf": [
            {"type": "string", "maxLength": MAX_SKILL_LENGTH},
            {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "nullable": True},
                    "typed": {"type": "string", "maxLength": MAX_SKILL_LENGTH},
                },
            },
        ]
    },
}


@extend_schema_field(SKILL_SCHEMA)
class SkillsField(serializers.Field):
    """A list of skills as people send them (``matching.lookups.skills_understand``); stored and
    rendered as ``[{typed, id, label, confidence, alternatives, how}]``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, list):
            raise serializers.ValidationError(
                'Send a list of skills, for example ["forklift driving", {"id": "uk:dbs_check"}].'
            )
        if len(data) > MAX_SKILLS:
            raise serializers.ValidationError(
                f"Give at most {MAX_SKILLS} skills; keep the ones that matter most for the job."
            )
        for item in data:
            text = item.get("typed") if isinstance(item, dict) else item
            if text is not None and not isinstance(text, str):
                raise serializers.ValidationError(
                    'Send each skill as text, or as {"id": ...} for a picked skill.'
                )
            if text is not None and len(text) > MAX_SKILL_LENGTH:
                raise serializers.ValidationError(
                    f"Keep each skill to {MAX_SKILL_LENGTH} characters; "
                    f"{text[:30]!r}... has {len(text)}."
                )
        instance = getattr(self.parent, "instance", None)
        before = getattr(instance, self.field_name, None) if instance is not None else None
        try:
            return skills_understand(data, before=before if isinstance(before, list) else None)
        except SkillError as error:
            raise serializers.ValidationError(str(error)) from None

    def to_representation(self, value):
        return [
            {
                "typed": item.get("typed"),
                "id": item.get("id"),
                "label": item.get("label"),
                "confidence": item.get("confidence"),
                "alternatives": item.get("alternatives", []),
                "how": item.get("how", UNDERSTOOD if item.get("id") else OWN_WORDS),
            }
            for item in value or []
        ]


class OfferedSkillSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()
    confidence = serializers.FloatField()


@extend_schema_field(OfferedSkillSerializer(many=True, allow_null=True))
class SkillsOfferedField(serializers.Field):
    """Skills the worker found named in the object's own text (``text_of(obj)``) and not listed
    yet, to add with ``{"id": ...}``; read-only, and only on one object (null in lists: reading
    them is a query per object)."""

    def __init__(self, text_of, held_of, **kwargs):
        self.text_of, self.held_of = text_of, held_of
        kwargs.setdefault(
            "help_text",
            "Skills named in this text and not listed yet, found by the worker (empty until it "
            "has read the text); null in lists.",
        )
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        from matching.texts import skills_offered

        if isinstance(self.parent.parent, serializers.ListSerializer):
            return None
        text = self.text_of(value)
        return skills_offered(text, held=self.held_of(value)) if text.strip() else []


class TextListField(serializers.ListField):
    """A short list of short strings (desired job titles)."""

    def __init__(self, *, max_items: int = 10, max_item_length: int = 100, **kwargs):
        kwargs.setdefault("child", serializers.CharField(max_length=max_item_length))
        kwargs.setdefault("max_length", max_items)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
