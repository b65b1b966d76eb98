"""ZM-3 in the action layer: every action that writes free text the employer side reads refuses
medical terms on its own — called directly, with no form and no serializer in front of it — so a
CSV import, a management command or a Celery task cannot skip the guard. The refusal is a
ValidationError keyed on the field, naming the word, and nothing is saved. Two end-to-end cases
prove that such a refusal comes back at the field with the typed text intact, on a page and in the
API. The last test keeps the judgment per free-text field honest: a new one fails until it is
either guarded here or listed with the reason it needs no guard."""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.db import models
from django.test import RequestFactory
from django.utils import timezone

from accounts.reauth import REAUTH_AT
from accounts.roles import OrganisationKind, Role
from doelgroep.actions import registratie as doelgroep_registratie
from doelgroep.actions.verklaring import sign_statement
from doelgroep.models import Kandidaat
from reintegratie.actions import documenten as document_actions
from reintegratie.actions import dossier as dossier_actions
from reintegratie.actions import ondertekening as sign_actions
from reintegratie.actions import plan as plan_actions
from reintegratie.actions import rapportages as rapportage_actions
from reintegratie.actions import trajecten as traject_actions
from reintegratie.models import (
    Activiteit,
    Correspondentie,
    Evaluatie,
    Ondertekening,
    PlanVanAanpak,
    Trajectory,
    Voortgangsrapportage,
    Zienswijze,
)
from retention import actions as retention_actions
from retention.models import LegalHold, RetentionExtension
from retention.rules import Period
from tests.factories import OrganisationFactory
from tests.verzuim.conftest import ZM_DATA
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions import termijnen
from verzuim.actions import ziekmelding as ziekmelding_actions
from verzuim.api.views import ZiekmeldingSerializer
from verzuim.models import DeadlineCompletion, WachttijdVerlenging, Ziekmelding

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


class World:
    """The records an action needs, each made on first use through the project's own actions."""

    def __init__(self, make_user, employer):
        self.make_user = make_user
        self.employer = employer

    @cached_property
    def hr(self):
        return self.make_user(Role.HR)

    @cached_property
    def werknemer_user(self):
        return self.make_user(Role.WERKNEMER)

    @cached_property
    def werknemer(self):
        return WerknemerFactory(organisation=self.employer, user=self.werknemer_user)

    @cached_property
    def case(self):
        return ziekmelding_actions.create_ziekmelding(
            by=self.hr,
            werknemer=self.werknemer,
            first_day=TODAY - timedelta(days=60),
            **ZM_DATA,
        )

    @cached_property
    def plan(self):
        return plan_actions.save_plan(
            by=self.hr,
            ziekmelding=self.case,
            version=0,
            drawn_up_on=TODAY - timedelta(days=10),
            casemanager="Carla Casemanager",
            spoor="eigen_werk",
            goals="Terug naar eigen werk, opbouw in uren.",
            advies_ref=None,
        )

    @cached_property
    def consultant(self):
        provider = OrganisationFactory(kind=OrganisationKind.REINTEGRATIEBEDRIJF)
        return self.make_user(Role.CONSULTANT, organisation=provider)

    @cached_property
    def trajectory(self):
        trajectory = traject_actions.commission_trajectory(
            by=self.hr,
            ziekmelding=self.case,
            provider=self.consultant.organisation,
            consultant=self.consultant,
            category="fysiek",
            data_items=["personalia"],
            start_on=TODAY,
        )
        traject_actions.acknowledge_trajectory(by=self.werknemer_user, trajectory=trajectory)
        trajectory.refresh_from_db()
        return trajectory

    @cached_property
    def shared_report(self):
        report = rapportage_actions.file_report(
            by=self.consultant,
            trajectory=self.trajectory,
            period_end=TODAY,
            attendance="aanwezig",
            cooperating=True,
            cooperation_explanation="",
            progress="Werkt drie ochtenden per week.",
            next_steps="Uitbreiden naar vier ochtenden.",
        )
        rapportage_actions.share_report(by=self.consultant, report=report)
        return report

    @cached_property
    def beheerder(self):
        return self.make_user(Role.BEHEERDER)

    @cached_property
    def ended_trajectory(self):
        """A trajectory that ended 400 days ago: its RT-5 clock runs, so it may be extended."""
        end_on = TODAY - timedelta(days=400)
        return Trajectory.objects.create(
            case_id=uuid.uuid4(),
            werknemer=WerknemerFactory(organisation=self.employer),
            organisation=self.employer,
            provider=OrganisationFactory(kind=OrganisationKind.REINTEGRATIEBEDRIJF),
            category="coaching",
            commissioner_kind="werkgever",
            start_on=end_on - timedelta(days=120),
            end_on=end_on,
            status="afgerond",
            client_number=Trajectory.new_client_number(),
        )

    @cached_property
    def signed_hr(self):
        sign_statement(by=self.hr)  # DG-6: the doelgroep gate
        return self.hr


