"""SE-7: the audit log — NEN 7513 fields, append-only in the database, hash-chained, and a
verifier that detects a changed or removed row. People appear only as pseudonyms. Rows are
appended unchained without a lock and chained afterwards by `chain_pending` (issue 20): the
trigger allows that one fill and nothing else, nothing committed is lost, and rows left
unchained are reported."""

import threading
import uuid
from datetime import timedelta

import pgtrigger
import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import RequestFactory
from django.utils import timezone

from accounts.roles import Role
from config.db_roles import owner_mode
from privacy import audit, tasks
from privacy.models import AuditAction, AuditEvent
from tests.factories import TOTPDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db


def _entries(n=5, *, chain=True):
    subject = uuid.uuid4()
    events = [
        audit.record(AuditAction.READ, "verzuim.ziekmelding", [i], subject=subject)
        for i in range(n)
    ]
    if chain:
        audit.chain_pending()
        events = list(AuditEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("pk"))
    return events


def test_record_has_the_nen7513_fields_and_no_content(make_user):
    """SE-7: event, time, whose data, user, on whose behalf, access point, objects."""
    actor = make_user(Role.CASEMANAGER)
    doctor = make_user(Role.BEDRIJFSARTS)
    subject = uuid.uuid4()
    request = RequestFactory().get("/x", REMOTE_ADDR="192.0.2.7")
    request.user = actor
    event = audit.record(
        AuditAction.READ,
        "medisch.consult",
        [41, 42],
        subject=subject,
        request=request,
        on_behalf_of=doctor.pseudonym,
        detail="dossier geopend",
    )
    event.refresh_from_db()
    assert event.action == "read" and event.occurred_at is not None
    assert event.subject == subject
    assert event.actor == actor.pseudonym and event.actor_role == Role.CASEMANAGER
    assert event.on_behalf_of == doctor.pseudonym
    assert event.ip_address == "192.0.2.7"
    assert event.object_type == "medisch.consult" and event.object_ids == ["41", "42"]
    # Pseudonyms, not foreign keys: nothing in the row names the person.
    row = {f.name: getattr(event, f.name) for f in AuditEvent._meta.fields}
    assert actor.email not in str(row) and actor.full_name not in str(row)
    assert not any(f.is_relation for f in AuditEvent._meta.fields)


def test_update_and_delete_are_refused_by_the_database():
    """SE-7: append-only — the trigger refuses UPDATE and DELETE, also through raw SQL."""
    event = _entries(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(detail="vervalst")
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM privacy_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, detail="").exists()


def test_application_role_cannot_change_the_log_even_with_the_trigger_lifted():
    """SE-7: besides the trigger, the application's database role has no UPDATE/DELETE on the
    log (config/db_roles.py): lifting the trigger from application code still fails."""
    event = _entries(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        with pgtrigger.ignore("privacy.AuditEvent:append_only"):
            AuditEvent.objects.filter(pk=event.pk).update(detail="vervalst")
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_verify_passes_on_an_intact_log(capsys):
    """SE-7: an untouched chain verifies."""
    _entries(5)
    call_command("verify_audit_log")
    assert "intact" in capsys.readouterr().out


def test_verify_detects_a_changed_row():
    """SE-7: tampering with a row (bypassing the trigger) breaks its hash."""
    events = _entries(5)
    with owner_mode(), pgtrigger.ignore("privacy.AuditEvent:append_only"):
        AuditEvent.objects.filter(pk=events[2].pk).update(object_type="iets.anders")
    problems = list(audit.verify())
    assert [p.seq for p in problems] == [events[2].seq]
    with pytest.raises(CommandError):
        call_command("verify_audit_log")


def test_verify_detects_a_removed_row():
    """SE-7: removing a row from the middle leaves a gap and a broken link."""
    events = _entries(5)
    with owner_mode(), pgtrigger.ignore("privacy.AuditEvent:append_only"):
        AuditEvent.objects.filter(pk=events[1].pk).delete()
    problems = list(audit.verify())
    assert problems and all(p.seq == events[2].seq for p in problems)
    assert any("ontbreken" in p.reason for p in problems)


def test_verify_detects_a_recomputed_forgery():
    """SE-7: changing a row and recomputing its own hash still breaks the next row's link."""
    events = _entries(4)
    target = AuditEvent.objects.get(pk=events[1].pk)
    target.detail = "vervalst"
    forged_hash = audit._digest(target.prev_hash, audit._canonical(target))
    with owner_mode(), pgtrigger.ignore("privacy.AuditEvent:append_only"):
        AuditEvent.objects.filter(pk=target.pk).update(detail="vervalst", hash=forged_hash)
    problems = list(audit.verify())
    assert [p.seq for p in problems] == [events[2].seq]


def _threads(target, n=4):
    errors = []

    def run():
        try:
            target()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_se7_writers_never_wait_for_the_chain_lock_and_one_linear_chain_results():
    """SE-7, issue 20: a request's audit insert does not wait while the chainer holds its lock —
    the row commits unchained and the next run chains it. Writers on several connections append
    side by side while chainers run; the chain ends gap-free and verifies. (One transactional
    test: each costs a flush.)"""
    written = []

    def write_one():
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '1s'")
        written.append(audit.record(AuditAction.READ, "verzuim.ziekmelding", [7]).pk)

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [audit._LOCK_KEY])
        assert _threads(write_one, n=1) == []
    event = AuditEvent.objects.get(pk=written[0])
    assert (event.seq, event.prev_hash, event.hash) == (None, None, None)
    assert audit.chain_pending() == 1
    event.refresh_from_db()
    assert event.seq == 1 and event.hash

    def write():
        for _ in range(10):
            audit.record(AuditAction.READ, "verzuim.ziekmelding", [1])
            audit.chain_pending()

    assert _threads(write) == []
    audit.chain_pending()
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 42))
    assert list(audit.verify()) == []


