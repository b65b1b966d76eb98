"""RI-1, RI-3, RI-4, RI-9: the plan van aanpak, the re-integratiedossier and the employer's part
of the re-integratieverslag, through the pages, with the audit log and the data-flow register."""

from datetime import date, timedelta

import pytest

from accounts.errors import Conflict
from accounts.roles import Role
from medisch.actions import dossier as medisch_actions
from medisch.actions.reintegratie import record_verslag_deel
from privacy.models import AuditEvent, DataFlow, LegalBasis
from reintegratie.actions import dossier as dossier_actions
from reintegratie.actions import plan as plan_actions
from reintegratie.models import PlanVanAanpak, PlanVersie, Reintegratieverslag
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding
from verzuim.deadlines import deadlines_for
from verzuim.models import DeadlineCompletion

pytestmark = pytest.mark.django_db
MARKER = "QXMEDISCH77"


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR)


@pytest.fixture
def werknemer(make_user, employer):
    return WerknemerFactory(organisation=employer, user=make_user(Role.WERKNEMER))


@pytest.fixture
def case(hr, werknemer):
    return create_ziekmelding(
        by=hr,
        werknemer=werknemer,
        first_day=date.today() - timedelta(days=60),
        phone="06-12345678",
        expected_duration="onbekend",
        lopende_afspraken="",
    )


@pytest.fixture
def doctor(make_user):
    return make_user(Role.BEDRIJFSARTS)  # assigned to `employer`


@pytest.fixture
def advies(doctor, werknemer, case):
    dossier = medisch_actions.open_dossier(by=doctor, werknemer=werknemer)
    return medisch_actions.record_advies(
        by=doctor,
        dossier=dossier,
        case_id=case.case_id,
        release=True,
        date=date.today() - timedelta(days=20),
        limitations="Niet langer dan 2 uur achtereen staan.",
        capabilities="Zittend werk, 4 uur per dag.",
        expected_duration="middel",
        incapacity_percentage=50,
        adjustments="",
    )


def plan_post(**overrides):
    data = {
        "version": "0",
        "drawn_up_on": date.today().isoformat(),
        "casemanager": "Carla Casemanager",
        "spoor": "aangepast_werk",
        "goals": "Binnen 8 weken terug in aangepast eigen werk, 4 uur per dag.",
        "advies_ref": "",
    }
    data.update(overrides)
    return data


def test_ri3_hr_draws_up_plan_referencing_advice_and_ri1_plan_deadline_is_done(
    verified_client, hr, case, advies
):
    client = verified_client(hr)
    page = client.get(f"/reintegratie/meldingen/{case.pk}/plan/")
    assert page.status_code == 200
    response = client.post(
        f"/reintegratie/meldingen/{case.pk}/plan/", plan_post(advies_ref=str(advies.pk))
    )
    assert response.status_code == 302
    plan = PlanVanAanpak.objects.get(case_id=case.case_id)
    assert plan.advies_ref == advies.pk and plan.version == 1
    # RI-3: the limitations are shown by reference, from the advice, not retyped into the plan.
    page = client.get(f"/reintegratie/meldingen/{case.pk}/plan/").content.decode()
    assert "Niet langer dan 2 uur achtereen staan." in page
    assert "staan" not in plan.goals
    # RI-1: the Poortwachter step "plan van aanpak" is completed on the date drawn up.
    assert DeadlineCompletion.objects.filter(case_id=case.case_id, key="plan_van_aanpak").exists()
    assert AuditEvent.objects.filter(object_type="reintegratie.planvanaanpak").exists()


def test_ri3_plan_refuses_an_advice_of_another_case(verified_client, hr, case, advies, doctor):
    other = WerknemerFactory(organisation=case.organisation)
    other_case = create_ziekmelding(
        by=hr,
        werknemer=other,
        first_day=date.today() - timedelta(days=30),
        phone="06-12345678",
        expected_duration="onbekend",
        lopende_afspraken="",
    )
    with pytest.raises(Exception) as error:
        plan_actions.save_plan(
            by=hr,
            ziekmelding=other_case,
            version=0,
            drawn_up_on=date.today(),
            casemanager="X",
            spoor="eigen_werk",
            goals="Terug naar eigen werk.",
            advies_ref=advies.pk,
        )
    assert "advies_ref" in getattr(error.value, "message_dict", {})


def test_zm3_plan_goals_with_a_medical_term_are_refused_at_the_field_and_kept(
    verified_client, hr, case
):
    client = verified_client(hr)
    typed = "Na de hernia rustig opbouwen."
    response = client.post(f"/reintegratie/meldingen/{case.pk}/plan/", plan_post(goals=typed))
    assert response.status_code == 200
    assert "hernia" in response.context["form"].errors["goals"][0]
    assert typed in response.content.decode()  # nothing lost
    assert not PlanVanAanpak.objects.exists()