@dataclass(frozen=True)
class Case:
    """One guarded field of one action: `call(world, text)` runs the action with `text` in
    `field` (every other argument valid); `saved(world)` is what must not change."""

    action: str
    field: str
    call: object
    saved: object

    def __str__(self):
        return f"{self.action}:{self.field}"


def _file_ziekmelding(w, text):
    return ziekmelding_actions.create_ziekmelding(
        by=w.hr,
        werknemer=WerknemerFactory(organisation=w.employer),
        first_day=TODAY - timedelta(days=1),
        **{**ZM_DATA, "lopende_afspraken": text},
    )


def _ziekmelding_row(w):
    zm = Ziekmelding.objects.get(pk=w.case.pk)
    return zm.lopende_afspraken, zm.version


def _save_plan(field):
    def call(w, text):
        w.case  # noqa: B018 — made before the refusal, so `saved` counts plans only
        values = {
            "drawn_up_on": TODAY,
            "casemanager": "Carla Casemanager",
            "spoor": "eigen_werk",
            "goals": "Terug naar eigen werk.",
            field: text,
        }
        return plan_actions.save_plan(
            by=w.hr, ziekmelding=w.case, version=0, advies_ref=None, **values
        )

    return call


def _update_plan(w, text):
    plan = w.plan
    return plan_actions.save_plan(
        by=w.hr,
        ziekmelding=w.case,
        version=plan.version,
        drawn_up_on=plan.drawn_up_on,
        casemanager=plan.casemanager,
        spoor=plan.spoor,
        goals=text,
        advies_ref=None,
    )


def _plan_row(w):
    plan = PlanVanAanpak.objects.get(pk=w.plan.pk)
    return plan.goals, plan.casemanager, plan.version, plan.employee_remark


def _correspondentie(field):
    def call(w, text):
        values = {"party": "Werknemer", "subject": "Uitnodiging gesprek", "summary": "Gepland."}
        return dossier_actions.add_correspondentie(
            by=w.hr,
            ziekmelding=w.case,
            date=TODAY,
            direction="uit",
            **{**values, field: text},
        )

    return call


def _file_report(field):
    def call(w, text):
        values = {
            "cooperation_explanation": "",
            "progress": "Werkt drie ochtenden per week.",
            "next_steps": "Uitbreiden.",
        }
        return rapportage_actions.file_report(
            by=w.consultant,
            trajectory=w.trajectory,
            period_end=TODAY,
            attendance="aanwezig",
            cooperating=True,
            **{**values, field: text},
        )

    return call


def _report_row(w):
    report = Voortgangsrapportage.objects.get(pk=w.shared_report.pk)
    return report.employee_seen_at, report.employee_remark, report.status


def _place_hold(w, text):
    return retention_actions.place_hold(
        by=w.beheerder,
        category="verzuim.ziekmelding",
        object_id=w.case.pk,
        reason=text,
        until=TODAY + timedelta(days=30),
    )


def _record_extension(w, text):
    trajectory = w.ended_trajectory
    return retention_actions.record_extension(
        by=w.beheerder,
        category="reintegratie.traject",
        object_id=trajectory.pk,
        reason=text,
        extended_until=Period(years=4).after(trajectory.end_on),
    )


