"""Issue 18, the doctor's and the casemanager's worklist on the dashboard (medisch/panels.py):
new ziekmeldingen without a consult, probleemanalyses due (RI-1), advice in concept (MD-5),
keuringen waiting (MD-7) — scoped like the pages themselves (SE-9, MD-2, MD-4), every item
linking to a page that opens, every person shown audited (SE-7)."""

import re
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from accounts.roles import Role
from medisch.actions import dossier as actions
from medisch.actions.keuring import record_keuring, request_keuring
from medisch.actions.reintegratie import record_probleemanalyse
from medisch.models import Keuring
from medisch.panels import doctor_worklist
from privacy.models import AuditEvent
from tests.verzuim.conftest import ZM_DATA
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding
from verzuim.deadlines import deadlines_for

pytestmark = pytest.mark.django_db(databases=["default", "medisch"])

ADVICE = {
    "limitations": "Niet tillen boven 10 kg",
    "capabilities": "Bureauwerk 4 uur per dag",
    "expected_duration": "middel",
    "incapacity_percentage": 50,
    "adjustments": "",
}


def _today():
    return timezone.localdate()


def _panel(user):
    request = RequestFactory().get("/")
    request.user = user
    return doctor_worklist(request)


def _groups(user) -> dict:
    """group title → [item text]"""
    _, context = _panel(user)
    return {g.title: [i.text for i in g.items] for g in context["groups"]}


def _links(page) -> list[str]:
    section = page.split('id="werklijst-medisch"', 1)[1].split("Werklijst vernieuwen", 1)[0]
    return re.findall(r'<a href="([^"]+)"', section)


@pytest.fixture
def dossier(doctor, patient):
    return actions.open_dossier(by=doctor, werknemer=patient)


@pytest.fixture
def week5_case(hr, employer):
    """A case in week 5: its probleemanalyse (week 6) is due within 14 days."""
    werknemer = WerknemerFactory(organisation=employer, first_name="Wessel", last_name="Week")
    return create_ziekmelding(
        by=hr, werknemer=werknemer, first_day=_today() - timedelta(days=30), **ZM_DATA
    )


def test_new_ziekmelding_waits_until_a_consult_is_recorded(doctor, case, dossier, verified_client):
    """The doctor sees the new case without a consult, linked to the consult form; a consult
    since the first sick day takes it off the list."""
    new = _groups(doctor)["Nieuwe ziekmeldingen zonder consult"]
    assert new == ["Pieter Patiënt"]
    page = verified_client(doctor).get("/").content.decode()
    assert f"/medisch/dossiers/{dossier.pk}/consult/nieuw/" in page
    actions.record_consult(by=doctor, dossier=dossier, date=_today())
    assert _groups(doctor)["Nieuwe ziekmeldingen zonder consult"] == []


def test_probleemanalyse_due_until_recorded_ri1(doctor, hr, week5_case, verified_client):
    """RI-1: a case in week 5 shows its probleemanalyse due with the engine's date (end of week
    6); recording it (the Poortwachter step done) takes it off."""
    dossier = actions.open_dossier(by=doctor, werknemer=week5_case.werknemer)
    _, context = _panel(doctor)
    group = next(g for g in context["groups"] if g.title == "Probleemanalyse te maken")
    assert [i.text for i in group.items] == ["Wessel Week"]
    engine = next(d.due for d in deadlines_for(week5_case) if d.key == "probleemanalyse")
    assert group.items[0].due == engine == week5_case.first_day + timedelta(days=41)
    assert group.items[0].url == f"/medisch/dossiers/{dossier.pk}/probleemanalyse/nieuw/"
    record_probleemanalyse(
        by=doctor,
        dossier=dossier,
        case_id=week5_case.case_id,
        date=_today(),
        medical_part="Klachten rug.",
        release=True,
        **ADVICE,
    )
    assert _groups(doctor)["Probleemanalyse te maken"] == []


