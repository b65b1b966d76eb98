"""Issue 18, item 7: the employee's access log, "wie heeft mijn medische gegevens ingezien"
(AV-6, read from the SE-7 audit log): grouped per person per day with a count, paginated, the
employee's own views left out, every actor named with role and organisation (a removed account
and an automatic job said as such, never "onbekend ()"), in plain Dutch without doubled words."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone
from django.utils.html import escape

from accounts import deletion
from accounts.roles import Role
from medisch.actions import dossier as actions
from privacy import audit
from privacy.access_log import AUTOMATIC
from privacy.models import AuditAction

pytestmark = pytest.mark.django_db(databases=["default", "medisch"])

MIJN = "/verzuim/mijn/"
INZAGE = "/verzuim/mijn/inzage/"


@pytest.fixture
def dossier(doctor, patient):
    return actions.open_dossier(by=doctor, werknemer=patient)


def _read(user, dossier, detail="medisch dossier ingezien", on_behalf_of=None):
    audit.record(
        AuditAction.READ,
        "medisch.dossier",
        [dossier.pk],
        subject=dossier.subject,
        detail=detail,
        actor=user,
        on_behalf_of=on_behalf_of,
    )


def _rows(response):
    assert response.status_code == 200
    return list(response.context["access_log"])


def test_av6_reads_are_grouped_per_person_per_day_with_a_count(
    doctor, patient, dossier, verified_client
):
    """AV-6: four page loads of the doctor today are one row, "4 keer"; the doctor is named
    with role and organisation; and the dossier's opening shows in the same row."""
    client = verified_client(doctor)
    for _ in range(4):
        assert client.get(f"/medisch/dossiers/{dossier.pk}/").status_code == 200
    rows = _rows(verified_client(patient.user).get(INZAGE))
    assert len(rows) == 1
    row = rows[0]
    assert row.day == timezone.localdate()
    assert row.count == 5  # opened once, read four times
    assert row.who == f"{doctor.full_name}, bedrijfsarts bij {doctor.organisation.name}"
    assert "medisch dossier ingezien (4 keer)" in row.what
    assert "medisch dossier geopend" in row.what


def test_av6_each_day_is_its_own_row(doctor, patient, dossier, verified_client):
    yesterday = timezone.now() - timedelta(days=1)
    with time_machine.travel(yesterday, tick=False):
        _read(doctor, dossier)
    _read(doctor, dossier)
    rows = _rows(verified_client(patient.user).get(INZAGE))
    assert [r.day for r in rows] == [timezone.localdate(), timezone.localdate() - timedelta(days=1)]


def test_av6_the_employees_own_views_are_left_out(doctor, patient, dossier, verified_client):
    """The employee knows they looked: their own reads (advice, the medical part of the verslag)
    are not in their log; another person's read is."""
    for _ in range(3):
        _read(
            patient.user, dossier, detail="medisch deel re-integratieverslag ingezien (werknemer)"
        )
    client = verified_client(patient.user)
    rows = _rows(client.get(INZAGE))
    assert all(patient.user.full_name not in r.who for r in rows)
    assert [r.who for r in rows] == [
        f"{doctor.full_name}, bedrijfsarts bij {doctor.organisation.name}"
    ]  # only the doctor's opening
    assert "(werknemer)" not in client.get(MIJN).content.decode()


def test_av6_every_actor_is_named_never_onbekend(
    doctor, patient, dossier, make_user, verified_client
):
    """A removed account is said to be one, with the role it had; an access without a person is
    said to be automatic; a casemanager's read names the doctor on whose behalf (SE-7)."""
    gone = make_user(Role.CASEMANAGER, full_name="Weg Gebruiker")
    _read(gone, dossier)
    deletion.delete([gone])  # as the admin deletes it (no medical table touched)
    _read(None, dossier, detail="bewaartermijn berekend")
    delegate = make_user(
        Role.CASEMANAGER, full_name="Casper Casemanager", organisation=doctor.organisation
    )
    _read(delegate, dossier, on_behalf_of=doctor.pseudonym)
    client = verified_client(patient.user)
    rows = _rows(client.get(INZAGE))
    whos = {r.who for r in rows}
    assert "Een account dat niet meer bestaat (was casemanager van de bedrijfsarts)" in whos
    assert AUTOMATIC in whos
    on_behalf = next(r for r in rows if "Casper Casemanager" in r.who)
    assert on_behalf.who == (
        f"Casper Casemanager, casemanager van de bedrijfsarts bij {doctor.organisation.name}"
    )
    assert on_behalf.on_behalf_of.startswith(doctor.full_name)
    for path in (INZAGE, MIJN):
        html = client.get(path).content.decode()
        assert "onbekend" not in html.lower() and "()" not in html
        assert "namens " + escape(doctor.full_name) in html


def test_av6_plain_wording_without_doubled_phrases(doctor, patient, dossier, verified_client):
    """No "inzien: medisch dossier ingezien": the action is said once, in the description; an
    API read is said in words; no rule codes in the text (issue 18, item 8)."""
    _read(doctor, dossier)
    _read(doctor, dossier, detail="medisch dossier ingezien (API)")
    _read(doctor, dossier, detail="medisch deel van de inzage-export (AV-3)")
    html = verified_client(patient.user).get(INZAGE).content.decode()
    assert "medisch deel van de inzage-export" in html and "AV-3" not in html
    assert "ingezien: " not in html and "inzien:" not in html and "aangemaakt:" not in html
    assert "medisch dossier ingezien (via een koppeling)" in html
    assert "(API)" not in html


def test_av6_the_log_is_paginated_and_the_own_page_shows_the_latest(
    doctor, patient, dossier, make_user, verified_client
):
    for i in range(24):
        _read(make_user(Role.BEDRIJFSARTS, full_name=f"Arts {i:02d}"), dossier)
    client = verified_client(patient.user)
    first = client.get(INZAGE)
    assert len(_rows(first)) == 20
    assert first.context["access_log"].paginator.count == 25  # 24 doctors + the opening
    assert "Pagina 1 van 2" in first.content.decode()
    second = _rows(client.get(INZAGE + "?page=2"))
    assert len(second) == 5
    own = client.get(MIJN)
    assert len(list(own.context["access_log"])) == 5
    assert INZAGE in own.content.decode()


def test_av6_only_the_employee_opens_their_log(hr, doctor, verified_client):
    for user in (hr, doctor):
        assert verified_client(user).get(INZAGE).status_code == 403


def test_av6_nobody_else_looked(patient, verified_client):
    page = verified_client(patient.user).get(INZAGE)
    assert "Niemand anders heeft uw medische gegevens ingezien." in page.content.decode()
    assert date.today()  # the page renders without any entry
