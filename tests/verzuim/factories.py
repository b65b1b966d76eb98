from datetime import date

import factory

from tests.factories import OrganisationFactory
from verzuim.models import Werknemer


class WerknemerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Werknemer

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    personnel_number = factory.Sequence(lambda n: f"P{n:05d}")
    date_of_birth = date(1980, 5, 17)
    employment_start = date(2020, 1, 1)
    department = "Logistiek"
    phone = "06-00000000"
    is_synthetic = True


def staff_by_number(organisation) -> dict:
    """The organisation's employees by personnel number (the staff-list sync's key, issue 23)."""
    return {w.personnel_number: w for w in Werknemer.objects.filter(organisation=organisation)}