def test_concept_advice_listed_until_released_md5(doctor, case, dossier, verified_client):
    """MD-5: an advice not yet released to the employer waits for the doctor."""
    actions.record_advies(
        by=doctor,
        dossier=dossier,
        case_id=case.case_id,
        release=False,
        date=_today(),
        **ADVICE,
    )
    assert _groups(doctor)["Advies in concept (nog niet vrijgegeven)"] == ["Pieter Patiënt"]
    actions.record_advies(
        by=doctor, dossier=dossier, case_id=case.case_id, release=True, date=_today(), **ADVICE
    )
    assert _groups(doctor)["Advies in concept (nog niet vrijgegeven)"] == ["Pieter Patiënt"]


def test_keuring_waits_until_examined_md7(doctor, hr, make_user, verified_client):
    """MD-7: a requested exam of a client waits for the doctor, linked to its record page."""
    candidate = make_user(Role.WERKNEMER, full_name="Karin Kandidaat")
    keuring_id = request_keuring(
        by=hr,
        candidate_email=candidate.email,
        function="Heftruckchauffeur",
        justification="Rijden met zware machines vraagt een goed gezichtsvermogen.",
        aspects="Gezichtsvermogen",
    ).pk
    assert _groups(doctor)["Aanstellingskeuringen die wachten"] == ["Karin Kandidaat"]
    record_keuring(
        by=doctor,
        keuring=Keuring.objects.get(pk=keuring_id),
        findings="Visus goed.",
        conclusion="geschikt",
    )
    assert _groups(doctor)["Aanstellingskeuringen die wachten"] == []


def test_every_link_opens_for_the_doctor(doctor, case, dossier, week5_case, verified_client):
    """Each item links to the page where the work is done, and that page opens (200)."""
    actions.record_advies(
        by=doctor, dossier=dossier, case_id=case.case_id, release=False, date=_today(), **ADVICE
    )
    client = verified_client(doctor)
    links = _links(client.get("/").content.decode())
    assert len(links) >= 4
    for link in links:
        assert client.get(link).status_code == 200, link


def test_se9_doctor_sees_no_case_of_a_client_they_do_not_serve(
    unassigned_doctor, case, dossier, week5_case, verified_client
):
    """SE-9: a bedrijfsarts of another client sees none of these cases or advices."""
    actions.record_advies(
        by=dossier.opened_by,
        dossier=dossier,
        case_id=case.case_id,
        release=False,
        date=_today(),
        **ADVICE,
    )
    groups = _groups(unassigned_doctor)
    assert all(items == [] for items in groups.values()), groups
    page = verified_client(unassigned_doctor).get("/").content.decode()
    assert "Pieter Patiënt" not in page and "Wessel Week" not in page


def test_md4_casemanager_sees_only_what_is_delegated(
    doctor, casemanager, case, dossier, week5_case, verified_client
):
    """MD-4: without a delegation the casemanager sees nothing; with one for "adviezen" the
    concept advice of that dossier, not whether there was a consult (that is "consults"), and
    never the keuringen; the link goes to the dossier (reading), not to a form."""
    actions.record_advies(
        by=doctor, dossier=dossier, case_id=case.case_id, release=False, date=_today(), **ADVICE
    )
    assert all(items == [] for items in _groups(casemanager).values())
    actions.delegate(
        by=doctor,
        dossier=dossier,
        delegate=casemanager,
        parts=["adviezen"],
        valid_from=_today(),
        valid_until=_today(),
    )
    _, context = _panel(casemanager)
    groups = {g.title: g for g in context["groups"]}
    assert [i.text for i in groups["Advies in concept (nog niet vrijgegeven)"].items] == [
        "Pieter Patiënt"
    ]
    assert groups["Nieuwe ziekmeldingen zonder consult"].items == []
    assert "Aanstellingskeuringen die wachten" not in groups
    assert "Wessel Week" not in str(context)  # not delegated
    page = verified_client(casemanager).get("/").content.decode()
    assert f'href="/medisch/dossiers/{dossier.pk}/#adviezen"' in page
    # SE-7: the casemanager's read is logged on the delegating doctor's behalf.
    read = AuditEvent.objects.filter(object_type="medisch.advies").order_by("-pk").first()
    assert read.actor == casemanager.pseudonym and read.on_behalf_of == doctor.pseudonym


