"""RI-1: the daily signal task e-mails HR about deadlines due soon or overdue, once and only
once, without health detail (SE-4); the dashboard lists what is due."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils.html import escape

from accounts.roles import Role
from tests.verzuim.conftest import ZM_DATA
from verzuim.actions import ziekmelding as ziekmelding_actions
from verzuim.models import DeadlineSignal
from verzuim.tasks import send_deadline_signals

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_signal_task_sends_once_and_only_once(hr, make_user, werknemer, mailoutbox):
    """RI-1: run it twice — the second run sends nothing."""
    second_hr = make_user(Role.HR)
    make_user(Role.WERKGEVER)  # not an HR recipient
    ziekmelding_actions.create_ziekmelding(
        by=hr, werknemer=werknemer, first_day=TODAY - timedelta(days=35), **ZM_DATA
    )  # probleemanalyse due in 7 days
    first = send_deadline_signals(TODAY.isoformat())
    assert first["sent"] == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([hr.email, second_hr.email])
    assert all("probleemanalyse" in m.body for m in mailoutbox)
    again = send_deadline_signals(TODAY.isoformat())
    assert again["sent"] == 0 and len(mailoutbox) == 2
    assert DeadlineSignal.objects.count() == 2


def test_signal_mail_carries_no_health_detail(hr, werknemer, mailoutbox):
    """SE-4: the e-mail names the deadline, not the case's content."""
    ziekmelding_actions.create_ziekmelding(
        by=hr,
        werknemer=werknemer,
        first_day=TODAY - timedelta(days=50),
        **{**ZM_DATA, "lopende_afspraken": "Offerte Jansen afronden"},
    )
    send_deadline_signals(TODAY.isoformat())
    assert mailoutbox
    for mail in mailoutbox:
        assert "Offerte" not in mail.body and "%" not in mail.body


def test_overdue_deadline_gets_its_own_signal_later(hr, werknemer, mailoutbox):
    """RI-1: 'due soon' and 'overdue' are separate signals, each sent once."""
    ziekmelding_actions.create_ziekmelding(
        by=hr, werknemer=werknemer, first_day=TODAY - timedelta(days=35), **ZM_DATA
    )
    send_deadline_signals(TODAY.isoformat())
    later = (TODAY + timedelta(days=10)).isoformat()
    send_deadline_signals(later)
    send_deadline_signals(later)
    states = sorted(
        DeadlineSignal.objects.filter(key="probleemanalyse").values_list("state", flat=True)
    )
    assert states == ["due_soon", "overdue"]


def test_dashboard_lists_due_and_overdue(hr, werknemer, verified_client):
    """RI-1: HR's dashboard shows what is due in the next 14 days."""
    ziekmelding_actions.create_ziekmelding(
        by=hr, werknemer=werknemer, first_day=TODAY - timedelta(days=35), **ZM_DATA
    )
    page = verified_client(hr).get("/").content.decode()
    assert escape(werknemer.full_name) in page and "week 6" in page


def test_se7_dashboard_deadline_panel_is_audited_per_case_shown(hr, werknemer, verified_client):
    """SE-7: the panel names whose cases are due, so each case shown is a read in the audit
    log, exactly as on the overview; a dashboard without cases writes nothing."""
    from privacy.models import AuditEvent

    client = verified_client(hr)
    client.get("/")
    assert not AuditEvent.objects.filter(detail="dashboard: termijnen").exists()
    zm = ziekmelding_actions.create_ziekmelding(
        by=hr, werknemer=werknemer, first_day=TODAY - timedelta(days=35), **ZM_DATA
    )
    client.get("/")
    rows = AuditEvent.objects.filter(detail="dashboard: termijnen")
    assert [(r.object_ids, r.subject) for r in rows] == [([str(zm.pk)], werknemer.pseudonym)]


def test_signal_task_is_on_the_daily_beat_schedule(settings):
    """RI-1: the signals run daily from Celery beat."""
    entry = settings.CELERY_BEAT_SCHEDULE["verzuim-deadline-signals"]
    assert entry["task"] == send_deadline_signals.name
    assert entry["schedule"].hour == {6} and entry["schedule"].minute == {0}
