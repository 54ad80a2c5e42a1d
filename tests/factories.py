"""factory_boy factories. Locations are real Barnsley postcodes with their ONSPD grid refs."""

import datetime as dt
from decimal import Decimal

import factory

from accounts.models import Role, User
from employers.models import Employer, EmployerMember, Vacancy
from seekers.models import SeekerProfile

# Barnsley town centre (S70 2TA) and Penistone (S36 6BY): ONSPD Nov 2025 eastings/northings.
TOWN = {"postcode": "S70 2TA", "easting": 434367, "northing": 406524}
PENISTONE = {"postcode": "S36 6BY", "easting": 424369, "northing": 403249}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.SEEKER
    password = factory.PostGenerationMethodCall("set_password", "pw-2026-factory")


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Employer {n} Ltd")


class EmployerMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployerMember

    user = factory.SubFactory(UserFactory, role=Role.EMPLOYER)
    employer = factory.SubFactory(EmployerFactory)


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    employer = factory.SubFactory(EmployerFactory)
    title = "Warehouse operative"
    skills = factory.LazyFunction(lambda: [{"typed": "forklift", "id": None, "label": None}])
    essential_skills = factory.LazyFunction(list)
    postcode = TOWN["postcode"]
    easting = TOWN["easting"]
    northing = TOWN["northing"]
    hours_per_week = Decimal("37.5")
    contract_type = "permanent"
    wage_per_hour = Decimal("12.80")
    positions = 2
    status = "open"
    posted_on = factory.LazyFunction(dt.date.today)


class SeekerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeekerProfile

    user = factory.SubFactory(UserFactory, role=Role.SEEKER)
    postcode = PENISTONE["postcode"]
    easting = PENISTONE["easting"]
    northing = PENISTONE["northing"]
    travel_modes = factory.LazyFunction(lambda: ["public_transport"])
    registered_on = factory.LazyFunction(dt.date.today)
    benefit_group = "uc_searching"
    registration_benefit_group = factory.SelfAttribute("benefit_group")
