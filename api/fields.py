"""Serializer fields shared by the API: postcodes and skills, with errors a person can act on."""

from __future__ import annotations

from rest_framework import serializers

from matching.lookups import PostcodeError, postcode_locate, skills_normalise

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


class SkillsField(serializers.ListField):
    """A list of skills typed as text; stored and rendered as ``[{typed, id, label}]``."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "child", serializers.CharField(max_length=MAX_SKILL_LENGTH, allow_blank=True)
        )
        kwargs.setdefault("max_length", MAX_SKILLS)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.error_messages["max_length"] = (
            "Give at most {max_length} skills; keep the ones that matter most for the job."
        )

    def to_internal_value(self, data):
        if isinstance(data, list) and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        phrases = super().to_internal_value(data)
        unique: dict[str, str] = {}
        for phrase in (p.strip() for p in phrases):
            if phrase:
                unique.setdefault(phrase.casefold(), phrase)
        return skills_normalise(list(unique.values()))

    def to_representation(self, value):
        return list(value)


class TextListField(serializers.ListField):
    """A short list of short strings (desired job titles)."""

    def __init__(self, *, max_items: int = 10, max_item_length: int = 100, **kwargs):
        kwargs.setdefault("child", serializers.CharField(max_length=max_item_length))
        kwargs.setdefault("max_length", max_items)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