def test_md2_no_medical_worklist_for_employer_or_operator(hr, make_user, case, dossier):
    """MD-2: HR, werkgever, the operator: no medical worklist at all."""
    for role in (Role.HR, Role.WERKGEVER, Role.BEHEERDER, Role.WERKNEMER, Role.CONSULTANT):
        assert _panel(make_user(role)) is None


def test_se7_people_on_the_worklist_are_audited(doctor, case, dossier):
    """SE-7: the doctor's worklist names people, so each is logged like a list read."""
    actions.record_advies(
        by=doctor, dossier=dossier, case_id=case.case_id, release=False, date=_today(), **ADVICE
    )
    before = AuditEvent.objects.count()
    _panel(doctor)
    events = AuditEvent.objects.order_by("pk")[before:]
    assert {(e.object_type, e.subject) for e in events} == {
        ("verzuim.ziekmelding", case.werknemer.pseudonym),
        ("medisch.advies", dossier.subject),
    }


def test_query_count_does_not_grow_with_the_cases(
    doctor, hr, employer, django_assert_max_num_queries
):
    """Bounded: at most WORKLIST_LIMIT items per group, the same number of queries for 7 cases
    as for 14."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    def make_cases(n):
        for _ in range(n):
            werknemer = WerknemerFactory(organisation=employer)
            create_ziekmelding(
                by=hr, werknemer=werknemer, first_day=_today() - timedelta(days=40), **ZM_DATA
            )

    def count():
        with (
            CaptureQueriesContext(connections["default"]) as default,
            CaptureQueriesContext(connections["medisch"]) as medisch,
        ):
            _panel(doctor)
        return len(default) + len(medisch)

    make_cases(7)
    seven = count()
    make_cases(7)
    assert count() == seven


def test_md2_hr_dashboard_shows_no_medical_item(hr, doctor, case, patient, verified_client):
    """MD-2, MD-5: with a concept advice and a case without consult in the medical module, HR's
    dashboard has no medical worklist and names no advice; only the roles of the medical
    module get /werklijst/?paneel=medisch."""
    dossier = actions.open_dossier(by=doctor, werknemer=patient)
    actions.record_advies(
        by=doctor,
        dossier=dossier,
        case_id=case.case_id,
        release=False,
        date=_today(),
        limitations="Niet tillen",
        capabilities="Bureauwerk",
        expected_duration="middel",
        incapacity_percentage=50,
        adjustments="",
    )
    client = verified_client(hr)
    page = client.get("/").content.decode()
    assert "werklijst-medisch" not in page
    assert "Advies in concept" not in page and "zonder consult" not in page
    assert client.get("/werklijst/?paneel=medisch").status_code == 404
    doctor_page = verified_client(doctor).get("/werklijst/?paneel=medisch")
    assert doctor_page.status_code == 200
    assert "Advies in concept" in doctor_page.content.decode()


def test_md7_candidate_is_told_a_keuring_waits_for_their_decision(
    make_user, hr, doctor, verified_client
):
    """MD-7: once the exam was performed, the candidate's dashboard links to the decision (a
    count through medisch.public, no content)."""
    candidate = make_user(Role.WERKNEMER)
    keuring_id = request_keuring(
        by=hr,
        candidate_email=candidate.email,
        function="Heftruckchauffeur",
        justification="Rijden met zware machines vraagt een goed gezichtsvermogen.",
        aspects="Gezichtsvermogen",
    ).pk
    client = verified_client(candidate)
    assert "aanstellingskeuring" not in client.get("/").content.decode()
    record_keuring(
        by=doctor,
        keuring=Keuring.objects.get(pk=keuring_id),
        findings="Visus goed.",
        conclusion="geschikt",
    )
    page = client.get("/").content.decode()
    assert 'href="/verzuim/mijn/#keuring"' in page and "aanstellingskeuring" in page
    assert client.get("/verzuim/mijn/").status_code == 200