def test_se7_the_trigger_allows_only_the_one_time_fill_of_the_chain_fields():
    """SE-7: even in owner mode, with the trigger on, an unchained row's content cannot change
    while its chain fields are filled, and a chained row's chain fields cannot be refilled."""
    fresh = _entries(1, chain=False)[0]
    with owner_mode():
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=fresh.pk).update(
                seq=999, prev_hash="0" * 64, hash="1" * 64, detail="vervalst"
            )
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=fresh.pk).update(detail="vervalst")
    audit.chain_pending()
    chained = AuditEvent.objects.get(pk=fresh.pk)
    assert chained.hash and chained.detail == ""
    with owner_mode(), pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=fresh.pk).update(hash="2" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():  # the application role
        AuditEvent.objects.filter(pk=fresh.pk).update(hash="2" * 64)
    assert list(audit.verify()) == []


def test_se7_a_committed_row_is_never_lost_and_a_stale_unchained_row_is_reported():
    """SE-7: a row is in the table from its commit (the chainer may be down); verify without
    chaining reports rows left unchained too long ("niet geketend"); verify chains them."""
    events = _entries(2, chain=False)
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in events], hash__isnull=True).count() == 2
    assert list(audit.verify(chain=False)) == []  # fresh: the chainer's next run takes them
    later = timezone.now() + audit.UNCHAINED_AFTER + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        problems = list(audit.verify(chain=False))
        assert len(problems) == 1 and problems[0].seq is None
        assert "2 regel(s) niet geketend" in problems[0].reason
        with pytest.raises(CommandError):
            call_command("verify_audit_log", "--no-chain")
        assert list(audit.verify()) == []  # chained now


def test_se7_chain_pending_is_idempotent_and_runs_as_a_beat_task(settings):
    """SE-7: the beat task chains what is pending; a second run finds nothing."""
    events = _entries(3, chain=False)
    assert tasks.chain_audit_log.apply().get() >= 3
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in events], hash__isnull=True).exists()
    assert audit.chain_pending() == 0
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-chain-audit-log"]
    assert entry["task"] == "privacy.tasks.chain_audit_log"
    assert entry["schedule"].total_seconds() <= 10


def test_second_factor_reset_is_audited(make_user, verified_client):
    """SE-7 (issue 2): the operator's 2FA reset is written to the log, with the operator as
    actor and the person as subject."""
    operator = make_user(Role.BEHEERDER)
    target = UserFactory(role=Role.HR)
    TOTPDeviceFactory(user=target)
    response = verified_client(operator).post(f"/beheer/gebruikers/{target.pk}/2fa-herstellen/")
    assert response.status_code == 302
    assert not target.totpdevice_set.exists()
    event = AuditEvent.objects.get(subject=target.pseudonym, action="update")
    assert event.actor == operator.pseudonym and event.actor_role == Role.BEHEERDER
