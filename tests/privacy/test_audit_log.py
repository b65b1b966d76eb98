"""SE-7: the audit log — NEN 7513 fields, append-only in the database, hash-chained, and a
verifier that detects a changed or removed row. People appear only as pseudonyms."""

import threading
import uuid

import pgtrigger
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import RequestFactory

from accounts.roles import Role
from config.db_roles import owner_mode
from privacy import audit
from privacy.models import AuditAction, AuditEvent
from tests.factories import TOTPDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db


def _entries(n=5):
    subject = uuid.uuid4()
    return [
        audit.record(AuditAction.READ, "verzuim.ziekmelding", [i], subject=subject)
        for i in range(n)
    ]


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


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_linear_chain():
    """SE-7: writers from several connections serialise; the chain stays gap-free."""
    errors = []

    def write():
        try:
            for _ in range(10):
                audit.record(AuditAction.READ, "verzuim.ziekmelding", [1])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 41))
    assert list(audit.verify()) == []


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
