import pytest

from accounts.roles import Role
from tests.verzuim.factories import WerknemerFactory


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR)


@pytest.fixture
def werknemer(employer):
    return WerknemerFactory(organisation=employer)


@pytest.fixture
def foreign_werknemer(other_employer):
    return WerknemerFactory(organisation=other_employer, last_name="Buitenstaander")


ZM_DATA = {
    "percentage": 100,
    "phone": "06-12345678",
    "care_address": "",
    "expected_duration": "twee_weken",
    "lopende_afspraken": "Overdracht van de planning aan Piet.",
    "vangnet": False,
    "arbeidsongeval": False,
    "regres": False,
}
