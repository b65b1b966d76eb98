"""Notifications (issue 18, item 3; accounts.notifications): each event reaches exactly the
people it concerns, in the app and by e-mail; the e-mail carries no name of the employee and no
medical word, only a neutral label and an absolute link (DESIGN.md, MD-2); each user switches
e-mails off per kind, except the legal deadline signals (RI-1); one e-mail per event and
recipient however often the event or its task runs; and the path on_commit → Celery → mail runs
on a real worker.

The advice released by the doctor is tested in tests/medisch/test_advice_notification.py (only
tests there may play the doctor, MD-2's import contract)."""

import time
from datetime import date, timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse
from django.utils import timezone

from accounts import notifications
from accounts.models import EmailPreference, Notification, NotificationKind
from accounts.roles import Role
from accounts.tasks import send_notification_mail
from config.celery import app
from privacy.medical_guard import find_medical_terms
from reintegratie.actions import dossier as dossier_actions
from reintegratie.actions import plan as plan_actions
from reintegratie.actions import rapportages as rapportage_actions
from reintegratie.actions import trajecten as traject_actions
from tests.factories import OrganisationFactory
from tests.verzuim.conftest import ZM_DATA
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding
from verzuim.tasks import send_deadline_signals

SITE = "https://verzuim.test.example"
EMPLOYEE_FIRST, EMPLOYEE_LAST = "Jantine", "Zwaluwstaart"


# --- Fixtures -------------------------------------------------------------------------------------
@pytest.fixture
def eager(settings):
    """The task runs at once, in this process (the real worker is tested below)."""
    settings.SITE_URL = SITE
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR)


@pytest.fixture
def people(make_user, employer, other_employer):
    """Everyone who could be told, and who must not be unless the event is theirs."""
    other_doctor = make_user(Role.BEDRIJFSARTS, device=False)
    other_doctor.assignments.update(organisation=other_employer)  # serves only employer B
    return {
        "doctor": make_user(Role.BEDRIJFSARTS, device=False),
        "other_doctor": other_doctor,
        "casemanager": make_user(Role.CASEMANAGER, device=False),
        "werkgever": make_user(Role.WERKGEVER, device=False),
        "other_hr": make_user(Role.HR, organisation=other_employer, device=False),
        "beheerder": make_user(Role.BEHEERDER, device=False),
        "consultant": make_user(Role.CONSULTANT, device=False),
    }


@pytest.fixture
def employee_user(make_user):
    return make_user(Role.WERKNEMER)


@pytest.fixture
def werknemer(employer, employee_user):
    return WerknemerFactory(
        organisation=employer,
        user=employee_user,
        first_name=EMPLOYEE_FIRST,
        last_name=EMPLOYEE_LAST,
        personnel_number="P-NOTIFY-1",
    )


def _file(hr, werknemer, days_ago=20):
    return create_ziekmelding(
        by=hr,
        werknemer=werknemer,
        first_day=timezone.localdate() - timedelta(days=days_ago),
        **ZM_DATA,
    )