def test_ri3_optimistic_locking_on_the_plan_page(verified_client, hr, make_user, case):
    """Two people open version 1; the second save gets a clear message and loses nothing."""
    colleague = make_user(Role.WERKGEVER)
    first, second = verified_client(hr), verified_client(colleague)
    first.post(f"/reintegratie/meldingen/{case.pk}/plan/", plan_post())
    assert (
        first.post(
            f"/reintegratie/meldingen/{case.pk}/plan/",
            plan_post(version="1", goals="Versie van HR: 3 dagen per week."),
        ).status_code
        == 302
    )
    stale = second.post(
        f"/reintegratie/meldingen/{case.pk}/plan/",
        plan_post(version="1", goals="Versie van de leidinggevende."),
    )
    assert stale.status_code == 200
    assert "Iemand anders heeft het plan intussen gewijzigd" in stale.content.decode()
    assert "Versie van de leidinggevende." in stale.content.decode()
    plan = PlanVanAanpak.objects.get()
    assert plan.goals == "Versie van HR: 3 dagen per week." and plan.version == 2
    # RI-3: every version is kept.
    assert list(PlanVersie.objects.filter(plan=plan).values_list("number", flat=True)) == [2, 1]


def test_ri3_every_version_readable_and_employee_response_tied_to_version(
    verified_client, hr, case, werknemer
):
    plan = plan_actions.save_plan(
        by=hr,
        ziekmelding=case,
        version=0,
        drawn_up_on=date.today(),
        casemanager="C",
        spoor="eigen_werk",
        goals="Eerste versie.",
        advies_ref=None,
    )
    plan_actions.respond_to_plan(by=werknemer.user, plan=plan, version=1, agree=True)
    plan_actions.add_activity(
        by=hr, plan=plan, description="Gesprek over taken", owner="samen", due_on=date.today()
    )
    plan.refresh_from_db()
    assert plan.version == 2 and not plan.response_is_current
    page = verified_client(werknemer.user).get(f"/reintegratie/plannen/{plan.pk}/versies/1/")
    assert page.status_code == 200 and "Eerste versie." in page.content.decode()
    with pytest.raises(Conflict):
        plan_actions.respond_to_plan(by=werknemer.user, plan=plan, version=1, agree=True)


def test_ri1_evaluations_complete_the_next_open_evaluation_deadline(verified_client, hr, case):
    plan = plan_actions.save_plan(
        by=hr,
        ziekmelding=case,
        version=0,
        drawn_up_on=date.today() - timedelta(days=10),
        casemanager="C",
        spoor="eigen_werk",
        goals="Terug.",
        advies_ref=None,
    )
    client = verified_client(hr)
    response = client.post(
        f"/reintegratie/plannen/{plan.pk}/evaluaties/nieuw/",
        {"kind": "periodiek", "date": date.today().isoformat(), "outcome": "Gaat volgens plan."},
    )
    assert response.status_code == 302
    done = DeadlineCompletion.objects.get(case_id=case.case_id, key="evaluatie_plan")
    assert done.occurrence == 1 and done.completed_on == date.today()
    states = {(d.key, d.occurrence): d.state for d in deadlines_for(case)}
    assert states[("evaluatie_plan", 1)] == "done"
    future = client.post(
        f"/reintegratie/plannen/{plan.pk}/evaluaties/nieuw/",
        {
            "kind": "periodiek",
            "date": (date.today() + timedelta(days=3)).isoformat(),
            "outcome": "Later.",
        },
    )
    assert future.status_code == 200 and "toekomst" in future.content.decode()


