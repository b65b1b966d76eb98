"""Writing and verifying the audit log (SE-7, NEN 7513: every access logged, nothing lost,
append-only, tamper-evident, verifiable, never content). Every access to health or
special-category data goes through `record()` (one object), `record_reads()` (one entry per
list, search or export, naming every row read and whose it is) or `record_many()`; nothing else
inserts into AuditEvent.

Hand-written because no maintained library logs reads, lists, exports and searches with the
NEN 7513 fields without storing content (LIBRARIES.md, Audit log).

Writing and chaining are two steps, so the hot path takes no global lock (issue 20):

1. A request's transaction INSERTs its rows unchained (`seq`, `prev_hash`, `hash` NULL) and
   commits them with its own work: a committed access is in the table, whatever happens next,
   and a rolled-back one never was. Writers do not wait for each other.
2. `chain_pending()` — the Celery beat task `privacy.tasks.chain_audit_log` every few seconds,
   and first of all `verify()` and `manage.py verify_audit_log` — takes the one advisory lock,
   reads the committed unchained rows in id order, gives them consecutive sequence numbers and
   computes each row's hash over its own fields and the previous row's hash, in one bulk UPDATE.
   The append-only trigger allows exactly that one fill of NULL chain fields and nothing else
   (privacy/models.py); the application role may UPDATE only those three columns
   (config/db_roles.py). A chainer killed halfway loses nothing: its transaction rolls back and
   the next run chains the same rows.

`verify()` walks the chain (a gap, a broken link or a hash mismatch is a changed or removed
row) and reports rows left unchained longer than `UNCHAINED_AFTER` ("niet geketend").
"""

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from . import partitions
from .models import AuditAction, AuditEvent, AuditSeal

GENESIS = "0" * 64
_LOCK_KEY = 0x5645_524B  # "VERK": one advisory lock, taken by the chainer only
# A row still unchained after this long means the chainer is not running: verify() says so.
UNCHAINED_AFTER = timedelta(minutes=10)
CHAIN_BATCH = 5000


@dataclass
class Entry:
    action: str
    object_type: str
    object_ids: list = field(default_factory=list)
    subject: uuid.UUID | None = None
    detail: str = ""
    # Parallel to object_ids: the person of each object (record_reads); empty otherwise.
    subjects: list = field(default_factory=list)


def _client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _digest(prev_hash: str, row: dict) -> str:
    payload = json.dumps(row, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def _canonical(event: AuditEvent) -> dict:
    """The fields the hash covers (SE-7: tamper-evident). `subjects` is covered when present; a row
    without it (every row written before it existed) hashes exactly as it always did."""
    row = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(),
        "action": event.action,
        "subject": str(event.subject) if event.subject else None,
        "actor": str(event.actor) if event.actor else None,
        "actor_role": event.actor_role,
        "on_behalf_of": str(event.on_behalf_of) if event.on_behalf_of else None,
        "ip_address": event.ip_address,
        "object_type": event.object_type,
        "object_ids": [str(i) for i in event.object_ids],
        "detail": event.detail,
    }
    subjects = getattr(event, "subjects", None)
    if subjects:
        row["subjects"] = [str(s) if s else None for s in subjects]
    return row


