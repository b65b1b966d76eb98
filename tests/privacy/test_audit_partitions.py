"""SE-7 (issue 20): the audit log partitioned by month — the append-only trigger on every
partition, no privilege for the application role on a partition itself, months made ahead by a
daily task, a month dropped whole by the purge only when every row in it is past the log's term
(at least 5 years, checked again by the database), sealed first, counted in the PurgeRun and
listed in the dry run, and the chain still verified month by month across a dropped month —
while a month removed any other way reads as rows missing."""

import uuid
from datetime import UTC, date, datetime

import pgtrigger
import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from config.db_roles import owner_mode
from privacy import audit, partitions, tasks
from privacy import retention as privacy_retention
from privacy.models import AuditAction, AuditEvent, AuditSeal
from retention import purge

pytestmark = pytest.mark.django_db


def _record_at(when: datetime, n: int = 1) -> list[AuditEvent]:
    subject = uuid.uuid4()
    with time_machine.travel(when, tick=False):
        return [
            audit.record(AuditAction.READ, "verzuim.ziekmelding", [i], subject=subject)
            for i in range(n)
        ]


def _partition_of(event) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM privacy_auditevent WHERE id = %s", [event.pk]
        )
        return cursor.fetchone()[0]


def _by_name(name):
    return next(p for p in partitions.partitions() if p.name == name)


def test_se7_rows_land_in_their_months_partition_which_carries_the_append_only_trigger(settings):
    tasks.prepare_audit_partitions.apply().get()  # as beat does daily (a month may have begun)
    event = audit.record(AuditAction.READ, "verzuim.ziekmelding", [1], subject=uuid.uuid4())
    this_month = timezone.now().astimezone(UTC).date().replace(day=1)
    assert _partition_of(event) == partitions.name_of(this_month)
    names = [p.name for p in partitions.partitions()]
    ahead = this_month
    for _ in range(settings.AUDIT_PARTITIONS_AHEAD):
        ahead = partitions.next_month(ahead)
        assert partitions.name_of(ahead) in names
    assert names[-1] == partitions.DEFAULT
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'privacy_auditevent'::regclass AND NOT EXISTS ("
            "  SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid"
            "  AND t.tgname = 'pgtrigger_append_only_0b894')"
        )
        assert cursor.fetchall() == []  # every partition has the trigger
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(detail="vervalst")
    with owner_mode(), pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:  # the owner, straight at the partition
            partition = _partition_of(event)
            cursor.execute(f'DELETE FROM "{partition}" WHERE id = %s', [event.pk])  # noqa: S608
    assert AuditEvent.objects.filter(pk=event.pk, detail="").exists()


@pytest.mark.parametrize(
    "statement",
    ['TRUNCATE "{p}"', 'DELETE FROM "{p}"', 'SELECT count(*) FROM "{p}"', 'DROP TABLE "{p}"'],
)
def test_se7_the_application_role_has_no_privilege_on_a_partition_itself(statement):
    """Through the parent only: the application role cannot TRUNCATE, DELETE, read or drop a
    month around the trigger (config/db_roles.py)."""
    event = audit.record(AuditAction.READ, "verzuim.ziekmelding", [1], subject=uuid.uuid4())
    with pytest.raises(DatabaseError, match="permission denied|must be owner"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement.format(p=_partition_of(event)))
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_se7_months_are_made_ahead_by_a_daily_task_idempotently(settings):
    tasks.prepare_audit_partitions.apply().get()  # the migration made them, up to a new month
    assert tasks.prepare_audit_partitions.apply().get() == 0
    assert partitions.ensure(date(2019, 1, 1)) > 12
    assert partitions.ensure(date(2019, 1, 1)) == 0
    names = [p.name for p in partitions.partitions()]
    assert "privacy_auditevent_y2019m01" in names and "privacy_auditevent_y2020m06" in names
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-audit-partitions"]
    assert entry["task"] == "privacy.tasks.prepare_audit_partitions"


def test_se7_a_row_outside_every_month_lands_in_the_default_partition_and_is_verified(capsys):
    (old,) = _record_at(datetime(2001, 5, 1, 12, tzinfo=UTC))
    audit.chain_pending()
    assert _partition_of(old) == partitions.DEFAULT
    reports = {r.partition.name: r for r in audit.verify_partitions()}
    assert reports[partitions.DEFAULT].rows == 1 and not reports[partitions.DEFAULT].problems
    call_command("verify_audit_log")
    assert f"{partitions.DEFAULT} (standaardpartitie): 1 regels" in capsys.readouterr().out


