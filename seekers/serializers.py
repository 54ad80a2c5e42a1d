"""How a seeker's profile is read and sent, for the API and the pages alike: the shape of each
field (the rules about the values are ``seekers.services``'), and sign-up."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from accounts.models import User
from matching.inputs import PostcodeField, SkillsField, SkillsOfferedField, TextListField
from seekers import services
from seekers.models import BenefitGroup, SeekerProfile, TravelMode

PROFILE_FIELDS = [
    "postcode",
    "skills",
    "skills_offered",
    "desired_titles",
    "about",
    "travel_modes",
    "max_travel_minutes",
    "hours_min",
    "hours_max",
    "has_driving_licence",
    "share_with_employers",
    "age_band",
    "sex",
    "disability",
    "ethnicity",
]


class SeekerProfileSerializer(serializers.ModelSerializer):
    """A seeker's profile as the seeker, their mentor or an admin sees it."""

    username = serializers.CharField(source="user.username", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    postcode = PostcodeField(required=False)
    skills = SkillsField()
    skills_offered = SkillsOfferedField(text_of=lambda p: p.about, held_of=lambda p: p.skills)
    desired_titles = TextListField(max_items=10, max_item_length=100)
    about = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="In the seeker's own words: the work they have done and want to do. Matched "
        "by meaning; never shown to employers.",
        error_messages={"max_length": "Keep this to 2000 characters: the main points are enough."},
    )
    travel_modes = serializers.ListField(
        child=serializers.ChoiceField(choices=TravelMode.choices), max_length=4, required=False
    )
    max_travel_minutes = serializers.IntegerField(min_value=1, max_value=180, required=False)
    hours_min = serializers.IntegerField(min_value=0, max_value=48, required=False)
    hours_max = serializers.IntegerField(min_value=1, max_value=48, required=False)
    benefit_group = serializers.ChoiceField(choices=BenefitGroup.choices, required=False)
    registered_on = serializers.DateField(required=False)
    mentor = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = SeekerProfile
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            *PROFILE_FIELDS,
            "benefit_group",
            "registered_on",
            "mentor",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def validate(self, attrs):
        # The rules about the values (hours, dates, who sets what) are the service's; the mentor
        # is not a field of the profile at all here.
        initial = getattr(self, "initial_data", None)  # absent when nested in sign-up
        if isinstance(initial, dict) and "mentor" in initial:
            raise serializers.ValidationError(
                {"mentor": ["Mentors are assigned by an administrator (in the admin)."]}
            )
        return attrs


class RegisterSerializer(serializers.Serializer):
    username = serializers.RegexField(
        r"^[\w.@+-]+$",
        max_length=150,
        error_messages={"invalid": "Use letters, digits and @ . + - _ only."},
    )
    password = serializers.CharField(write_only=True, max_length=128)
    email = serializers.EmailField(max_length=254)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    profile = SeekerProfileSerializer(required=False)

    def validate_username(self, value):
        if User.objects.filter(username__iexact=value).exists():
            raise serializers.ValidationError("That username is taken; choose another.")
        return value

    def validate(self, attrs):
        if "role" in self.initial_data:
            raise serializers.ValidationError(
                {
                    "role": [
                        "Anyone can register only as a jobseeker; an administrator creates "
                        "employer, mentor and commissioner accounts."
                    ]
                }
            )
        profile = self.initial_data.get("profile")
        if isinstance(profile, dict):
            refused = sorted(set(profile).intersection({*services.STAFF_ONLY_FIELDS, "mentor"}))
            if refused:
                raise serializers.ValidationError(
                    {
                        "profile": [
                            f"{', '.join(refused)}: set by a mentor or an administrator, "
                            "not at sign-up."
                        ]
                    }
                )
        user = User(
            username=attrs["username"],
            email=attrs["email"],
            first_name=attrs.get("first_name", ""),
            last_name=attrs.get("last_name", ""),
        )
        try:
            validate_password(attrs["password"], user)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from None
        return attrs