def record_many(entries: Iterable[Entry], *, request=None, actor=None, on_behalf_of=None):
    """Append several entries with one bulk INSERT, unchained (SE-7): no lock, so writers never
    wait for each other; the rows commit (or roll back) with the caller's transaction and
    `chain_pending()` chains them afterwards."""
    entries = list(entries)
    if not entries:
        return []
    user = actor if actor is not None else getattr(request, "user", None)
    actor_id = getattr(user, "pseudonym", None) if user is not None else None
    actor_role = getattr(user, "role", "") if user is not None else ""
    ip = _client_ip(request)
    now = timezone.now()
    rows = []
    for entry in entries:
        if entry.action not in AuditAction.values:
            raise ValueError(f"unknown audit action {entry.action!r}")
        if entry.subjects and len(entry.subjects) != len(entry.object_ids):
            raise ValueError("subjects must be parallel to object_ids")
        rows.append(
            AuditEvent(
                occurred_at=now,
                action=entry.action,
                subject=entry.subject,
                actor=actor_id,
                actor_role=actor_role or "",
                on_behalf_of=on_behalf_of,
                ip_address=ip,
                object_type=entry.object_type,
                object_ids=[str(i) for i in entry.object_ids],
                subjects=list(entry.subjects),
                detail=entry.detail[:200],
            )
        )
    # One plain INSERT ... RETURNING id, not the ORM's bulk_create: this runs in every request
    # that shows health data, and the ORM's statement building cost more than the INSERT itself
    # (bench/measure_audit.py).
    params = []
    for row in rows:
        params += [
            row.occurred_at,
            row.action,
            row.subject,
            row.subjects,
            row.actor,
            row.actor_role,
            row.on_behalf_of,
            row.ip_address,
            row.object_type,
            json.dumps(row.object_ids),
            row.detail,
        ]
    statement = _INSERT + ", ".join([_VALUES] * len(rows)) + " RETURNING id"
    with connection.cursor() as cursor:
        # nosemgrep: vk-raw-sql-formatted — constant SQL, one placeholder group per row
        cursor.execute(statement, params)
        ids = [r[0] for r in cursor.fetchall()]
    for row, pk in zip(rows, ids, strict=True):
        row.pk = pk
        row._state.adding = False
        row._state.db = "default"
    return rows


_INSERT = (
    "INSERT INTO privacy_auditevent (occurred_at, action, subject, subjects, actor, actor_role, "
    "on_behalf_of, ip_address, object_type, object_ids, detail) VALUES "
)
_VALUES = "(%s, %s, %s, %s::uuid[], %s, %s, %s, %s::inet, %s, %s::jsonb, %s)"


# The batch's time span as constants, so PostgreSQL prunes the UPDATE to the month partitions
# that hold the batch instead of probing every month's index for each id (privacy/partitions.py).
_FILL = """
UPDATE privacy_auditevent AS a
   SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
  FROM unnest(%s::bigint[], %s::bigint[], %s::varchar[], %s::varchar[])
       AS v(id, seq, prev_hash, hash)
 WHERE a.id = v.id AND a.hash IS NULL AND a.occurred_at BETWEEN %s AND %s
"""