def test_se7_the_database_refuses_to_drop_a_month_younger_than_five_years():
    """The floor is in the database function itself: whatever the caller asks (keep_years=1),
    a month that ended less than 5 years ago by the database's clock stays."""
    partitions.ensure(date(2023, 1, 1))
    young = _by_name("privacy_auditevent_y2023m01")  # ended less than 5 years before 2026-12
    with pytest.raises(DatabaseError, match="jonger dan de bewaartermijn"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT privacy_audit_drop_partition(%s, 1)", [young.name])
    with pytest.raises(partitions.DropRefused):
        partitions.drop(young)
    assert young.name in [p.name for p in partitions.partitions()]
    assert not AuditSeal.objects.exists()  # the seal went with the refused transaction
    with pytest.raises(DatabaseError, match="standaardpartitie"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT privacy_audit_drop_partition(%s, 5)", [partitions.DEFAULT])


def _three_months():
    """Rows in March and April 2019 and now, chained in insertion order, with a March row
    chained after an April one (a late commit around a month's end)."""
    partitions.ensure(date(2019, 3, 1))
    march = datetime(2019, 3, 31, 23, 59, tzinfo=UTC)
    april = datetime(2019, 4, 1, 0, 1, tzinfo=UTC)
    rows = [*_record_at(march, 2), *_record_at(april), *_record_at(march), *_record_at(april)]
    rows += [audit.record(AuditAction.READ, "verzuim.werknemer", [9], subject=uuid.uuid4())]
    audit.chain_pending()
    return list(AuditEvent.objects.filter(pk__in=[r.pk for r in rows]).order_by("seq"))


def test_se7_the_purge_drops_an_expired_month_whole_sealed_counted_and_the_chain_verifies():
    rows = _three_months()
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5, 6]
    # 2024-04-15: March 2019 ended more than 5 years ago, April 2019 not yet.
    today = date(2024, 4, 15)
    plan = {row.key: row for row in purge.dry_run(today)}
    assert plan["privacy.auditlog"].count == 3
    assert "5 jaar na het einde van de kalendermaand" in plan["privacy.auditlog"].terms
    run = purge.purge(today=today)
    assert run.counts["privacy.auditlog"] == 3
    names = [p.name for p in partitions.partitions()]
    assert "privacy_auditevent_y2019m03" not in names and "privacy_auditevent_y2019m04" in names
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [3, 5, 6]
    seal = AuditSeal.objects.get()
    assert (seal.partition, seal.rows, seal.first_seq, seal.last_seq, seal.purge_run) == (
        "privacy_auditevent_y2019m03",
        3,
        1,
        4,
        run.pk,
    )
    # The rows whose successors live on elsewhere: 2 (→ 3 in April) and 4 (→ 5 in April).
    assert seal.links == {"2": rows[1].hash, "4": rows[3].hash}
    assert list(audit.verify()) == []
    assert {row.key: row.count for row in purge.dry_run(today)}["privacy.auditlog"] == 0
    # The seal is append-only.
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditSeal.objects.filter(pk=seal.pk).update(rows=0)


def test_se7_a_month_removed_outside_the_purge_reads_as_rows_missing():
    _three_months()
    with owner_mode(), connection.cursor() as cursor:
        cursor.execute('DROP TABLE "privacy_auditevent_y2019m03"')
    problems = list(audit.verify())
    assert [p.seq for p in problems] == [3, 5]
    assert all("ontbreken" in p.reason for p in problems)
    with pytest.raises(CommandError):
        call_command("verify_audit_log")


def test_se7_verify_audit_log_checks_one_month_with_its_links_to_the_others(capsys):
    rows = _three_months()
    call_command("verify_audit_log", "--month", "2019-04")
    out = capsys.readouterr().out
    assert "privacy_auditevent_y2019m04 (04-2019): 2 regels, volgnummers 3..5: intact" in out
    assert "y2019m03" not in out
    with owner_mode(), pgtrigger.ignore("privacy.AuditEvent:append_only"):
        AuditEvent.objects.filter(pk=rows[3].pk).delete()  # March's last row goes
    with pytest.raises(CommandError):  # April's row 5 links to it
        call_command("verify_audit_log", "--month", "2019-04")
    with pytest.raises(CommandError, match="JJJJ-MM"):
        call_command("verify_audit_log", "--month", "april")


def test_se7_a_purge_as_of_a_later_day_drops_no_month_early(caplog):
    """`purge(today=...)` in the future (tests, what-ifs) judges the audit log's months by the
    real date, as the database does; a refusal is logged and the run goes on."""
    event = audit.record(AuditAction.READ, "verzuim.ziekmelding", [1], subject=uuid.uuid4())
    audit.chain_pending()
    far = date(2045, 1, 1)
    assert partitions.expired(far) == []
    run = purge.purge(today=far)
    assert run.counts.get("privacy.auditlog", 0) == 0 and run.finished_at is not None
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    # Even when asked for a young month by name, the run survives the database's refusal.
    assert privacy_retention._drop(_partition_of(event), run.pk) == 0
    assert "maand niet verwijderd" in caplog.text
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_se7_a_row_added_beside_the_chain_in_another_month_is_detected():
    """A forged row with a sequence number already used, in another month, with a link and a
    hash that check out on their own (nothing in its month is next to it): the numbering of the
    whole log gives it away."""
    rows = _three_months()
    forged = AuditEvent(
        seq=rows[2].seq,
        occurred_at=timezone.now(),  # this month: no neighbour of seq 3 here
        action=AuditAction.READ,
        actor_role="",
        object_type="verzuim.ziekmelding",
        object_ids=["1"],
        detail="",
        prev_hash=rows[1].hash,
    )
    forged.hash = audit._digest(forged.prev_hash, audit._canonical(forged))
    forged.save()  # an INSERT: the application role may append
    problems = list(audit.verify())
    assert len(problems) == 1 and problems[0].seq is None
    assert "komt dubbel voor" in problems[0].reason
    with pytest.raises(CommandError):
        call_command("verify_audit_log")
