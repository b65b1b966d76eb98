"""The audit log's monthly partitions (SE-7, NEN 7513; issue 20): made ahead of time, dropped
whole when every row in them has passed the log's term, each drop sealed.

PostgreSQL range partitions on `occurred_at`, one per UTC month (`privacy_auditevent_y2026m12`),
and a default partition that takes any row outside them, so an access is never refused for want
of a month. Migration 0009 made the table; the application changes the partitions only through
its two SECURITY DEFINER functions (`privacy_audit_ensure_partitions`,
`privacy_audit_drop_partition`), which the migration owner owns: the application role has no
privilege on a partition itself, and the drop function refuses a month younger than 5 years by
the database's own clock.

Retention: the log is kept at least 5 years (SE-7; `AUDIT_RETENTION_YEARS`, never less). A month
goes when its end is that long ago — as one `DROP TABLE` of its partition, by the nightly purge
(retention/purge.py, through the registry hook in privacy/retention.py), which lists the months
in its dry run first and counts their rows in its PurgeRun. Before a month goes, its seal is
written in the same transaction (AuditSeal): row count, first and last sequence number, and the
hash of each of its rows that a later row links to, so `privacy.audit.verify` still checks the
link of the first row after it and any month removed another way reads as rows missing.

Written by hand: django-postgres-extra's partitioning manager and django-partitioned-audit
create and drop partitions as the connecting role and know nothing of a hash chain or a seal; here
the application role may not do either itself (config/db_roles.py).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, Max, Min, Q, Window
from django.db.models.functions import Lead
from django.utils import timezone

from .models import AuditEvent, AuditSeal

PREFIX = "privacy_auditevent_y"
DEFAULT = "privacy_auditevent_default"


@dataclass(frozen=True)
class Partition:
    name: str
    month: date | None  # the first day of its month; None for the default partition

    @property
    def start(self) -> datetime | None:
        return _utc(self.month) if self.month else None

    @property
    def end(self) -> datetime | None:
        return _utc(next_month(self.month)) if self.month else None

    @property
    def label(self) -> str:
        return f"{self.month:%m-%Y}" if self.month else "standaardpartitie"


def _utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def name_of(month: date) -> str:
    return f"{PREFIX}{month:%Y}m{month:%m}"


def partitions() -> list[Partition]:
    """The partitions as they are in the database, months in order, the default one last."""
    from config.db_roles import audit_partitions

    with connection.cursor() as cursor:
        names = audit_partitions(cursor)
    months = sorted(
        (
            Partition(n, date(int(n[len(PREFIX) :][:4]), int(n[-2:]), 1))
            for n in names
            if n.startswith(PREFIX)
        ),
        key=lambda p: p.month,
    )
    return [*months, *([Partition(DEFAULT, None)] if DEFAULT in names else [])]


def ensure(first: date | None = None, *, today: date | None = None) -> int:
    """Make every missing month from `first` (default: this month) to AUDIT_PARTITIONS_AHEAD
    months after this one; answer how many were made. Daily (privacy.tasks), idempotent."""
    today = today or _utc_today()
    last = today.replace(day=1)
    for _ in range(settings.AUDIT_PARTITIONS_AHEAD):
        last = next_month(last)
    first = (first or today).replace(day=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT privacy_audit_ensure_partitions(%s, %s)", [first, last])
        return cursor.fetchone()[0]


def rows_in(partition: Partition):
    """The partition's rows, read through the parent (the only table the application may read):
    a month by its range, which PostgreSQL prunes to that one partition; the default partition
    as what lies outside every month."""
    if partition.month is not None:
        return AuditEvent.objects.filter(
            occurred_at__gte=partition.start, occurred_at__lt=partition.end
        )
    outside = Q()
    for month in partitions():
        if month.month is not None:
            outside &= ~Q(occurred_at__gte=month.start, occurred_at__lt=month.end)
    return AuditEvent.objects.filter(outside)


def term_end(partition: Partition) -> date:
    """The day a month's rows have all been kept AUDIT_RETENTION_YEARS (SE-7: at least 5)."""
    end = next_month(partition.month)
    return end.replace(year=end.year + settings.AUDIT_RETENTION_YEARS)


def _utc_today() -> date:
    return timezone.now().astimezone(UTC).date()


def expired(today: date | None = None) -> list[Partition]:
    """The months whose term has ended by `today`, oldest first (never the default partition).
    Never later than the real UTC date: the database function judges a month by its own clock,
    so a purge run "as of" a later day (a test, a what-if) drops nothing early."""
    today = min(today or _utc_today(), _utc_today())
    return [p for p in partitions() if p.month is not None and term_end(p) <= today]


def count(partition: Partition) -> int:
    return rows_in(partition).count()


def seal(partition: Partition) -> AuditSeal:
    """The seal of a month about to go (not saved): its rows, its sequence numbers, and the hash
    of every row whose successor in the chain is not in this month (`links`)."""
    rows = rows_in(partition)
    summary = rows.aggregate(n=Count("pk"), first=Min("seq"), last=Max("seq"))
    ends = (
        rows.filter(seq__isnull=False)
        .annotate(following=Window(Lead("seq"), order_by=F("seq").asc()))
        .filter(Q(following__isnull=True) | ~Q(following=F("seq") + 1))
        .values_list("seq", "hash")
    )
    return AuditSeal(
        month=partition.month,
        partition=partition.name,
        rows=summary["n"],
        first_seq=summary["first"],
        last_seq=summary["last"],
        links={str(seq): digest for seq, digest in ends},
    )


class DropRefused(Exception):
    """The database refused to drop a month (too young, unchained rows, or rows changed)."""


def drop(partition: Partition, *, purge_run: int | None = None) -> AuditSeal:
    """SE-7: seal the month and drop its partition, in one transaction; the database function
    checks the term again by its own clock. `lock_timeout`: the DROP needs a moment alone with
    the parent table; rather than queue every request's audit INSERT behind it, it gives up
    after 10 seconds and the next night's run tries again."""
    record = seal(partition)
    record.purge_run = purge_run
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '10s'")
            record.save()
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT privacy_audit_drop_partition(%s, %s)",
                    [partition.name, settings.AUDIT_RETENTION_YEARS],
                )
                dropped = cursor.fetchone()[0]
            if dropped != record.rows:  # pragma: no cover - a month years old: nothing writes
                raise DropRefused(f"{partition.name}: {dropped} regels, verzegeld {record.rows}")
    except DatabaseError as exc:
        raise DropRefused(f"{partition.name}: {exc}".strip()) from exc
    return record
