"""AV-4: the data-breach register with its 72-hour clock and the signal before it runs out;
AV-5: the public privacy statement with every item, filled from the processing register."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from privacy.actions import datalek as breaches
from privacy.models import Datalek
from privacy.tasks import signal_breach_deadlines
from retention import registry

pytestmark = pytest.mark.django_db
T0 = timezone.datetime(2026, 11, 2, 9, 0, tzinfo=timezone.get_current_timezone())


def _breach(**fields):
    return Datalek.objects.create(
        title="USB-stick met verzuimoverzicht kwijt",
        description="Synthetisch voorbeeld.",
        discovered_at=T0,
        categories="verzuimgegevens",
        affected_count=12,
        **fields,
    )


def test_av4_the_72_hour_clock():
    breach = _breach()
    assert breaches.ap_deadline(breach) == T0 + timedelta(hours=72)
    assert breaches.time_left(breach, now=T0 + timedelta(hours=70)) == timedelta(hours=2)
    assert "nog 2 uur en 0 minuten" in breaches.countdown(breach, now=T0 + timedelta(hours=70))
    assert "3 uur te laat" in breaches.countdown(breach, now=T0 + timedelta(hours=75))
    breach.risk = "geen"
    assert breaches.time_left(breach, now=T0) is None  # assessed: nothing to notify
    breach.risk = "risico"
    breach.ap_notified_at = T0 + timedelta(hours=71, minutes=59)
    assert breaches.countdown(breach) == "gemeld aan de AP (op tijd)"
    breach.ap_notified_at = T0 + timedelta(hours=72, minutes=1)
    assert breaches.countdown(breach) == "gemeld aan de AP (te laat)"
    breach.risk = "hoog"
    assert breaches.needs_persons_informed(breach)


def test_av4_celery_signals_once_before_the_clock_runs_out(make_user):
    make_user(Role.BEHEERDER)
    breach = _breach()
    with time_machine.travel(T0 + timedelta(hours=47)):
        assert signal_breach_deadlines() == 0  # 25 hours left: not yet
    with time_machine.travel(T0 + timedelta(hours=49)):
        assert signal_breach_deadlines() == 1
        assert signal_breach_deadlines() == 0  # once
    assert len(mail.outbox) == 1 and breach.title in mail.outbox[0].body
    notified = _breach(ap_notified_at=T0 + timedelta(hours=10))
    with time_machine.travel(T0 + timedelta(hours=70)):
        assert signal_breach_deadlines() == 0
    assert notified.signal_sent_at is None


def test_av4_register_pages_for_the_operator_only(verified_client, make_user):
    operator = verified_client(make_user(Role.BEHEERDER))
    response = operator.post(
        "/beheer/datalekken/nieuw/",
        {
            "title": "Mail aan verkeerde ontvanger",
            "description": "Synthetisch.",
            "discovered_at": (timezone.localtime() - timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"),
            "categories": "naam, verzuimdata",
            "affected_count": "1",
            "risk": "risico",
        },
    )
    assert response.status_code == 302
    page = operator.get(response["Location"]).content.decode()
    assert "nog 6" in page and "uur" in page  # about 67 hours left, shown as a countdown
    for role in (Role.HR, Role.BEDRIJFSARTS, Role.WERKNEMER):
        assert verified_client(make_user(role)).get("/beheer/datalekken/").status_code == 403


def test_av5_privacy_statement_is_public_and_complete(client):
    response = client.get("/privacy/")
    assert response.status_code == 200
    page = response.content.decode()
    for item in (
        "Verwerkingsverantwoordelijke",
        "Functionaris gegevensbescherming",
        "Grondslag",
        "Gerechtvaardigd belang",
        "Ontvangers",
        "buiten de Europese Economische Ruimte",
        "Bewaartermijn",
        "Inzage",
        "Rectificatie",
        "Verwijdering",
        "Beperking",
        "Bezwaar",
        "Overdraagbaarheid",
        "Toestemming intrekken",
        "Autoriteit Persoonsgegevens",
        "verplicht",
        "geautomatiseerde",
    ):
        assert item.lower() in page.lower(), item
    for cat in registry.categories():
        assert cat.purpose in page