def _count(model):
    return lambda w: model.objects.count()


def _complete_step(w, text):
    return termijnen.complete_step(
        by=w.hr,
        ziekmelding=w.case,
        key="melding_42e_week",
        occurrence=1,
        completed_on=w.case.first_day,
        proof=text,
        confirmed=True,
    )


def _undo_step(w, text):
    if not DeadlineCompletion.objects.filter(case_id=w.case.case_id, key="melding_42e_week"):
        _complete_step(w, "UWV-kenmerk 42-1")
    return termijnen.undo_completion(
        by=w.hr, ziekmelding=w.case, key="melding_42e_week", occurrence=1, reason=text
    )


def _completed_42(w):
    return DeadlineCompletion.objects.filter(key="melding_42e_week").count()


def _undone(w):
    return DeadlineCompletion.objects.filter(undone_at__isnull=False).count()


def _record_verlenging(w, text):
    return termijnen.record_verlenging(
        by=w.hr,
        ziekmelding=w.case,
        kind="verlenging",
        decided_on=TODAY,
        start=TODAY,
        end=TODAY + timedelta(days=30),
        reference=text,
    )


def _sign_plan(w, text):
    """RI-12: a signature's remark, with the fresh proof signing asks (accounts/reauth.py)."""
    request = RequestFactory().post("/")
    request.user, request.session = w.werknemer_user, SessionStore()
    request.session[REAUTH_AT] = int(timezone.now().timestamp())
    return sign_actions.sign(
        by=w.werknemer_user, document=w.plan, agreed=False, remark=text, request=request
    )


GUARDED = [
    Case(
        "verzuim.create_ziekmelding",
        "lopende_afspraken",
        _file_ziekmelding,
        _count(Ziekmelding),
    ),
    Case(
        "verzuim.update_ziekmelding",
        "lopende_afspraken",
        lambda w, text: ziekmelding_actions.update_ziekmelding(
            by=w.hr, ziekmelding=w.case, version=w.case.version, lopende_afspraken=text
        ),
        _ziekmelding_row,
    ),
    Case("reintegratie.save_plan", "goals", _save_plan("goals"), _count(PlanVanAanpak)),
    Case("reintegratie.save_plan", "casemanager", _save_plan("casemanager"), _count(PlanVanAanpak)),
    Case("reintegratie.save_plan (new version)", "goals", _update_plan, _plan_row),
    Case(
        "reintegratie.add_activity",
        "description",
        lambda w, text: plan_actions.add_activity(
            by=w.hr, plan=w.plan, description=text, owner="samen", due_on=TODAY
        ),
        _count(Activiteit),
    ),
    Case(
        "reintegratie.record_evaluatie",
        "outcome",
        lambda w, text: plan_actions.record_evaluatie(
            by=w.hr, plan=w.plan, ziekmelding=w.case, kind="periodiek", date=TODAY, outcome=text
        ),
        _count(Evaluatie),
    ),
    *(
        Case(
            "reintegratie.record_evaluatie (eerstejaars, RI-12)",
            field,
            lambda w, text, field=field: plan_actions.record_evaluatie(
                by=w.hr,
                plan=w.plan,
                ziekmelding=w.case,
                kind="periodiek",
                date=TODAY,
                outcome="Afspraken lopen.",
                **{field: text},
            ),
            _count(Evaluatie),
        )
        for field in ("activities_done", "result", "spoor_reason")
    ),
    Case(
        "reintegratie.record_zienswijze (RI-12)",
        "text",
        lambda w, text: document_actions.record_zienswijze(
            by=w.werknemer_user,
            kind="plan",
            document_id=w.plan.pk,
            werknemer=w.werknemer,
            case_id=w.plan.case_id,
            organisation_id=w.plan.organisation_id,
            version=w.plan.version,
            text=text,
        ),
        _count(Zienswijze),
    ),
    Case(
        "reintegratie.respond_to_plan",
        "remark",
        lambda w, text: plan_actions.respond_to_plan(
            by=w.werknemer_user, plan=w.plan, version=w.plan.version, agree=False, remark=text
        ),
        _plan_row,
    ),
    Case("reintegratie.sign", "remark", _sign_plan, _count(Ondertekening)),
    Case(
        "reintegratie.add_correspondentie",
        "party",
        _correspondentie("party"),
        _count(Correspondentie),
    ),
    Case(
        "reintegratie.add_correspondentie",
        "subject",
        _correspondentie("subject"),
        _count(Correspondentie),
    ),
    Case(
        "reintegratie.add_correspondentie",
        "summary",
        _correspondentie("summary"),
        _count(Correspondentie),
    ),
    Case(
        "reintegratie.file_report",
        "cooperation_explanation",
        _file_report("cooperation_explanation"),
        _count(Voortgangsrapportage),
    ),
    Case(
        "reintegratie.file_report",
        "progress",
        _file_report("progress"),
        _count(Voortgangsrapportage),
    ),
    Case(
        "reintegratie.file_report",
        "next_steps",
        _file_report("next_steps"),
        _count(Voortgangsrapportage),
    ),
    Case(
        "reintegratie.mark_report_seen",
        "remark",
        lambda w, text: rapportage_actions.mark_report_seen(
            by=w.werknemer_user, report=w.shared_report, remark=text
        ),
        _report_row,
    ),
    Case("verzuim.complete_step", "proof", _complete_step, _completed_42),
    Case("verzuim.undo_completion", "reason", _undo_step, _undone),
    Case("verzuim.record_verlenging", "reference", _record_verlenging, _count(WachttijdVerlenging)),
    Case("retention.place_hold", "reason", _place_hold, _count(LegalHold)),
    Case("retention.record_extension", "reason", _record_extension, _count(RetentionExtension)),
    Case(
        "doelgroep.create_kandidaat",
        "reference",
        lambda w, text: doelgroep_registratie.create_kandidaat(
            by=w.signed_hr, name="Sam Sollicitant", reference=text
        ),
        _count(Kandidaat),
    ),
]

