"""Jobseeker profiles, their consent history and their caseload link to a mentor."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class BenefitGroup(models.TextChoices):
    JSA_18_24 = "jsa_18_24", "JSA, aged 18 to 24"
    JSA_25_PLUS = "jsa_25_plus", "JSA, aged 25 or over"
    ESA_NEW = "esa_new", "ESA, new claimant"
    ESA_EX_IB = "esa_ex_ib", "ESA, formerly on Incapacity Benefit"
    UC_SEARCHING = "uc_searching", "Universal Credit, searching for work"
    UC_HEALTH = "uc_health", "Universal Credit, health condition"
    NONE = "none", "No benefit"


class TravelMode(models.TextChoices):
    WALK = "walk", "Walking"
    CYCLE = "cycle", "Cycling"
    PUBLIC_TRANSPORT = "public_transport", "Bus or train"
    CAR = "car", "Car"


PREFER_NOT = ("prefer_not_to_say", "Prefer not to say")


class AgeBand(models.TextChoices):
    A16_17 = "16_17", "16 to 17"
    A18_24 = "18_24", "18 to 24"
    A25_34 = "25_34", "25 to 34"
    A35_49 = "35_49", "35 to 49"
    A50_64 = "50_64", "50 to 64"
    A65_PLUS = "65_plus", "65 or over"
    PREFER_NOT_TO_SAY = PREFER_NOT


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    PREFER_NOT_TO_SAY = PREFER_NOT


class Disability(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT_TO_SAY = PREFER_NOT


class Ethnicity(models.TextChoices):
    """The ONS 2021 census high-level ethnic groups."""

    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    PREFER_NOT_TO_SAY = PREFER_NOT


class SeekerProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seeker_profile"
    )
    postcode = models.CharField(max_length=8, blank=True)
    easting = models.IntegerField(null=True, blank=True)
    northing = models.IntegerField(null=True, blank=True)
    # Skills as typed and normalised: [{"typed": str, "id": str | None, "label": str | None}].
    skills = models.JSONField(default=list, blank=True)
    desired_titles = models.JSONField(default=list, blank=True)
    # In the person's own words: the work they have done and want to do. Read for its meaning
    # by the engine; never shown to an employer (it could identify them).
    about = models.TextField(max_length=2000, blank=True)
    travel_modes = models.JSONField(default=list, blank=True)
    max_travel_minutes = models.PositiveSmallIntegerField(default=45)
    hours_min = models.PositiveSmallIntegerField(default=0)
    hours_max = models.PositiveSmallIntegerField(default=40)
    has_driving_licence = models.BooleanField(default=False)
    share_with_employers = models.BooleanField(
        default=False, help_text="The seeker agrees to be shown, by pseudonym, to employers."
    )
    # Set by the system, a mentor or an admin; never by the seeker.
    benefit_group = models.CharField(max_length=16, choices=BenefitGroup.choices, blank=True)
    # The group when first recorded: it decides the outcome threshold and the report row, even if
    # ``benefit_group`` changes later (docs/rules/outcomes.md).
    registration_benefit_group = models.CharField(
        max_length=16, choices=BenefitGroup.choices, blank=True, editable=False
    )
    registered_on = models.DateField()
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="caseload",
        limit_choices_to={"role": "mentor"},
    )
    # Optional equality fields (special-category data: never shown to employers).
    age_band = models.CharField(max_length=20, choices=AgeBand.choices, blank=True)
    sex = models.CharField(max_length=20, choices=Sex.choices, blank=True)
    disability = models.CharField(max_length=20, choices=Disability.choices, blank=True)
    ethnicity = models.CharField(max_length=20, choices=Ethnicity.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["mentor", "id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_min__lte=models.F("hours_max"), hours_max__lte=48),
                name="seeker_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(max_travel_minutes__gte=1, max_travel_minutes__lte=180),
                name="seeker_travel_minutes_range",
            ),
            models.CheckConstraint(
                condition=Q(benefit_group__in=[*BenefitGroup.values, ""]),
                name="seeker_benefit_group_known",
            ),
            models.CheckConstraint(
                condition=Q(easting__isnull=True, northing__isnull=True)
                | Q(easting__isnull=False, northing__isnull=False),
                name="seeker_location_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Seeker {self.user.username}"


class ConsentChange(models.Model):
    """What a seeker agreed to, when, and who recorded it. Append-only."""

    seeker = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="consents")
    share_with_employers = models.BooleanField()
    statement = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.seeker}: share={self.share_with_employers} at {self.changed_at:%Y-%m-%d}"