def _last_link() -> tuple[int, str]:
    last = (
        AuditEvent.objects.filter(seq__isnull=False)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    return last if last else (0, GENESIS)


def chain_pending(batch_size: int = CHAIN_BATCH) -> int:
    """SE-7: chain every committed unchained row, in id order, after the last chained one; answer
    how many. Serialised on the advisory lock (one chainer at a time, the writers never wait);
    one transaction per batch, so a chainer killed halfway leaves the rows for the next run.
    Idempotent: a second run finds nothing."""
    done = 0
    while True:
        with transaction.atomic(using="default"):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
            pending = list(AuditEvent.objects.filter(hash__isnull=True).order_by("id")[:batch_size])
            if not pending:
                return done
            seq, prev_hash = _last_link()
            ids, seqs, prevs, hashes = [], [], [], []
            for event in pending:
                seq += 1
                event.seq, event.prev_hash = seq, prev_hash
                event.hash = _digest(prev_hash, _canonical(event))
                ids.append(event.pk)
                seqs.append(seq)
                prevs.append(prev_hash)
                hashes.append(event.hash)
                prev_hash = event.hash
            span = [min(e.occurred_at for e in pending), max(e.occurred_at for e in pending)]
            with connection.cursor() as cursor:
                cursor.execute(_FILL, [ids, seqs, prevs, hashes, *span])
                if cursor.rowcount != len(ids):  # pragma: no cover - the lock rules it out
                    raise RuntimeError("audit chain: rows changed under the chainer")
        done += len(pending)
        if len(pending) < batch_size:
            return done


def record(
    action,
    object_type,
    object_ids=(),
    *,
    subject=None,
    detail="",
    request=None,
    actor=None,
    on_behalf_of=None,
) -> AuditEvent:
    """Append one entry. `subject` is the pseudonym of the person whose data was accessed."""
    entry = Entry(
        action=action,
        object_type=object_type,
        object_ids=list(object_ids),
        subject=subject,
        detail=detail,
    )
    return record_many([entry], request=request, actor=actor, on_behalf_of=on_behalf_of)[0]


def record_reads(
    rows: Iterable,
    *,
    object_type: str,
    subject_of: Callable[[object], uuid.UUID | None],
    detail: str,
    request=None,
    action: str = AuditAction.READ,
    actor=None,
) -> list[AuditEvent]:
    """SE-7 for a list, search or export: ONE entry per call (one per page view, not one per row),
    naming every row read — `object_ids` the rows' pks in the order of `rows` — and, parallel to
    it, `subjects`: each row's person (`subject_of(row)`), so a person's access log finds every
    list they appeared in and which of their objects it showed (`objects_of`). When every row is
    one person's, `subject` names them too. `detail` says where; nothing of the rows' content is
    written. No rows, no call at all."""
    rows = list(rows)
    if not rows:
        return []
    subjects = [subject_of(row) for row in rows]
    distinct = {s for s in subjects if s is not None}
    entry = Entry(
        action,
        object_type,
        [row.pk for row in rows],
        subject=next(iter(distinct)) if len(distinct) == 1 else None,
        detail=detail,
        subjects=subjects,
    )
    return record_many([entry], request=request, actor=actor)


def about(pseudonyms) -> Q:
    """SE-7, AV-6: the entries about these people — a single-subject entry (`subject`) or a list
    they appeared in (`subjects`, GIN-indexed)."""
    pseudonyms = list(pseudonyms)
    return Q(subject__in=pseudonyms) | Q(subjects__overlap=pseudonyms)


def objects_of(event: AuditEvent, pseudonyms) -> list[str]:
    """The object ids of `event` that are these people's: for a list entry only the rows that were
    theirs (never the other people's ids), otherwise every object of the entry."""
    if not event.subjects:
        return list(event.object_ids)
    mine = {str(p) for p in pseudonyms}
    return [oid for oid, s in zip(event.object_ids, event.subjects, strict=True) if str(s) in mine]


@dataclass
class Problem:
    seq: int | None  # None: rows not in the chain yet
    reason: str


@dataclass
class PartitionReport:
    """verify() for one month of the log (privacy/partitions.py)."""

    partition: partitions.Partition
    rows: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    problems: list[Problem] = field(default_factory=list)


class _Links:
    """Where the link of a row whose predecessor is not the row before it in its own month is
    checked: the predecessor in another month (rows chained around a month's end), a month
    dropped at the end of its term (its seal names the hashes later rows link to), or the start
    of the chain. Anything else is a removed row."""

    def __init__(self):
        self.sealed = {}
        self.sealed_ends = []
        for seal in AuditSeal.objects.all():
            self.sealed.update({int(seq): digest for seq, digest in seal.links.items()})
            if seal.last_seq is not None:
                self.sealed_ends.append(seal.last_seq)

    def hash_of(self, seq: int) -> str | None:
        if seq == 0:
            return GENESIS
        if seq in self.sealed:
            return self.sealed[seq]
        return AuditEvent.objects.filter(seq=seq).values_list("hash", flat=True).first()

    def missing(self, seq: int) -> str:
        """The rows missing before `seq`: from behind the last row before it that is still there
        or sealed."""
        before = AuditEvent.objects.filter(seq__lt=seq).aggregate(m=Max("seq"))["m"] or 0
        before = max([before, *(s for s in self.sealed_ends if s < seq)])
        return f"regels {before + 1}..{seq - 1} ontbreken"


def verify_partitions(
    chunk_size: int = 5000, *, chain: bool = True, month=None
) -> Iterator[PartitionReport]:
    """SE-7, month by month (privacy/partitions.py): each partition's chained rows in sequence
    order — a changed row (hash mismatch), a removed one (its successor's predecessor is nowhere:
    not in any month, not sealed), a broken link. `month`: only that month (a date in it).
    Chains what is pending first (`chain=False` to look only)."""
    if chain:
        chain_pending()
    links = _Links()
    for part in partitions.partitions():
        if month is not None and (part.month is None or part.month != month.replace(day=1)):
            continue
        report = PartitionReport(part)
        prev_seq = prev_hash = None
        rows = partitions.rows_in(part).filter(seq__isnull=False).order_by("seq")
        for event in rows.iterator(chunk_size=chunk_size):
            report.rows += 1
            report.first_seq = report.first_seq if report.first_seq is not None else event.seq
            report.last_seq = event.seq
            if event.hash is None or _digest(event.prev_hash, _canonical(event)) != event.hash:
                report.problems.append(Problem(event.seq, "inhoud gewijzigd (hash klopt niet)"))
            if prev_seq == event.seq:
                report.problems.append(Problem(event.seq, "volgnummer komt twee keer voor"))
            elif prev_seq == event.seq - 1:
                if event.prev_hash != prev_hash:
                    report.problems.append(
                        Problem(event.seq, "schakel naar vorige regel klopt niet")
                    )
            else:
                expected = links.hash_of(event.seq - 1)
                if expected is None:
                    report.problems.append(Problem(event.seq, links.missing(event.seq)))
                elif expected != event.prev_hash:
                    report.problems.append(
                        Problem(event.seq, "schakel naar vorige regel klopt niet")
                    )
            prev_seq, prev_hash = event.seq, event.hash
        yield report


def verify(chunk_size: int = 5000, *, chain: bool = True) -> Iterator[Problem]:
    """SE-7: yield every break in the chain — a changed row (hash mismatch), a removed row (gap in
    the sequence or a broken link), across all months (`verify_partitions`) — and rows left
    unchained longer than UNCHAINED_AFTER (the chainer is not running). A month dropped at the end
    of its term is accepted through its seal (AuditSeal), never by trusting the first row left."""
    rows = 0
    for report in verify_partitions(chunk_size, chain=chain):
        rows += report.rows
        yield from report.problems
    for problem in (numbering(rows), unchained()):
        if problem is not None:
            yield problem


def numbering(rows: int) -> Problem | None:
    """After a walk of every month: the chained rows there (`rows`) and the rows dropped with
    sealed months must number exactly 1..the highest sequence number. More means a number is
    used twice (a row added beside the chain in another month, whose own link would check out);
    fewer is already reported as rows missing."""
    highest = AuditEvent.objects.aggregate(m=Max("seq"))["m"] or 0
    dropped = sum(AuditSeal.objects.values_list("rows", flat=True))
    if rows + dropped <= highest:
        return None
    return Problem(
        None,
        f"{rows + dropped} geketende regels (waarvan {dropped} in verzegelde maanden) voor "
        f"volgnummers 1..{highest}: een volgnummer komt dubbel voor",
    )


def unchained() -> Problem | None:
    """Rows left unchained longer than UNCHAINED_AFTER: the chainer is not running."""
    stale = AuditEvent.objects.filter(
        hash__isnull=True, occurred_at__lt=timezone.now() - UNCHAINED_AFTER
    ).aggregate(n=Count("pk"), oldest=Min("occurred_at"))
    if not stale["n"]:
        return None
    oldest = timezone.localtime(stale["oldest"])
    return Problem(
        None, f"{stale['n']} regel(s) niet geketend, de oudste van {oldest:%d-%m-%Y %H:%M}"
    )
