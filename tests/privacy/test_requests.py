"""AV-3: requests by a data subject — registered, answered within one month (two more only with
notice in the first month), refused only with a reason and the complaint route, a complete
machine-readable export of the person's data from every app, and the known recipients notified.
MD-2: the medical part of that export reaches the person only through the assigned doctor."""

import json
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import OrganisationKind, Role
from doelgroep.models import Registercheck
from doelgroep.synthetic import synthetic_bsns

# MD-2 test: it writes medical content to prove the export keeps it from everyone but the doctor
# (the same exemption tests/security/conftest.py has in pyproject.toml).
from medisch.actions import dossier as medisch_actions
from privacy import export
from privacy.actions import verzoek as requests
from privacy.models import (
    AuditEvent,
    DataFlow,
    Verzoek,
    VerzoekKind,
    VerzoekOntvanger,
    VerzoekStatus,
)
from privacy.tasks import signal_request_deadlines
from reintegratie.models import Correspondentie, PlanVanAanpak
from retention import registry
from tests.factories import OrganisationFactory
from tests.verzuim.conftest import ZM_DATA
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding
from verzuim.models import Noodinformatie

MEDICAL_MARKER = "ZZMEDISCH4K"
BSN = next(synthetic_bsns())


def _verzoek(received_on, kind=VerzoekKind.INZAGE, **fields):
    import uuid

    fields = {"subject_name": "Test Persoon", **fields}
    return Verzoek.objects.create(
        kind=kind, subject=uuid.uuid4(), received_on=received_on, **fields
    )


# --- deadline arithmetic --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due", "extended"),
    [
        (date(2025, 1, 31), date(2025, 2, 28), date(2025, 4, 30)),  # no 31 February
        (date(2024, 1, 31), date(2024, 2, 29), date(2024, 4, 30)),  # leap year
        (date(2024, 1, 29), date(2024, 2, 29), date(2024, 4, 29)),
        (date(2023, 1, 29), date(2023, 2, 28), date(2023, 4, 29)),
        (date(2024, 3, 31), date(2024, 4, 30), date(2024, 6, 30)),
        (date(2025, 3, 15), date(2025, 4, 15), date(2025, 6, 15)),
        (date(2024, 11, 30), date(2024, 12, 30), date(2025, 2, 28)),  # over the year end
        (date(2023, 11, 30), date(2023, 12, 30), date(2024, 2, 29)),
        (date(2025, 12, 31), date(2026, 1, 31), date(2026, 3, 31)),
    ],
)
def test_av3_due_one_calendar_month_after_receipt_extended_three(received, due, extended):
    """AV-3: one month = the same day next month, or that month's last day if it has none; the
    extension runs to three months after receipt."""
    assert requests.original_due(received) == due
    assert requests.extended_due(received) == extended


@pytest.mark.django_db
def test_av3_extension_only_with_notice_in_the_first_month(make_user):
    operator = make_user(Role.BEHEERDER)
    verzoek = _verzoek(date(2025, 1, 31))
    with pytest.raises(ValidationError) as refused:
        requests.extend(by=operator, verzoek=verzoek, notice_sent_on=date(2025, 3, 1))
    assert "binnen de eerste maand" in str(refused.value)
    verzoek.refresh_from_db()
    assert not verzoek.extended and requests.due_date(verzoek) == date(2025, 2, 28)
    requests.extend(by=operator, verzoek=verzoek, notice_sent_on=date(2025, 2, 28))  # last day
    verzoek.refresh_from_db()
    assert verzoek.extended and verzoek.status == VerzoekStatus.VERLENGD
    assert requests.due_date(verzoek) == date(2025, 4, 30)
    with pytest.raises(ValidationError):
        requests.extend(by=operator, verzoek=verzoek, notice_sent_on=date(2025, 2, 28))


@pytest.mark.django_db
def test_av3_refusal_needs_a_reason_and_names_the_complaint_route(make_user):
    operator = make_user(Role.BEHEERDER)
    verzoek = _verzoek(timezone.localdate() - timedelta(days=3), kind=VerzoekKind.VERWIJDERING)
    with pytest.raises(ValidationError):
        requests.refuse(by=operator, verzoek=verzoek, reason="  ")
    requests.refuse(by=operator, verzoek=verzoek, reason="Wettelijke bewaarplicht (RT-1).")
    verzoek.refresh_from_db()
    assert verzoek.status == VerzoekStatus.GEWEIGERD and verzoek.completed_on
    text = requests.refusal_text(verzoek)
    assert "Wettelijke bewaarplicht" in text
    assert "Autoriteit Persoonsgegevens" in text and "rechter" in text