# Diagnosis, symptom, treatment, medication and care-provider words, as an employer writes them
# (privacy/data/medische_termen.txt); each case gets one, in turn.
TERMS = ["hernia", "burn-out", "antidepressiva", "overspannen", "fysiotherapeut", "rugklachten"]


def _term(index):
    return TERMS[index % len(TERMS)]


@pytest.fixture
def world(make_user, employer):
    return World(make_user, employer)


@pytest.mark.parametrize(
    "case, term", [(case, _term(i)) for i, case in enumerate(GUARDED)], ids=str
)
def test_zm3_every_guarded_action_refuses_a_medical_term_at_the_field_and_saves_nothing(
    world, case, term
):
    """ZM-3: the action itself — no form, no serializer — refuses a medical term in the field,
    with a ValidationError keyed on that field that names the word, and nothing is saved."""
    before = case.saved(world)
    with pytest.raises(ValidationError) as refused:
        case.call(world, f"Afspraak gemaakt, {term} speelt mee.")
    errors = refused.value.error_dict
    assert set(errors) == {case.field}
    assert [e.code for e in errors[case.field]] == ["medical_terms"]
    message = " ".join(refused.value.message_dict[case.field])
    assert "Medische gegevens" in message and f'"{term}"' in message
    assert case.saved(world) == before


@pytest.mark.parametrize("case", GUARDED, ids=str)
def test_zm3_the_same_action_saves_neutral_text(world, case):
    """ZM-3: the guard refuses only medical terms; the same call with neutral wording saves
    (so the refusal above is the guard's, not some other validation)."""
    before = case.saved(world)
    case.call(world, "Overdracht van de lopende klantafspraken aan Karin.")
    assert case.saved(world) != before


