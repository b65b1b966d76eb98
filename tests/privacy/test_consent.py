"""AV-2: every consent the system uses leaves one provable record — who, when, which text
version, scope and period — and withdrawal takes effect at once (the flow stops and the record
shows when). Refusing is recorded too and changes nothing else for the person."""

from datetime import date, timedelta

import pytest

from accounts.roles import OrganisationKind, Role
from doelgroep.actions.voorkeursbeleid import OBJECTION_TEXT, object_to_voorkeursbeleid
from medisch.actions.keuring import record_keuring
from medisch.models import Keuring
from medisch.public import decide_keuring, request_keuring
from privacy.models import ConsentKind, Toestemming
from reintegratie.actions import machtigingen as machtiging_actions
from reintegratie.actions import trajecten as traject_actions
from tests.factories import OrganisationFactory
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions import noodinformatie as noodinformatie_actions
from verzuim.actions import ziekmelding as ziekmelding_actions
from verzuim.models import Noodinformatie

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(make_user, employer):
    user = make_user(Role.WERKNEMER)
    return WerknemerFactory(organisation=employer, user=user)


def test_av2_noodinformatie_given_and_withdrawn(person):
    info = noodinformatie_actions.save_noodinformatie(
        by=person.user, werknemer=person, text="Epipen"
    )
    record = Toestemming.objects.get(kind=ConsentKind.NOODINFORMATIE)
    assert record.given and record.given_by == person.user.pseudonym
    assert record.subject == person.pseudonym
    assert record.text_version == noodinformatie_actions.NOODINFORMATIE_CONSENT_VERSION
    assert record.object_id == str(info.pk) and record.withdrawn_at is None
    noodinformatie_actions.withdraw_noodinformatie(by=person.user, werknemer=person)
    record.refresh_from_db()
    assert record.withdrawn_at is not None
    assert not Noodinformatie.objects.filter(werknemer=person).exists()  # at once


def test_av2_machtiging_given_refused_and_revoked(person, make_user, employer):
    hr = make_user(Role.HR)
    zm = ziekmelding_actions.create_ziekmelding(
        by=hr,
        werknemer=person,
        first_day=date.today() - timedelta(days=30),
        phone="06-12345678",
        expected_duration="onbekend",
        lopende_afspraken="",
    )
    company = OrganisationFactory(kind=OrganisationKind.REINTEGRATIEBEDRIJF)
    consultant = make_user(Role.CONSULTANT, organisation=company)
    trajectory = traject_actions.commission_trajectory(
        by=hr,
        ziekmelding=zm,
        provider=company,
        consultant=consultant,
        category="coaching",
        data_items=["personalia"],
        start_on=date.today(),
    )
    traject_actions.acknowledge_trajectory(by=person.user, trajectory=trajectory)
    ask = {
        "party": "Huisarts",
        "data_description": "Behandelverslag",
        "purpose": "Afstemmen",
        "valid_from": date.today(),
        "valid_until": date.today() + timedelta(days=60),
    }
    first = machtiging_actions.request_machtiging(by=consultant, trajectory=trajectory, **ask)
    second = machtiging_actions.request_machtiging(by=consultant, trajectory=trajectory, **ask)
    machtiging_actions.decide_machtiging(by=person.user, machtiging=first, give=True)
    machtiging_actions.decide_machtiging(by=person.user, machtiging=second, give=False)
    given = Toestemming.objects.get(object_id=str(first.pk))
    refused = Toestemming.objects.get(object_id=str(second.pk))
    assert given.given and not refused.given
    assert given.text == first.full_text and given.valid_until == ask["valid_until"]
    assert "Behandelverslag" in given.scope and "Huisarts" in given.scope
    machtiging_actions.revoke_machtiging(by=person.user, machtiging=first)
    given.refresh_from_db()
    first.refresh_from_db()
    assert given.withdrawn_at is not None and not first.in_force


def test_av2_keuring_decision_and_withdrawal(make_user, employer):
    hr = make_user(Role.HR)
    doctor = make_user(Role.BEDRIJFSARTS)
    candidate = make_user(Role.WERKNEMER)
    pk = request_keuring(
        by=hr,
        candidate_email=candidate.email,
        function="Heftruckchauffeur",
        justification="Besturen van een heftruck vereist goed zicht.",
        aspects="Gezichtsvermogen",
    )
    record_keuring(
        by=doctor, keuring=Keuring.objects.get(pk=pk), findings="In orde.", conclusion="geschikt"
    )
    decide_keuring(by=candidate, keuring_id=pk, share=True)
    record = Toestemming.objects.get(kind=ConsentKind.KEURING)
    assert record.given and record.withdrawn_at is None and "Heftruckchauffeur" in record.scope
    decide_keuring(by=candidate, keuring_id=pk, share=False)
    record.refresh_from_db()
    assert record.withdrawn_at is not None


def test_av2_voorkeursbeleid_objection_is_recorded(person, make_user):
    object_to_voorkeursbeleid(by=person.user, werknemer=person)
    record = Toestemming.objects.get(kind=ConsentKind.VOORKEURSBELEID)
    assert record.given is False and record.subject == person.pseudonym
    assert record.text == OBJECTION_TEXT
