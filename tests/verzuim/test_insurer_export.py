"""MD-6: the verzuimverzekeraar receives only name/address, wage data, first day, (partial)
recovery, (expected) duration, incapacity percentage, hours worked with start date, whether
compensation was received, whether wages are suspended, whether/when an intervention started,
whether a plan van aanpak exists, whether activities are on time, and timeliness — nothing
else. The export is audited."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
import time_machine

from privacy.models import AuditEvent
from tests.verzuim.conftest import ZM_DATA
from verzuim.actions import ziekmelding as ziekmelding_actions
from verzuim.insurer import COLUMNS, MD6_COLUMNS

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)

# MD-6, item by item (RULES.md), each answered by at least one column.
MD6_ITEMS = [
    "naam- en adresgegevens",
    "loongegevens",
    "eerste verzuimdag",
    "datum (gedeeltelijk) herstel",
    "(verwachte) duur",
    "arbeidsongeschiktheidspercentage of loonwaarde",
    "percentage uren eigen of passend werk",
    "startdatum opbouwschema",
    "vergoeding ontvangen (vangnet of regres), ja/nee",
    "loon opgeschort of stopgezet",
    "of een interventie is gestart",
    "wanneer een interventie is gestart",
    "of er een plan van aanpak is",
    "of de activiteiten (tijdig) worden uitgevoerd",
    "tijdigheid van de re-integratie-inspanningen",
]


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_columns_are_exactly_the_md6_items():
    """MD-6: every column answers one MD-6 item and every item is answered; nothing else."""
    assert sorted({item for _, item in MD6_COLUMNS}) == sorted(MD6_ITEMS)
    assert len(COLUMNS) == len(set(COLUMNS)) == 16


def test_csv_and_json_carry_exactly_those_columns_and_no_free_text(hr, werknemer, verified_client):
    """MD-6 + SE-4: the export has exactly the columns; the free-text notes do not travel; the
    export is audited."""
    zm = ziekmelding_actions.create_ziekmelding(
        by=hr,
        werknemer=werknemer,
        first_day=TODAY - timedelta(days=30),
        **{**ZM_DATA, "lopende_afspraken": "Sleutels bij receptie", "regres": True},
    )
    ziekmelding_actions.record_herstel(
        by=hr,
        ziekmelding=zm,
        kind="gedeeltelijk",
        date=TODAY - timedelta(days=5),
        absence_percentage=60,
    )
    client = verified_client(hr)
    response = client.get(f"/verzuim/meldingen/{zm.pk}/verzekeraar.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode()), delimiter=";"))
    assert list(rows[0]) == COLUMNS and len(rows) == 1
    row = rows[0]
    assert row["naam"] == werknemer.full_name
    assert row["vergoeding_ontvangen"] == "ja"
    assert row["percentage_uren_werk"] == "40"
    assert "Sleutels" not in response.content.decode()
    data = json.loads(client.get(f"/verzuim/meldingen/{zm.pk}/verzekeraar.json").content)
    assert list(data) == COLUMNS
    assert (
        AuditEvent.objects.filter(
            action="export",
            subject=werknemer.pseudonym,
            detail__contains="export verzuimverzekeraar",
        ).count()
        == 2
    )
    assert client.get(f"/verzuim/meldingen/{zm.pk}/verzekeraar.xml").status_code == 404


def test_only_the_employer_exports(hr, werknemer, make_user, verified_client):
    """MD-6: a doctor or the operator does not produce the insurer export."""
    zm = ziekmelding_actions.create_ziekmelding(
        by=hr, werknemer=werknemer, first_day=TODAY, **ZM_DATA
    )
    for role in ("bedrijfsarts", "beheerder", "werkgever-beheerder"):
        response = verified_client(make_user(role)).get(
            f"/verzuim/meldingen/{zm.pk}/verzekeraar.csv"
        )
        assert response.status_code in (403, 404), role