def test_zm3_all_offending_fields_are_named_at_once(world):
    """ZM-3: with medical terms in several fields the action names each field and each word, so
    the writer fixes everything in one go."""
    with pytest.raises(ValidationError) as refused:
        rapportage_actions.file_report(
            by=world.consultant,
            trajectory=world.trajectory,
            period_end=TODAY,
            attendance="aanwezig",
            cooperating=False,
            cooperation_explanation="Zegt overspannen te zijn.",
            progress="Na de hernia opbouwen.",
            next_steps="Gesprek met de fysiotherapeut.",
        )
    fields = refused.value.message_dict
    assert set(fields) == {"cooperation_explanation", "progress", "next_steps"}
    assert '"overspannen"' in fields["cooperation_explanation"][0]
    assert '"fysiotherapeut"' in fields["next_steps"][0]
    assert not Voortgangsrapportage.objects.exists()


# --- Through a page and the API: the action's refusal at the field, typed text intact ---------


def test_zm3_page_shows_the_actions_refusal_at_the_field_with_everything_typed(
    world, verified_client, monkeypatch
):
    """ZM-3 through a page, with the form's own early check taken away: the action's refusal
    comes back at the field, naming the word, with every typed value intact; nothing saved."""
    monkeypatch.setattr("verzuim.forms.validate_no_medical_terms", lambda value: None)
    client = verified_client(world.hr)
    werknemer = WerknemerFactory(organisation=world.employer)
    typed = "Project X overdragen; heeft een hernia."
    post = {
        "werknemer": werknemer.pk,
        "first_day": (TODAY - timedelta(days=1)).isoformat(),
        **ZM_DATA,
        "phone": "06-99887766",
        "lopende_afspraken": typed,
    }
    response = client.post("/verzuim/meldingen/nieuw/", post)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["lopende_afspraken"]
    assert '"hernia"' in form.errors["lopende_afspraken"][0]
    body = response.content.decode()
    assert typed in body and "06-99887766" in body
    assert "geen medische gegevens" in body.lower()  # the notice at the field
    assert not Ziekmelding.objects.filter(werknemer=werknemer).exists()