def _recipients(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def assert_mail_is_neutral(mail, werknemer):
    """DESIGN.md, MD-2: no name, no personnel number, no medical word; an absolute link."""
    text = f"{mail.subject}\n{mail.body}"
    for word in (werknemer.first_name, werknemer.last_name, werknemer.personnel_number):
        assert word not in text
    assert find_medical_terms(text) == []
    assert f"{SITE}/" in mail.body


@pytest.fixture
def trajectory(hr, werknemer, make_user, employee_user):
    case = _file(hr, werknemer, days_ago=60)
    provider = OrganisationFactory(kind="reintegratiebedrijf", name="Re-integratie Noord BV")
    consultant = make_user(Role.CONSULTANT, organisation=provider, device=False)
    trajectory = traject_actions.commission_trajectory(
        by=hr,
        ziekmelding=case,
        provider=provider,
        consultant=consultant,
        category="fysiek",
        data_items=["personalia", "verzuim"],
        start_on=timezone.localdate(),
    )
    traject_actions.acknowledge_trajectory(by=employee_user, trajectory=trajectory)
    trajectory.refresh_from_db()
    trajectory.consultant = consultant
    return trajectory


def _report(trajectory):
    return rapportage_actions.file_report(
        by=trajectory.consultant,
        trajectory=trajectory,
        period_end=timezone.localdate(),
        attendance="aanwezig",
        cooperating=True,
        cooperation_explanation="",
        progress="Werkt drie ochtenden per week op de eigen afdeling.",
        next_steps="Uitbreiden naar vier dagen.",
    )


def _plan(hr, case, version=0, goals="Binnen acht weken weer het eigen werk doen."):
    return plan_actions.save_plan(
        by=hr,
        ziekmelding=case,
        version=version,
        drawn_up_on=date.today() - timedelta(days=5),
        casemanager="Carla Casemanager",
        spoor="eigen_werk",
        goals=goals,
        advies_ref=None,
    )


# --- Each event reaches exactly its people ------------------------------------------------------
@pytest.mark.django_db
def test_new_ziekmelding_notifies_only_the_doctors_serving_the_employer(
    eager, hr, people, werknemer, mailoutbox, django_capture_on_commit_callbacks
):
    """MD-2, SE-9: the doctor assigned to the employer is told, in the app and by e-mail; the
    doctor of another employer, the casemanager (who works only by delegation, MD-4), HR,
    the werkgever and everyone else are not. The e-mail names no one."""
    with django_capture_on_commit_callbacks(execute=True):
        zm = _file(hr, werknemer)
    doctor = people["doctor"]
    assert _recipients(NotificationKind.ZIEKMELDING) == {doctor.pk}
    assert Notification.objects.count() == 1
    row = Notification.objects.get()
    assert row.link == "/medisch/" and row.mail == Notification.Mail.SENT
    assert EMPLOYEE_LAST not in row.text and str(zm.first_day.year) in row.text
    assert [m.to for m in mailoutbox] == [[doctor.email]]
    assert_mail_is_neutral(mailoutbox[0], werknemer)


@pytest.mark.django_db
def test_nothing_is_sent_for_an_event_that_did_not_commit(
    eager, hr, people, werknemer, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    """The message is written in the action's transaction and the e-mail queued with
    transaction.on_commit: an action that fails after notifying leaves no message, queues no
    task and sends nothing."""
    real_notify = notifications.notify

    def notify_then_fail(*args, **kwargs):
        real_notify(*args, **kwargs)
        raise RuntimeError("failure after notify")

    monkeypatch.setattr(notifications, "notify", notify_then_fail)
    with (
        pytest.raises(RuntimeError),
        django_capture_on_commit_callbacks(execute=True) as queued,
    ):
        _file(hr, werknemer)
    assert queued == [] and mailoutbox == []
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_progress_report_to_read_and_released_reach_employee_then_hr(
    eager,
    hr,
    people,
    werknemer,
    employee_user,
    trajectory,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """RI-5: a report put before the employee tells the employee (not HR, not the consultant);
    released after reading, it tells HR of the employer — not HR of another employer, the
    werkgever, the doctor or the employee again."""
    report = _report(trajectory)
    assert not _recipients(NotificationKind.LEZEN)  # a concept tells no one
    with django_capture_on_commit_callbacks(execute=True):
        rapportage_actions.share_report(by=trajectory.consultant, report=report)
    assert _recipients(NotificationKind.LEZEN) == {employee_user.pk}
    assert [m.to for m in mailoutbox] == [[employee_user.email]]
    rapportage_actions.mark_report_seen(by=employee_user, report=report)
    report.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        rapportage_actions.release_report(by=trajectory.consultant, report=report)
        rapportage_actions.release_report(by=trajectory.consultant, report=report)  # no-op
    assert _recipients(NotificationKind.RAPPORTAGE) == {hr.pk}
    row = Notification.objects.get(kind=NotificationKind.RAPPORTAGE)
    assert row.link == reverse("reintegratie:trajectory", args=[trajectory.pk])
    assert [m.to for m in mailoutbox] == [[employee_user.email], [hr.email]]
    for mail in mailoutbox:
        assert_mail_is_neutral(mail, werknemer)


@pytest.mark.django_db
def test_every_plan_version_and_the_verslag_copy_tell_the_employee_only(
    eager, hr, people, werknemer, employee_user, mailoutbox, django_capture_on_commit_callbacks
):
    """RI-3, RI-4: version 1 and 2 of the plan van aanpak, and the copy of the
    re-integratieverslag, are each one message to the employee — nobody else."""
    case = _file(hr, werknemer, days_ago=60)
    with django_capture_on_commit_callbacks(execute=True):
        plan = _plan(hr, case)
        _plan(hr, case, version=plan.version, goals="Eerst halve dagen, dan volledig.")
    assert set(
        Notification.objects.exclude(kind=NotificationKind.ZIEKMELDING).values_list(
            "recipient_id", "key"
        )
    ) == {(employee_user.pk, f"plan:{plan.pk}:1"), (employee_user.pk, f"plan:{plan.pk}:2")}
    verslag = dossier_actions.generate_verslag(by=hr, ziekmelding=case)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_actions.give_verslag(by=hr, verslag=verslag)
    assert _recipients(NotificationKind.LEZEN) == {employee_user.pk}
    employee_mails = [m for m in mailoutbox if m.to == [employee_user.email]]
    assert len(employee_mails) == 3
    assert {tuple(m.to) for m in mailoutbox} <= {(employee_user.email,), (people["doctor"].email,)}
    for mail in mailoutbox:
        assert_mail_is_neutral(mail, werknemer)


# --- Once ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_repeated_event_and_a_retried_task_send_one_email(eager, hr, people, mailoutbox):
    """Idempotent: notify twice with one key makes one row; the task run again (a redelivery)
    and a task that failed to send and is retried each leave exactly one e-mail."""
    doctor = people["doctor"]
    args = {
        "kind": NotificationKind.ZIEKMELDING,
        "key": "ziekmelding:999",
        "text": "t",
        "link": "/",
    }
    first = notifications.notify([doctor.pk], **args)
    assert notifications.notify([doctor.pk], **args) == []
    assert Notification.objects.count() == 1
    (pk,) = first

    import accounts.tasks

    def broken(*a, **k):
        raise ConnectionError("SMTP weg")

    original = accounts.tasks.send_mail
    accounts.tasks.send_mail = broken
    try:
        with pytest.raises(ConnectionError):
            send_notification_mail(pk)
    finally:
        accounts.tasks.send_mail = original
    assert Notification.objects.get(pk=pk).mail == Notification.Mail.PENDING
    assert send_notification_mail(pk) == "sent"
    assert send_notification_mail(pk) == "done"
    assert send_notification_mail.delay(pk).get() == "done"
    assert send_notification_mail(pk + 1000) == "gone"
    assert len(mailoutbox) == 1


# --- Choice -------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_email_switched_off_is_not_sent_but_the_message_stays(
    eager,
    hr,
    werknemer,
    employee_user,
    verified_client,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """The employee turns off e-mails about plan versions on /berichten/voorkeuren/ and keeps
    those about reports to read: a new plan version appears in the app without e-mail."""
    client = verified_client(employee_user)
    page = client.get("/berichten/voorkeuren/").content.decode()
    assert 'value="plan" checked' in page and 'value="lezen" checked' in page
    response = client.post("/berichten/voorkeuren/", {"email": ["lezen"]})
    assert response.status_code == 302
    assert not notifications.wants_email(employee_user, NotificationKind.PLAN)
    assert notifications.wants_email(employee_user, NotificationKind.LEZEN)
    case = _file(hr, werknemer, days_ago=60)
    with django_capture_on_commit_callbacks(execute=True):
        _plan(hr, case)
        verslag = dossier_actions.generate_verslag(by=hr, ziekmelding=case)
        dossier_actions.give_verslag(by=hr, verslag=verslag)
    plan_row = Notification.objects.get(kind=NotificationKind.PLAN)
    assert plan_row.mail == Notification.Mail.OFF and plan_row.read_at is None
    assert [m.to for m in mailoutbox] == [[employee_user.email]]  # the verslag's only


@pytest.mark.django_db
def test_ri1_deadline_emails_cannot_be_switched_off_and_name_no_one(
    eager, hr, werknemer, verified_client, mailoutbox
):
    """RI-1: HR switches every e-mail off — the deadline signal still goes (its box is shown
    checked and disabled, and posting it changes nothing); it names neither the employee nor
    their personnel number and links to the case."""
    client = verified_client(hr)
    page = client.get("/berichten/voorkeuren/").content.decode()
    assert 'value="termijn" checked disabled' in page
    client.post("/berichten/voorkeuren/", {})
    assert not notifications.wants_email(hr, NotificationKind.ADVIES)
    assert not notifications.wants_email(hr, NotificationKind.RAPPORTAGE)
    assert notifications.wants_email(hr, NotificationKind.TERMIJN)
    assert not EmailPreference.objects.filter(kind=NotificationKind.TERMIJN).exists()
    zm = _file(hr, werknemer, days_ago=35)  # probleemanalyse due within 14 days
    assert send_deadline_signals()["sent"] == 1
    (mail,) = mailoutbox
    assert mail.to == [hr.email] and "probleemanalyse" in mail.body
    assert f"{SITE}/verzuim/meldingen/{zm.pk}/" in mail.body
    assert_mail_is_neutral(mail, werknemer)


@pytest.mark.django_db
def test_roles_without_notifications_get_an_explanation(make_user, verified_client):
    """Mijn account links to the choices; a role that receives none is told so."""
    client = verified_client(make_user(Role.BEHEERDER))
    assert "/berichten/voorkeuren/" in client.get("/account/").content.decode()
    assert "geen e-mails" in client.get("/berichten/voorkeuren/").content.decode()


# --- The in-app list ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_inbox_shows_own_messages_paginated_with_unread_count_and_marks_read(
    make_user, verified_client
):
    """SE-9: a user sees and marks only their own messages; 30 messages run over two pages; the
    menu counts the unread ones; "gelezen" on someone else's message changes nothing."""
    me, other = make_user(Role.HR), make_user(Role.HR)
    for n in range(30):
        notifications.notify(
            [me.pk], kind=NotificationKind.ADVIES, key=f"k{n}", text=f"Bericht {n:02d}", link="/"
        )
    (foreign,) = notifications.notify(
        [other.pk], kind=NotificationKind.ADVIES, key="x", text="Niet voor mij", link="/"
    )
    client = verified_client(me)
    first = client.get("/berichten/").content.decode()
    assert "Berichten (30" in first and "Bericht 29" in first and "Niet voor mij" not in first
    assert "Bericht 00" not in first and "Pagina 1 van 2" in first
    assert "Bericht 00" in client.get("/berichten/?page=2").content.decode()

    mine = Notification.objects.filter(recipient=me).latest("pk")
    client.post("/berichten/gelezen/", {"id": mine.pk})
    client.post("/berichten/gelezen/", {"id": foreign})
    assert Notification.objects.get(pk=foreign).read_at is None
    assert notifications.unread_count(me) == 29
    assert "Berichten (29" in client.get("/").content.decode()
    response = client.post("/berichten/gelezen/", {})
    assert response.status_code == 302 and notifications.unread_count(me) == 0
    assert "Berichten (" not in client.get("/berichten/").content.decode()
    assert notifications.unread_count(other) == 1


# --- Through a real worker ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def celery_worker():
    app.loader.import_module("celery.contrib.testing.tasks")
    with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=10) as worker:
        yield worker


@pytest.mark.django_db(transaction=True)
def test_a_committed_event_is_mailed_by_a_real_worker(
    celery_worker, make_user, employer, mailoutbox, settings
):
    """The production path: the action commits, on_commit queues the task on the broker
    (Redis in CI), a Celery worker sends the e-mail and marks the row sent — once."""
    settings.SITE_URL = SITE
    hr = make_user(Role.HR, device=False)
    doctor = make_user(Role.BEDRIJFSARTS, device=False)
    werknemer = WerknemerFactory(organisation=employer, last_name=EMPLOYEE_LAST)
    _file(hr, werknemer)
    row = Notification.objects.get(recipient=doctor)
    deadline = time.monotonic() + 30
    while row.mail == Notification.Mail.PENDING and time.monotonic() < deadline:
        time.sleep(0.2)
        row.refresh_from_db()
    assert row.mail == Notification.Mail.SENT
    assert [m.to for m in mailoutbox] == [[doctor.email]]
    assert_mail_is_neutral(mailoutbox[0], werknemer)
    # Queued again (a redelivery): nothing more is sent.
    assert send_notification_mail.delay(row.pk).get(timeout=30) == "done"
    assert len(mailoutbox) == 1