@pytest.mark.django_db
def test_av3_overdue_is_said_in_words():
    today = timezone.localdate()
    late = _verzoek(today - timedelta(days=40))
    assert requests.is_overdue(late, today)
    assert "TERMIJN VERLOPEN" in requests.countdown(late, today) and "te laat" in (
        requests.countdown(late, today)
    )
    assert requests.countdown(_verzoek(today), today).startswith("nog ")


# --- the export ----------------------------------------------------------------------------


@pytest.fixture
def arbodienst(db):
    return OrganisationFactory(kind=OrganisationKind.ARBODIENST, name="Arbo Test")


@pytest.fixture
def doctor(make_user, arbodienst):
    return make_user(Role.BEDRIJFSARTS, organisation=arbodienst)  # assigned to `employer`


@pytest.fixture
def person(make_user, employer, doctor):
    """One employee with data in every app: verzuim, re-integratie, doelgroep, medisch,
    accounts and privacy (a data flow and the access log)."""
    hr = make_user(Role.HR)
    user = make_user(Role.WERKNEMER, email="pieter@example.test", full_name="Pieter Patiënt")
    werknemer = WerknemerFactory(
        organisation=employer,
        user=user,
        first_name="Pieter",
        last_name="Patiënt",
        personnel_number="P77777",
        email="pieter.prive@example.test",
    )
    zm = create_ziekmelding(
        by=hr, werknemer=werknemer, first_day=timezone.localdate() - timedelta(days=20), **ZM_DATA
    )
    Noodinformatie.objects.create(
        werknemer=werknemer,
        text="Epipen in de linkerla.",
        consent_text_version="1",
        consent_text="Ik geef toestemming.",
        confirmed_at=timezone.now(),
    )
    PlanVanAanpak.objects.create(
        case_id=zm.case_id,
        werknemer=werknemer,
        organisation=employer,
        drawn_up_on=timezone.localdate(),
        casemanager="C. Manager",
        spoor="eigen_werk",
        goals="Terug in de planning, eerst halve dagen.",
    )
    Correspondentie.objects.create(
        case_id=zm.case_id,
        werknemer=werknemer,
        organisation=employer,
        date=timezone.localdate(),
        direction="uit",
        party="werknemer",
        subject="Uitnodiging gesprek",
        summary="Gesprek over de voortgang.",
    )
    Registercheck.objects.create(
        organisation=employer,
        werknemer=werknemer,
        in_register=True,
        checked_on=timezone.localdate(),
        checked_via="bsn",
        bsn=BSN,
    )
    dossier = medisch_actions.open_dossier(by=doctor, werknemer=werknemer)
    medisch_actions.record_consult(
        by=doctor, dossier=dossier, date=timezone.localdate(), anamnesis=MEDICAL_MARKER
    )
    DataFlow.objects.create(
        kind="advies",
        recipient="werkgever",
        recipient_name=employer.name,
        legal_basis="poortwachter",
        subject=werknemer.pseudonym,
        object_type="medisch.advies",
        object_id="1",
    )
    return werknemer


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False)


