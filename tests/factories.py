"""Factories for the foundation: organisations and users of every role (synthetic, SE-5)."""

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts.models import Assignment, Organisation, User
from accounts.roles import HOME_ORGANISATION_KIND, OrganisationKind, Role

PASSWORD = "correct-horse-battery-9"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testbedrijf {n} BV")
    kind = OrganisationKind.WERKGEVER
    is_synthetic = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"gebruiker{n}@test.verzuimkluis.example")
    full_name = factory.Faker("name", locale="nl_NL")
    role = Role.HR
    is_synthetic = True
    organisation = factory.LazyAttribute(
        lambda o: OrganisationFactory(kind=HOME_ORGANISATION_KIND[o.role])
    )

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "default"
    confirmed = True
    key = factory.LazyFunction(lambda: random_hex(20))


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    user = factory.SubFactory(UserFactory, role=Role.BEDRIJFSARTS)
    organisation = factory.SubFactory(OrganisationFactory)