def test_zm3_doelgroep_page_without_a_form_check_refuses_at_the_field(world, verified_client):
    """ZM-3 through a page whose form has no medical-term check at all (the applicant's
    reference): only the action guards, and the refusal still lands at the field, with the
    notice and the typed text; nothing saved."""
    client = verified_client(world.signed_hr)
    page = client.get("/doelgroep/sollicitanten/nieuw/").content.decode()
    assert "geen medische gegevens" in page.lower()
    typed = "Vacature 12, Wajong wegens autisme"
    response = client.post(
        "/doelgroep/sollicitanten/nieuw/", {"name": "Sam Sollicitant", "reference": typed}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["reference"]
    assert '"autisme"' in form.errors["reference"][0]
    body = response.content.decode()
    assert typed in body and "Sam Sollicitant" in body
    assert not Kandidaat.objects.exists()


def test_zm3_api_answers_400_with_the_actions_refusal_under_the_field(
    world, bearer_client, monkeypatch
):
    """ZM-3 through the API, with the serializer's own early check taken away: the action's
    refusal is a 400 `invalid` with the message under the field's name; nothing saved, and the
    PATCH leaves the stored text as it was."""
    field = ZiekmeldingSerializer._declared_fields["lopende_afspraken"]
    monkeypatch.setitem(field._kwargs, "validators", [])  # DRF rebuilds fields from _kwargs
    client = bearer_client(world.hr)
    werknemer = WerknemerFactory(organisation=world.employer)
    body = {
        "werknemer": werknemer.pk,
        "first_day": (TODAY - timedelta(days=1)).isoformat(),
        **ZM_DATA,
        "lopende_afspraken": "is overspannen, planning overdragen",
    }
    response = client.post("/api/v1/ziekmeldingen/", body, format="json")
    assert response.status_code == 400, response.content
    answer = response.json()
    assert answer["code"] == "invalid"
    assert list(answer["fields"]) == ["lopende_afspraken"]
    assert '"overspannen"' in answer["fields"]["lopende_afspraken"][0]
    assert not Ziekmelding.objects.filter(werknemer=werknemer).exists()

    zm = world.case
    edit = client.patch(
        f"/api/v1/ziekmeldingen/{zm.pk}/",
        {"version": zm.version, "lopende_afspraken": "slikt antidepressiva"},
        format="json",
    )
    assert edit.status_code == 400
    assert '"antidepressiva"' in edit.json()["fields"]["lopende_afspraken"][0]
    assert _ziekmelding_row(world) == (zm.lopende_afspraken, zm.version)


# --- The judgment per free-text field -----------------------------------------------------------

# Every free-text field (CharField/TextField without choices) of the apps the employer side works
# in, that is not guarded above, with the reason it needs no guard. A new free-text field fails
# the test below until it is guarded (a Case above) or judged here.
NAME = "a name or contact detail: not medical, and names are a known false-positive class"
SYSTEM = "written by the system, not typed by a person"
NOT_GUARDED = {
    "verzuim.werknemersync": {"fingerprint": SYSTEM + " (a sha256 of the previewed plan)"},
    "verzuim.werknemer": {
        "first_name": NAME,
        "last_name": NAME,
        "personnel_number": SYSTEM + " (an identifier)",
        "phone": NAME,
        "address": NAME,
        "postcode": NAME,
        "city": NAME,
        "email": NAME,
        "department": "a short organisational label, read as a filter; care employers' own "
        "departments are medical words (known false positive), and it says nothing about health",
        "bsn": "DG-2: a number, validated by the 11-proef (verzuim.actions.uwv, RI-11)",
        "bsn_last3": SYSTEM,
    },
    "verzuim.ziekmelding": {
        "phone": NAME,
        "care_address": "ZM-1 asks for it: the address where the employee stays, which may be a "
        "hospital or care home; refusing that would break ZM-1",
        "next_deadline_key": SYSTEM,
        "next_deadline_label": SYSTEM,
    },
    "verzuim.noodinformatie": {
        "text": "ZM-4: written and confirmed by the employee, on their own initiative, precisely "
        "to share a condition; the exception to ZM-3",
        "consent_text_version": SYSTEM,
        "consent_text": SYSTEM,
    },
    "verzuim.deadlinecompletion": {"key": SYSTEM},
    "verzuim.deadlinesignal": {"key": SYSTEM, "state": SYSTEM},
    "reintegratie.correspondentie": {},
    "reintegratie.planvanaanpak": {
        "employee_remark": "guarded: respond_to_plan's `remark` (a Case above)",
    },
    "reintegratie.planversie": {"summary": SYSTEM + " (what changed, from the action)"},
    "reintegratie.evaluatie": {"deadline_key": SYSTEM},
    "reintegratie.uwvbsn": {
        "bsn": "DG-2: a number checked by the 11-proef, never free text",
        "bsn_last3": SYSTEM + " (the BSN's last three digits)",
    },
    "reintegratie.voortgangsrapportage": {
        "employee_remark": "guarded: mark_report_seen's `remark` (a Case above)",
    },
    "reintegratie.machtiging": {
        "requester_name": SYSTEM + " (the company's name)",
        "party": "RI-9: a consent to ask the GP or specialist for medical data; it must name "
        "them. Read by the employee and the company, never by the employer (RI-8 parts)",
        "data_description": "as party: it must say which medical data (RI-9, AV-2)",
        "purpose": "as party (RI-9, AV-2)",
        "text_version": SYSTEM,
        "full_text": SYSTEM,
    },
    "reintegratie.trajectory": {"client_number": SYSTEM},
    "reintegratie.verslagbundel": {
        "fingerprint": SYSTEM + " (RI-12: the SHA-256 of the parts it was made from)",
        "sha256": SYSTEM + " (RI-12: the SHA-256 of the PDF)",
    },
    "reintegratie.factuur": {"number": SYSTEM},
    "reintegratie.ondertekening": {
        "signer_name": NAME,
        "content_hash": SYSTEM + " (RI-12: the SHA-256 of the content signed)",
        "check_code": SYSTEM + " (RI-12)",
    },
    "doelgroep.geheimhoudingsverklaring": {"text_version": SYSTEM, "text": SYSTEM},
    "doelgroep.kandidaat": {"name": NAME},
    "doelgroep.registercheck": {
        "bsn": "DG-2: a number, validated by the 11-proef",
        "bsn_last3": SYSTEM,
    },
    "doelgroep.voorkeursbeleid": {
        "group_description": "DG-7: the organisation's policy about a group, not about a person; "
        "positive action for people with a disability or chronic illness is lawful and must be "
        "describable",
        "documentation": "as group_description (sources and figures about a group)",
    },
    "doelgroep.geboorteland": {
        "self_country": "DG-7: a country name",
        "mother_country": "DG-7: a country name",
        "father_country": "DG-7: a country name",
        "grandparents_countries": "DG-7: country names",
    },
    "retention.legalhold": {"category": SYSTEM + " (a registry key)"},
    "retention.retentionextension": {"category": SYSTEM + " (a registry key)"},
    "retention.purgerun": {"task_id": SYSTEM, "current": SYSTEM},
    "privacy.datalek": {
        field: "AV-4: the breach register is kept by the platform operator, not the employer, "
        "and must be able to say that health data was involved"
        for field in ("title", "description", "categories", "assessment", "measures")
    }
    | {"ap_reference": SYSTEM + " (the AP's number)"},
    "privacy.auditevent": {
        field: SYSTEM + " (SE-7: the audit log names no content)"
        for field in ("actor_role", "object_type", "detail", "prev_hash", "hash")
    },
    "privacy.auditseal": {"partition": SYSTEM + " (SE-7: the name of a dropped month's table)"},
    "privacy.dataflow": {
        field: SYSTEM + " (RI-9: the register of data flows)"
        for field in ("kind", "recipient_name", "object_type", "object_id", "consent_ref")
    },
    "privacy.toestemming": {
        field: SYSTEM + " (AV-2: the consent text and scope the action shows)"
        for field in ("text_version", "text", "scope", "object_type", "object_id")
    },
    "privacy.verzoekontvanger": {
        "recipient_name": "AV-3: an organisation's name, kept by the platform operator",
    },
    "privacy.verzoek": {
        field: "AV-3: the request register is kept by the platform operator, not the employer; "
        "a request may concern the medical file and must be able to say so"
        for field in ("subject_name", "description", "refusal_reason", "identity_explanation")
    },
}
GUARDED_FIELDS = {
    "verzuim.ziekmelding": {"lopende_afspraken"},
    "verzuim.deadlinecompletion": {"proof", "undo_reason"},
    "verzuim.wachttijdverlenging": {"reference"},
    "reintegratie.planvanaanpak": {"casemanager", "goals"},
    "reintegratie.activiteit": {"description"},
    "reintegratie.evaluatie": {"outcome", "activities_done", "result", "spoor_reason"},
    "reintegratie.zienswijze": {"text"},
    "reintegratie.ondertekening": {"remark"},
    "reintegratie.correspondentie": {"party", "subject", "summary"},
    "reintegratie.voortgangsrapportage": {"cooperation_explanation", "progress", "next_steps"},
    "retention.legalhold": {"reason"},
    "retention.retentionextension": {"reason"},
    "doelgroep.kandidaat": {"reference"},
}
APPS = ("verzuim", "reintegratie", "doelgroep", "retention", "privacy")


def _free_text_fields(model):
    return {
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and f.concrete
        and not f.auto_created
    }


def test_zm3_every_free_text_field_is_guarded_or_judged():
    """ZM-3: every free-text field of the employer-side apps is either guarded in its action
    (tested above) or listed with the reason it needs no guard — none is forgotten."""
    forgotten = {}
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            label = f"{app}.{model._meta.model_name}"
            judged = GUARDED_FIELDS.get(label, set()) | set(NOT_GUARDED.get(label, {}))
            missing = _free_text_fields(model) - judged
            if missing:
                forgotten[label] = sorted(missing)
    assert forgotten == {}, f"free-text fields neither guarded nor judged: {forgotten}"