def test_ri4_dossier_shows_history_without_medical_data(
    verified_client, hr, case, advies, doctor, werknemer
):
    dossier = medisch_actions.open_dossier(by=doctor, werknemer=werknemer)
    record_verslag_deel(
        by=doctor,
        dossier=dossier,
        case_id=case.case_id,
        date=date.today(),
        text=f"Medisch deel {MARKER}",
        deliver=True,
    )
    plan_actions.save_plan(
        by=hr,
        ziekmelding=case,
        version=0,
        drawn_up_on=date.today(),
        casemanager="Carla",
        spoor="eigen_werk",
        goals="Terug naar eigen werk.",
        advies_ref=advies.pk,
    )
    client = verified_client(hr)
    client.post(
        f"/reintegratie/meldingen/{case.pk}/correspondentie/nieuw/",
        {
            "date": date.today().isoformat(),
            "direction": "uit",
            "party": "Werknemer",
            "subject": "Uitnodiging gesprek",
            "summary": "Gesprek gepland.",
        },
    )
    page = client.get(f"/reintegratie/meldingen/{case.pk}/dossier/").content.decode()
    for expected in ("Carla", "Uitnodiging gesprek", "Zittend werk, 4 uur per dag."):
        assert expected in page
    assert MARKER not in page
    # RI-4: the employer's part of the verslag, generated from the dossier; copy to the employee.
    response = client.post(f"/reintegratie/meldingen/{case.pk}/verslag/nieuw/")
    verslag = Reintegratieverslag.objects.get()
    assert response["Location"] == f"/reintegratie/verslagen/{verslag.pk}/"
    printed = client.get(f"/reintegratie/verslagen/{verslag.pk}/")
    assert printed["Cache-Control"] == "no-store"
    assert "Uitnodiging gesprek" in printed.content.decode()
    assert MARKER not in printed.content.decode()
    employee = verified_client(werknemer.user)
    assert employee.get(f"/reintegratie/verslagen/{verslag.pk}/").status_code == 404
    client.post(f"/reintegratie/verslagen/{verslag.pk}/aan-werknemer/")
    assert employee.get(f"/reintegratie/verslagen/{verslag.pk}/").status_code == 200


def test_ri4_employer_roles_cannot_open_the_medical_verslag_part(
    verified_client, make_user, hr, case, doctor, werknemer
):
    dossier = medisch_actions.open_dossier(by=doctor, werknemer=werknemer)
    deel = record_verslag_deel(
        by=doctor,
        dossier=dossier,
        case_id=case.case_id,
        date=date.today(),
        text=f"Medisch deel {MARKER}",
        deliver=True,
    )
    for role in (Role.HR, Role.WERKGEVER, Role.WERKGEVER_BEHEERDER):
        client = verified_client(make_user(role))
        for url in (
            f"/medisch/dossiers/{dossier.pk}/",
            f"/medisch/verslagdelen/{deel.pk}/geven/",
            f"/reintegratie/meldingen/{case.pk}/dossier/",
            f"/verzuim/meldingen/{case.pk}/",
            "/reintegratie/mijn/",
            "/verzuim/mijn/",
        ):
            response = client.get(url)
            assert MARKER not in response.content.decode(), (role, url)


def test_ri9_every_outgoing_flow_records_its_legal_basis(hr, case, advies, doctor, werknemer):
    """Advice to the employer, verslag parts to the employee, aanmelding, report release: each
    leaves a DataFlow with a legal basis from the fixed list, never consent to the employer."""
    dossier = medisch_actions.open_dossier(by=doctor, werknemer=werknemer)
    record_verslag_deel(
        by=doctor, dossier=dossier, case_id=case.case_id, date=date.today(), text="x", deliver=True
    )
    verslag = dossier_actions.generate_verslag(by=hr, ziekmelding=case)
    dossier_actions.give_verslag(by=hr, verslag=verslag)
    kinds = set(DataFlow.objects.values_list("object_type", "recipient", "legal_basis"))
    assert ("medisch.advies", "werkgever", LegalBasis.POORTWACHTER) in kinds
    assert ("medisch.reintegratieverslag", "werknemer", LegalBasis.POORTWACHTER) in kinds
    assert ("reintegratie.reintegratieverslag", "werknemer", LegalBasis.POORTWACHTER) in kinds
    assert all(basis in LegalBasis.values for _, _, basis in kinds)


def test_ri9_consent_is_never_the_basis_for_the_employer_or_arbodienst():
    from django.db import IntegrityError, transaction

    from privacy import flows

    for recipient in ("werkgever", "arbodienst"):
        with pytest.raises(flows.InvalidLegalBasis):
            flows.record_flow(
                kind="rapportage",
                recipient=recipient,
                legal_basis="toestemming",
                object_type="x",
                object_id=1,
                consent_ref="machtiging:1",
            )
        # The database refuses it too.
        with pytest.raises(IntegrityError), transaction.atomic():
            DataFlow.objects.create(
                kind="x",
                recipient=recipient,
                legal_basis="toestemming",
                object_type="x",
                object_id="1",
                consent_ref="machtiging:1",
            )
    with pytest.raises(flows.InvalidLegalBasis):
        flows.record_flow(
            kind="x", recipient="werkgever", legal_basis="goed_gevoel", object_type="x", object_id=1
        )


def test_ri9_insurer_export_records_its_flow(verified_client, hr, case):
    response = verified_client(hr).get(f"/verzuim/meldingen/{case.pk}/verzekeraar.json")
    assert response.status_code == 200
    flow = DataFlow.objects.get(object_type="verzuim.ziekmelding")
    assert flow.recipient == "verzekeraar"
    assert flow.legal_basis == LegalBasis.GERECHTVAARDIGD_BELANG
    assert flow.actor == hr.pseudonym and flow.subject == case.werknemer.pseudonym