def test_av3_export_contains_every_section_and_data_from_every_app(make_user, person):
    operator = make_user(Role.BEHEERDER)
    data = export.assemble(person.pseudonym, by=operator)
    assert set(data["secties"]) == {c.key for c in export.contributors()}
    assert set(data["secties"]) >= {
        "verzuim",
        "reintegratie",
        "doelgroep",
        "medisch",
        "accounts",
        "privacy",
    }
    sections = {key: _dump(s["gegevens"]) for key, s in data["secties"].items()}
    assert "P77777" in sections["verzuim"] and "Epipen" in sections["verzuim"]
    assert "ziekmeldingen" in sections["verzuim"]
    assert "halve dagen" in sections["reintegratie"]
    assert "Uitnodiging gesprek" in sections["reintegratie"]
    # DG-6, AV-3: the doelgroep part is special — for the operator only whether it exists and
    # who delivers it (tests/privacy/test_request_identity.py); signed HR assembles it.
    assert BSN not in sections["doelgroep"]
    assert data["secties"]["doelgroep"]["gegevens"]["aanwezig"] == "ja"
    assert "pieter@example.test" in sections["accounts"]  # the login: a related pseudonym
    assert "password" not in sections["accounts"] and "pbkdf2" not in sections["accounts"]
    assert "Werkgever A BV" in sections["privacy"]  # the data flow's recipient
    log = data["secties"]["privacy"]["gegevens"]["inzagelog"]
    assert log and all(set(row) >= {"tijdstip", "wie (rol)", "gebeurtenis"} for row in log)
    assert any(row["wie (rol)"] == Role.HR.label for row in log)
    # The whole export is plain JSON.
    json.loads(json.dumps(data))


def test_md2_av3_export_by_the_beheerder_holds_no_medical_content(make_user, person):
    """MD-2: the beheerder answers the request but never receives the medical part; the doctor
    delivers it directly."""
    operator = make_user(Role.BEHEERDER)
    data = export.assemble(person.pseudonym, by=operator)
    assert MEDICAL_MARKER not in _dump(data)
    assert data["secties"]["medisch"]["gegevens"] == {
        "toelichting": "Het medische deel levert de bedrijfsarts rechtstreeks aan u."
    }
    for role in (Role.HR, Role.WERKGEVER, Role.CASEMANAGER):
        assert MEDICAL_MARKER not in _dump(export.assemble(person.pseudonym, by=make_user(role)))


def test_md2_av3_the_assigned_doctor_assembles_the_medical_part(
    make_user, person, doctor, arbodienst, other_employer
):
    data = export.assemble(person.pseudonym, by=doctor)
    assert MEDICAL_MARKER in _dump(data["secties"]["medisch"]["gegevens"])
    assert AuditEvent.objects.filter(
        action="export", object_type="medisch.dossier", subject=person.pseudonym
    ).exists()
    # A doctor assigned to another employer only gets the pointer.
    from accounts.models import Assignment

    stranger = make_user(Role.BEDRIJFSARTS, organisation=arbodienst)
    Assignment.objects.filter(user=stranger).delete()
    Assignment.objects.create(user=stranger, organisation=other_employer)
    assert MEDICAL_MARKER not in _dump(export.assemble(person.pseudonym, by=stranger))


def _uncovered(covered) -> list[str]:
    listed = {cat.model for cat in registry.categories()} | {
        m for cat in registry.categories() for m in cat.members
    }
    return sorted(m._meta.label for m in listed if m not in covered)


def test_av3_every_model_in_the_retention_registry_is_covered_by_an_export_contributor():
    """AV-3: a model holding personal data (a retention root or member) that no export
    contributor covers fails here — register it next to the model (`<app>/export.py`)."""
    assert _uncovered(export.covered_models()) == []
    # The check bites: without the re-integration contributor its models are missing.
    without = {m for c in export.contributors() if c.key != "reintegratie" for m in c.covers}
    assert "reintegratie.PlanVanAanpak" in _uncovered(without)


def test_av3_a_person_is_found_by_email_or_personnel_number_once(person):
    for text in ("P77777", "pieter@example.test", "PIETER.PRIVE@example.test"):
        people = export.find_people(text)
        assert [p.subject for p in people] == [person.pseudonym], text
    assert export.pseudonyms_of(person.pseudonym) == {person.pseudonym, person.user.pseudonym}
    assert export.find_people("niemand@example.test") == []


# --- pages ----------------------------------------------------------------------------------


