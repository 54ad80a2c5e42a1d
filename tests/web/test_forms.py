"""``web.forms.plain_errors``: DRF's stock messages (found by their code and the field's template)
replaced by ones naming the field, the serializer's own words kept, in page order, with nested
keys under the page's field."""

from decimal import Decimal

from rest_framework import serializers

from web.forms import in_order, plain_errors, validate


class Nested(serializers.Serializer):
    postcode = serializers.CharField(max_length=8)

    def validate_postcode(self, value):
        if value == "BT1 1AA":
            raise serializers.ValidationError("Northern Ireland postcodes are not supported.")
        return value


class Sample(serializers.Serializer):
    # Serializer order differs from the page order in LABELS on purpose.
    when = serializers.DateField(required=False)
    name = serializers.CharField(max_length=10, required=False)
    count = serializers.IntegerField(min_value=1, max_value=5, required=False)
    hours = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=48,
        required=False,
        error_messages={"max_value": "Hours must be at most 48 a week."},
    )
    kind = serializers.ChoiceField(choices=["a", "b"], required=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=5), max_length=2, required=False
    )
    email = serializers.EmailField(required=False)
    profile = Nested(required=False)

    def validate_name(self, value):
        if value == "root":
            raise serializers.ValidationError("That name is taken; choose another.")
        return value

    def validate(self, attrs):
        if attrs.get("name") == "both":
            raise serializers.ValidationError("Name and count do not go together.")
        return attrs


LABELS = {
    "name": "the name",
    "count": "the number of items",
    "hours": "the hours a week",
    "kind": "the kind",
    "when": "the date",
    "tags": "the tags",
    "email": "your email address",
    "postcode": "the postcode",
}


def errors_for(data, **options):
    validated, errors, serializer = validate(Sample, data, labels=LABELS, **options)
    assert validated is None
    assert errors == plain_errors(serializer, LABELS, **options)
    return errors


def test_valid_input_has_no_errors():
    validated, errors, _ = validate(Sample, {"name": "ok", "count": "2"}, labels=LABELS)
    assert errors == {} and validated == {"name": "ok", "count": 2}


def test_required_blank_and_null_name_the_field():
    serializer = Sample(data={"name": ""})
    serializer.fields["kind"].required = True
    serializer.fields["count"].required = True
    assert not serializer.is_valid()
    assert plain_errors(serializer, LABELS) == {
        "name": "Enter the name.",
        "count": "Enter the number of items.",
        "kind": "Select the kind.",
    }
    assert errors_for({"count": None}) == {"count": "Enter the number of items."}


def test_invalid_input_says_what_to_enter():
    errors = errors_for(
        {"count": "lots", "hours": "x", "when": "2026-02-31", "email": "sam-at-example"}
    )
    assert errors == {
        "count": "Enter the number of items as a whole number, for example 16.",
        "hours": "Enter the hours a week as a number, for example 37.5.",
        "when": "Enter the date as a real date: year, month, day, for example 2026-03-02.",
        "email": "Enter your email address in the right format, like name@example.com.",
    }


def test_stock_range_and_length_messages_give_the_bounds():
    assert errors_for({"count": "0"}) == {"count": "The number of items must be between 1 and 5."}
    assert errors_for({"count": "6"}) == {"count": "The number of items must be between 1 and 5."}
    assert errors_for({"hours": "0.1"}) == {"hours": "The hours a week must be between 0.5 and 48."}
    assert errors_for({"hours": "1.25"}) == {
        "hours": "Enter the hours a week with at most 1 decimal place."
    }
    assert errors_for({"name": "x" * 11}) == {"name": "Shorten the name to 10 characters or fewer."}
    assert errors_for({"tags": ["a", "b", "c"]}) == {"tags": "Give at most 2 items for the tags."}


def test_a_choice_not_offered():
    assert errors_for({"kind": "z"}) == {"kind": "Select the kind from the list."}


def test_the_serializers_own_messages_are_kept():
    # raised by a validate_<field> method, by validate(), and a template set in error_messages
    assert errors_for({"name": "root"}) == {"name": "That name is taken; choose another."}
    assert errors_for({"name": "both"}) == {"__all__": "Name and count do not go together."}
    assert errors_for({"hours": "60"}) == {"hours": "Hours must be at most 48 a week."}


def test_a_field_without_a_label_keeps_the_stock_message():
    validated, errors, _ = validate(Sample, {"count": "x"}, labels={})
    assert errors == {"count": "A valid integer is required."}


def test_fixes_replace_stock_messages_but_not_range_ones():
    fixes = {"hours": "Enter the hours a week as a number, for example 37.5.", "count": "Fixed."}
    assert errors_for({"hours": "x"}, fixes=fixes) == {"hours": fixes["hours"]}
    assert errors_for({"count": ""}, fixes=fixes) == {"count": "Fixed."}
    # the range message keeps its bounds; the serializer's own words stay too
    assert errors_for({"count": "9"}, fixes=fixes) == {
        "count": "The number of items must be between 1 and 5."
    }
    assert errors_for({"hours": "60"}, fixes=fixes) == {"hours": "Hours must be at most 48 a week."}
    assert errors_for({"name": "root"}, fixes={"name": "Fixed."}) == {
        "name": "That name is taken; choose another."
    }


def test_errors_come_in_page_order_with_the_form_s_own_first():
    # the serializer checks "when" first; the page shows it last
    errors = errors_for({"when": "soon", "kind": "z", "count": "0", "name": "x" * 11})
    assert list(errors) == ["name", "count", "kind", "when"]
    # the form's own errors first, then the labelled fields, then any others
    assert list(in_order({"other": "c", "when": "b", "__all__": "a", "name": "d"}, LABELS)) == [
        "__all__",
        "name",
        "when",
        "other",
    ]


def test_a_list_item_s_error_goes_under_the_list():
    errors = errors_for({"tags": ["ok", "toolong", "also too long"]})
    assert errors == {"tags": "Shorten each of the tags to 5 characters or fewer."}


def test_a_nested_serializer_s_errors_go_under_the_page_s_fields():
    errors = errors_for({"profile": {"postcode": ""}, "count": "0"}, strip="profile.")
    assert errors == {
        "count": "The number of items must be between 1 and 5.",
        "postcode": "Enter the postcode.",
    }
    assert errors_for({"profile": {"postcode": "BT1 1AA"}}, strip="profile.") == {
        "postcode": "Northern Ireland postcodes are not supported."
    }
    # the nested object's own error is about the form as a whole
    assert errors_for({"profile": "not an object"}, strip="profile.") == {
        "__all__": "Invalid data. Expected a dictionary, but got str."
    }
    # without strip the nested key falls under its first part
    assert list(errors_for({"profile": {"postcode": ""}})) == ["profile"]
