import pytest

from accounts.models import Assignment
from accounts.roles import OrganisationKind, Role
from tests.factories import OrganisationFactory
from tests.verzuim.conftest import ZM_DATA
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding

MARKER = "ZZMARKER7Q"


@pytest.fixture
def arbodienst(db):
    return OrganisationFactory(kind=OrganisationKind.ARBODIENST, name="Arbo Test")


@pytest.fixture
def doctor(make_user, arbodienst):
    return make_user(Role.BEDRIJFSARTS, organisation=arbodienst)  # assigned to `employer`


@pytest.fixture
def casemanager(make_user, arbodienst):
    return make_user(Role.CASEMANAGER, organisation=arbodienst)


@pytest.fixture
def patient(make_user, employer):
    """A werknemer with a login and an open sick case."""
    user = make_user(Role.WERKNEMER)
    werknemer = WerknemerFactory(
        organisation=employer, user=user, first_name="Pieter", last_name="Patiënt"
    )
    return werknemer


@pytest.fixture
def case(hr, patient):
    from datetime import timedelta

    from django.utils import timezone

    return create_ziekmelding(
        by=hr, werknemer=patient, first_day=timezone.localdate() - timedelta(days=20), **ZM_DATA
    )


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR)


@pytest.fixture
def unassigned_doctor(make_user, arbodienst, other_employer):
    user = make_user(Role.BEDRIJFSARTS, organisation=arbodienst)
    Assignment.objects.filter(user=user).delete()
    Assignment.objects.create(user=user, organisation=other_employer)
    return user