def test_av3_pages_for_the_beheerder_only(verified_client, make_user, person):
    operator = verified_client(make_user(Role.BEHEERDER))
    received = timezone.localdate() - timedelta(days=2)
    response = operator.post(
        "/beheer/verzoeken/nieuw/",
        {
            "kind": "rectificatie",
            "identifier": "pieter@example.test",
            "received_on": received.isoformat(),
            "description": "Adres klopt niet.",
        },
    )
    assert response.status_code == 302, response.content.decode()
    verzoek = Verzoek.objects.get()
    assert verzoek.subject == person.pseudonym and verzoek.subject_name == "Pieter Patiënt"
    page = operator.get("/beheer/verzoeken/").content.decode()
    assert "Pieter Patiënt" in page and requests.due_date(verzoek).strftime("%d-%m-%Y") in page
    detail = operator.get(f"/beheer/verzoeken/{verzoek.pk}/").content.decode()
    assert "Werkgever A BV" in detail  # the known recipient, prefilled from the DataFlow register
    response = operator.post(
        f"/beheer/verzoeken/{verzoek.pk}/",
        {"action": "notify", "notify-recipients": ["werkgever|Werkgever A BV"]},
    )
    assert response.status_code == 302
    assert VerzoekOntvanger.objects.filter(verzoek=verzoek, recipient="werkgever").exists()
    # AV-3: nothing is disclosed before the requester's identity is recorded.
    assert operator.get(f"/beheer/verzoeken/{verzoek.pk}/export.json").status_code == 403
    response = operator.post(
        f"/beheer/verzoeken/{verzoek.pk}/",
        {"action": "identity", "identity-method": "in_persoon"},
    )
    assert response.status_code == 302
    response = operator.post(
        f"/beheer/verzoeken/{verzoek.pk}/",
        {"action": "extend", "extend-notice_sent_on": "2000-01-01"},
    )
    assert response.status_code == 200 and "vóór de ontvangst" in response.content.decode()
    response = operator.post(
        f"/beheer/verzoeken/{verzoek.pk}/",
        {"action": "complete", "complete-completed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    verzoek.refresh_from_db()
    assert verzoek.status == VerzoekStatus.AFGEHANDELD

    response = operator.get(f"/beheer/verzoeken/{verzoek.pk}/export.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert "P77777" in _dump(data) and MEDICAL_MARKER not in _dump(data)
    assert AuditEvent.objects.filter(
        action="export", object_type="privacy.verzoek", subject=person.pseudonym
    ).exists()
    html = operator.get(f"/beheer/verzoeken/{verzoek.pk}/export/")
    assert html.status_code == 200 and "no-store" in html["Cache-Control"]
    assert "P77777" in html.content.decode() and MEDICAL_MARKER not in html.content.decode()

    urls = [
        "/beheer/verzoeken/",
        "/beheer/verzoeken/nieuw/",
        f"/beheer/verzoeken/{verzoek.pk}/",
        f"/beheer/verzoeken/{verzoek.pk}/export.json",
        f"/beheer/verzoeken/{verzoek.pk}/export/",
    ]
    for role in (
        Role.WERKGEVER,
        Role.HR,
        Role.WERKGEVER_BEHEERDER,
        Role.BEDRIJFSARTS,
        Role.CASEMANAGER,
        Role.CONSULTANT,
        Role.WERKNEMER,
    ):
        client = verified_client(make_user(role))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 403, (role, url)
            assert "P77777" not in response.content.decode()
        assert (
            client.post(f"/beheer/verzoeken/{verzoek.pk}/", {"action": "complete"}).status_code
            == 403
        )


def test_av3_dashboard_panel_lists_requests_due_within_a_week(verified_client, make_user):
    today = timezone.localdate()
    _verzoek(today - timedelta(days=40), subject_name="Te Laat")
    _verzoek(today - timedelta(days=26), subject_name="Bijna Zover")
    _verzoek(today - timedelta(days=2), subject_name="Net Binnen")
    page = verified_client(make_user(Role.BEHEERDER)).get("/").content.decode()
    assert "Te Laat" in page and "TERMIJN VERLOPEN" in page
    assert "Bijna Zover" in page and "Net Binnen" not in page


def test_av3_celery_signals_each_request_once(make_user):
    make_user(Role.BEHEERDER)
    today = timezone.localdate()
    soon = _verzoek(today - timedelta(days=26))
    _verzoek(today - timedelta(days=2))  # weeks left: no signal
    _verzoek(today - timedelta(days=40), status=VerzoekStatus.AFGEHANDELD, completed_on=today)
    assert signal_request_deadlines() == 1
    assert signal_request_deadlines() == 0
    assert len(mail.outbox) == 1 and f"nr. {soon.pk}" in mail.outbox[0].body
    assert "Test Persoon" not in mail.outbox[0].body  # no names in e-mail
