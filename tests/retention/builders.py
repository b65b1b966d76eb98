"""Builders for the retention tests (RT-1..6): each makes one record through the project's own
actions at a given moment (time_machine), so every date the engine reads (auto_now fields
included) is the one the test names."""

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import OrganisationKind, Role
from medisch.actions import documents as medisch_documents
from medisch.actions import dossier as medisch_actions
from medisch.public import request_keuring
from reintegratie.actions import plan as plan_actions
from reintegratie.actions import rapportages as rapportage_actions
from reintegratie.actions import trajecten as traject_actions
from retention.purge import purge
from tests.factories import OrganisationFactory
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding, record_herstel

PDF = b"%PDF-1.7\n% retention test\n%%EOF\n"
KEURING = {
    "function": "Heftruckchauffeur",
    "justification": "Besturen van een heftruck vereist goed zicht en evenwicht.",
    "aspects": "Gezichtsvermogen, evenwichtsorgaan",
}


def at(day: date):
    """Travel to noon UTC of `day` (the same calendar day in UTC and Europe/Amsterdam)."""
    return time_machine.travel(datetime.combine(day, time(12), tzinfo=UTC), tick=False)


def purge_on(day: date, **kwargs):
    with at(day):
        return purge(**kwargs)


def day_before(day: date) -> date:
    return day - timedelta(days=1)


def day_after(day: date) -> date:
    return day + timedelta(days=1)


def sick(hr, werknemer, first_day: date, recovered_on: date | None = None):
    """A ziekmelding filed on its first day, fully recovered on `recovered_on` if given."""
    with at(first_day):
        zm = create_ziekmelding(
            by=hr,
            werknemer=werknemer,
            first_day=first_day,
            phone="06-12345678",
            expected_duration="onbekend",
            lopende_afspraken="",
        )
    if recovered_on is not None:
        with at(recovered_on):
            record_herstel(by=hr, ziekmelding=zm, kind="volledig", date=recovered_on)
    zm.refresh_from_db()
    return zm


def end_employment_on_model(werknemer, end: date):
    """Set the employment end on the record itself (its post_save recomputes the roots that
    depend on it); the action's own recompute is tested separately in test_rules.py."""
    werknemer.refresh_from_db()
    werknemer.employment_end = end
    werknemer.save()
    werknemer.refresh_from_db()
    return werknemer


def plan(hr, zm, day: date, version=0):
    with at(day):
        return plan_actions.save_plan(
            by=hr,
            ziekmelding=zm,
            version=version,
            drawn_up_on=day,
            casemanager="Casemanager Test",
            spoor="eigen_werk",
            goals="Terug naar het eigen werk.",
            advies_ref=None,
        )


def provider_with_consultant(make_user):
    provider = OrganisationFactory(kind=OrganisationKind.REINTEGRATIEBEDRIJF)
    consultant = make_user(Role.CONSULTANT, organisation=provider, device=False)
    return provider, consultant


def trajectory(hr, zm, provider, consultant, start_on: date, end_on: date | None = None):
    """A trajectory commissioned on `start_on`, with a report and an invoice; its end (there is
    no action for it) set on the record."""
    with at(start_on):
        t = traject_actions.commission_trajectory(
            by=hr,
            ziekmelding=zm,
            provider=provider,
            consultant=consultant,
            category="coaching",
            data_items=["personalia"],
            start_on=start_on,
        )
        traject_actions.record_employee_informed(by=hr, trajectory=t)
        t.refresh_from_db()
        rapportage_actions.file_report(
            by=consultant,
            trajectory=t,
            period_end=start_on,
            attendance="aanwezig",
            cooperating=True,
            cooperation_explanation="",
            progress="Loopt.",
            next_steps="Verder.",
        )
        traject_actions.create_invoice(by=consultant, trajectory=t, date=start_on, amount=100)
    if end_on is not None:
        with at(end_on):
            t.end_on = end_on
            t.save()
    t.refresh_from_db()
    return t


def dossier_with_document(doctor, werknemer, day: date):
    """A medical dossier opened on `day` with a consult and an encrypted document, all that
    day (so its last change is `day`)."""
    with at(day):
        dossier = medisch_actions.open_dossier(by=doctor, werknemer=werknemer)
        medisch_actions.record_consult(
            by=doctor, dossier=dossier, date=day, anamnesis="Synthetische anamnese."
        )
        document = medisch_documents.upload_document(
            by=doctor,
            dossier=dossier,
            uploaded_file=SimpleUploadedFile("brief.pdf", PDF),
            title="Brief huisarts",
            kind="brief_behandelaar",
        )
    dossier.refresh_from_db()
    return dossier, document


def keuring(hr, candidate, day: date):
    from medisch.models import Keuring

    with at(day):
        return Keuring.objects.get(
            pk=request_keuring(by=hr, candidate_email=candidate.email, **KEURING)
        )


def stored_files(root) -> set[str]:
    """Every file under the medical files root, relative to it."""
    root = Path(root)
    if not root.exists():
        return set()
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def erd(organisation, kind: str, start: date | None = None, end: date | None = None):
    """A period in which `organisation` was eigenrisicodrager (`kind` "zw" or "wga"; RT-2, RT-3);
    without dates: since the beginning and still."""
    from accounts.models import EigenrisicodragerPeriode

    return EigenrisicodragerPeriode.objects.create(
        organisation=organisation, kind=kind, start=start, end=end
    )


def employee(organisation, **kwargs):
    return WerknemerFactory(organisation=organisation, **kwargs)
