"""AV-3: the requester's identity is verified and recorded before anything is disclosed, and the
special parts of the export (doelgroep/BSN) are assembled only by someone allowed to see them and
go to the person, never to the operator who handles the request (DG-6, DG-2)."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from doelgroep.actions.verklaring import sign_statement
from doelgroep.models import Registercheck
from doelgroep.synthetic import synthetic_bsns
from privacy import export
from privacy.models import AuditEvent, Verzoek, VerzoekKind
from tests.verzuim.factories import WerknemerFactory

pytestmark = pytest.mark.django_db

BSN = next(synthetic_bsns())
MASKED = f"••••••{BSN[-3:]}"
REGISTER_LABEL = "opgenomen in het doelgroepregister"


@pytest.fixture
def person(make_user, employer):
    """An employee of `employer` in the doelgroepregister, with a synthetic BSN."""
    werknemer = WerknemerFactory(
        organisation=employer,
        user=make_user(Role.WERKNEMER, email="dora@example.test", full_name="Dora Doelgroep"),
        first_name="Dora",
        last_name="Doelgroep",
        personnel_number="D55555",
    )
    Registercheck.objects.create(
        organisation=employer,
        werknemer=werknemer,
        in_register=True,
        checked_on=timezone.localdate(),
        checked_via="bsn",
        bsn=BSN,
    )
    return werknemer


@pytest.fixture
def operator(make_user):
    return make_user(Role.BEHEERDER)


@pytest.fixture
def verzoek(person, operator):
    return Verzoek.objects.create(
        kind=VerzoekKind.INZAGE,
        subject=person.pseudonym,
        subject_name="Dora Doelgroep",
        received_on=timezone.localdate() - timedelta(days=2),
        registered_by=operator,
    )


def _record_identity(client, verzoek, **data):
    return client.post(
        f"/beheer/verzoeken/{verzoek.pk}/",
        {"action": "identity", **{f"identity-{k}": v for k, v in data.items()}},
    )


def _exports(object_type="privacy.verzoek"):
    return AuditEvent.objects.filter(action="export", object_type=object_type)


def _assert_no_doelgroep_content(text):
    assert BSN not in text
    assert MASKED not in text
    assert REGISTER_LABEL not in text


def test_av3_operator_cannot_download_the_export_before_identity_is_recorded(
    verified_client, operator, verzoek
):
    """AV-3: the requester's identity is verified and recorded before anything is disclosed —
    until then the export (JSON and readable page) is refused with the reason, and nothing is
    assembled (no export in the audit log, no BSN read)."""
    client = verified_client(operator)
    detail = client.get(f"/beheer/verzoeken/{verzoek.pk}/").content.decode()
    assert "identiteit" in detail.lower() and "nog niet vastgesteld" in detail
    for url in (
        f"/beheer/verzoeken/{verzoek.pk}/export.json",
        f"/beheer/verzoeken/{verzoek.pk}/export/",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        page = response.content.decode()
        assert "identiteit" in page.lower() and "D55555" not in page
        _assert_no_doelgroep_content(page)
    assert not _exports().exists()
    assert not _exports("doelgroep.registercheck").exists()


def test_av3_recording_identity_stores_method_by_at_and_is_audited(
    verified_client, operator, verzoek
):
    """AV-3: how the identity was checked, by whom and when is recorded, and the act is
    audited like the neighbouring actions (SE-7)."""
    client = verified_client(operator)
    # "anders" needs an explanation: the form comes back with what was typed.
    response = _record_identity(client, verzoek, method="anders", explanation="")
    assert response.status_code == 200
    page = response.content.decode()
    assert "toelichting" in page.lower()
    assert re.search(r'value="anders"[^>]*checked', page)  # what was chosen comes back
    response = _record_identity(client, verzoek, explanation="Gebeld en teruggebeld.")
    assert response.status_code == 200 and "Gebeld en teruggebeld." in response.content.decode()
    verzoek.refresh_from_db()
    assert verzoek.identity_verified_at is None
    assert not AuditEvent.objects.filter(object_type="privacy.verzoek").exists()

    before = timezone.now()
    response = _record_identity(client, verzoek, method="in_persoon")
    assert response.status_code == 302
    verzoek.refresh_from_db()
    assert verzoek.identity_method == "in_persoon"
    assert verzoek.identity_verified_by == operator
    assert verzoek.identity_verified_at >= before
    event = AuditEvent.objects.get(object_type="privacy.verzoek", action="update")
    assert event.subject == verzoek.subject and event.actor == operator.pseudonym
    assert "identiteit" in event.detail
    detail = client.get(f"/beheer/verzoeken/{verzoek.pk}/").content.decode()
    assert "in persoon met identiteitsbewijs" in detail
    # Recorded once: a second attempt is refused and changes nothing.
    response = _record_identity(client, verzoek, method="anders", explanation="Via de telefoon.")
    assert response.status_code == 200 and "al vastgesteld" in response.content.decode()
    verzoek.refresh_from_db()
    assert verzoek.identity_method == "in_persoon"


def test_av3_dg6_operator_export_shows_only_that_a_doelgroep_part_exists_and_who_delivers(
    verified_client, operator, verzoek
):
    """AV-3, DG-6, DG-2: after identity is recorded the operator's export holds no BSN (full or
    masked) and no register status, but says that a doelgroep part exists and who delivers it."""
    client = verified_client(operator)
    assert _record_identity(client, verzoek, method="in_persoon").status_code == 302

    response = client.get(f"/beheer/verzoeken/{verzoek.pk}/export.json")
    assert response.status_code == 200
    raw = response.content.decode()
    _assert_no_doelgroep_content(raw)
    data = json.loads(raw)
    assert "D55555" in json.dumps(data, ensure_ascii=False)  # the rest is there
    part = data["secties"]["doelgroep"]["gegevens"]
    assert part["aanwezig"] == "ja"
    assert "HR-medewerker met geheimhoudingsverklaring" in part["levert"]
    assert _exports().exists()
    assert not _exports("doelgroep.registercheck").exists()  # the BSN was not even read

    html = client.get(f"/beheer/verzoeken/{verzoek.pk}/export/")
    assert html.status_code == 200
    page = html.content.decode()
    _assert_no_doelgroep_content(page)
    assert "HR-medewerker met geheimhoudingsverklaring" in page


def test_av3_dg6_no_doelgroep_data_is_said_too(operator, make_user, employer):
    """AV-3: the existence marker says "nee" for a person without doelgroep data."""
    werknemer = WerknemerFactory(organisation=employer)
    data = export.assemble(werknemer.pseudonym, by=operator)
    assert data["secties"]["doelgroep"]["gegevens"]["aanwezig"] == "nee"


@pytest.fixture
def signed_hr(make_user):
    hr = make_user(Role.HR)
    sign_statement(by=hr)
    return hr


def _part_url(verzoek):
    return f"/verzoeken/{verzoek.pk}/deel/doelgroep/"


def test_av3_dg6_signed_hr_delivers_the_doelgroep_part_audited(
    verified_client, signed_hr, verzoek, operator
):
    """AV-3, DG-6: an HR user of the person's organisation with a current signed
    confidentiality statement assembles the doelgroep part (full BSN, the person's own) for an
    identity-verified request; the download is audited (SE-7)."""
    client = verified_client(signed_hr)
    # Not before the identity is recorded.
    response = client.get(_part_url(verzoek))
    assert response.status_code == 403 and BSN not in response.content.decode()
    assert "identiteit" in response.content.decode().lower()

    _record_identity(verified_client(operator), verzoek, method="schriftelijk")

    page = client.get(_part_url(verzoek))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert BSN in page.content.decode()
    response = client.get(_part_url(verzoek) + "?formaat=json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert BSN in json.dumps(data) and list(data["secties"]) == ["doelgroep"]
    assert _exports().filter(actor=signed_hr.pseudonym, subject=verzoek.subject).exists()
    assert _exports("doelgroep.registercheck").filter(actor=signed_hr.pseudonym).exists()


def test_av3_dg6_doelgroep_part_refused_to_unsigned_hr_other_organisation_and_operator(
    verified_client, make_user, operator, verzoek, other_employer
):
    """DG-6: without a current signed statement, for another organisation, or as the operator:
    403 and no BSN."""
    _record_identity(verified_client(operator), verzoek, method="in_persoon")
    other_hr = make_user(Role.HR, organisation=other_employer)
    sign_statement(by=other_hr)
    for user in (make_user(Role.HR), other_hr, operator, make_user(Role.WERKNEMER)):
        response = verified_client(user).get(_part_url(verzoek) + "?formaat=json")
        assert response.status_code == 403, user.role
        assert BSN not in response.content.decode()
    assert not _exports("doelgroep.registercheck").exists()
