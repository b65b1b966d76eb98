"""The stored retention dates checked both ways (RT-6, issue 24): every record carries the date
until which it may be kept, and the purge re-checks only the records whose stored date has
passed (retention/purge.py). A stored date that is too late, or missing, would keep a record
past its term unnoticed; this check finds it.

Nightly (retention.tasks.check_retention_dates, before the purge) every root of every registered
category is walked in primary-key batches, its date recomputed the way the purge computes it —
the category's `SqlDates` in the database where it has them, else `compute_many`, else
`compute` — and compared with the stored `keep_until`:

- `missing`: nothing stored, the rule gives a date;
- `too_late`: stored later than the rule gives (would keep the record past its term);
- `too_early`: stored earlier than the rule gives, or a date stored where the rule says "no end
  yet" (the purge's own re-check keeps such a record, but the date is still wrong).

Each batch is repaired in its own transaction on the root's database (the medical categories
through the `medisch` alias, whose role alone may touch their tables) with one set-based UPDATE
that writes the computed date only where the stored one is still the one read — a save that
moved the date in between keeps its own. A DriftCheck records per category how many records
were checked, found drifting by kind, and repaired: counts only, no personal data, no ids.
"""

from dataclasses import dataclass

from django.db import connections, router, transaction
from django.utils import timezone

from . import registry
from .models import DriftCheck
from .purge import _compute, _select_related

BATCH_SIZE = 2000  # roots read and repaired per transaction, as the purge's batches
KINDS = ("missing", "too_late", "too_early")


@dataclass(frozen=True)
class Drift:
    pk: int
    stored: object  # date | None
    computed: object  # date | None
    kind: str


def kind_of(stored, computed) -> str | None:
    """The kind of drift between a stored and a computed date; None where they agree."""
    if stored == computed:
        return None
    if stored is None:
        return "missing"
    if computed is None or stored < computed:
        return "too_early"
    return "too_late"


def _rows(cat, queryset, batch_size) -> list[tuple]:
    """(pk, stored, computed) of the next batch, computed as the purge does: in the database
    from the category's SqlDates (no instance built), else `compute_many` / `compute`."""
    if cat.sql is not None:
        rows = queryset.annotate(_computed=cat.sql().keep_until).values_list(
            "pk", "keep_until", "_computed"
        )
        return list(rows[:batch_size])
    joins = _select_related(cat)
    if joins:
        queryset = queryset.select_related(*joins)
    roots = list(queryset[:batch_size])
    computed = _compute(cat, roots)
    return [(root.pk, root.keep_until, computed[root.pk][0]) for root in roots]


def _repair(cat, using, drifts: list[Drift]) -> int:
    """One UPDATE for the batch: each drifting root gets its computed date, where its stored
    date is still the one read (`IS NOT DISTINCT FROM`: NULL included). Returns the rows
    changed. Plain SQL on the root's own connection: no save, no signal — the value is the one
    the registry computes, so nothing else has to follow."""
    if not drifts:
        return 0
    meta = cat.model._meta
    # Integer keys (every category's today, as purge._any assumes): one bigint[] parameter.
    assert all(type(d.pk) is int for d in drifts), cat.key
    connection = connections[using]
    table, pk, column = meta.db_table, meta.pk.column, meta.get_field("keep_until").column
    with connection.cursor() as cursor:
        # Names from the model's metadata, quoted; the values are parameters (SE-6).
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(table)} AS t "  # noqa: S608  # nosec B608 — quoted model metadata; values are parameters
            f"SET {connection.ops.quote_name(column)} = v.computed "
            "FROM unnest(%s::bigint[], %s::date[], %s::date[]) AS v(pk, stored, computed) "
            f"WHERE t.{connection.ops.quote_name(pk)} = v.pk "
            f"AND t.{connection.ops.quote_name(column)} IS NOT DISTINCT FROM v.stored",
            [[d.pk for d in drifts], [d.stored for d in drifts], [d.computed for d in drifts]],
        )
        return cursor.rowcount


def check_category(cat, *, batch_size=BATCH_SIZE, repair=True) -> dict:
    """Walk every root of `cat` in pk order, a batch per transaction on its database; return
    {checked, missing, too_late, too_early, repaired}."""
    using = router.db_for_write(cat.model)
    counts = {"checked": 0, **dict.fromkeys(KINDS, 0), "repaired": 0}
    after = None
    while True:
        queryset = cat.model._base_manager.using(using).order_by("pk")
        if after is not None:
            queryset = queryset.filter(pk__gt=after)
        with transaction.atomic(using=using):
            rows = _rows(cat, queryset, batch_size)
            if not rows:
                break
            drifts = []
            for pk, stored, computed in rows:
                kind = kind_of(stored, computed)
                if kind is not None:
                    drifts.append(Drift(pk, stored, computed, kind))
                    counts[kind] += 1
            if repair:
                counts["repaired"] += _repair(cat, using, drifts)
        counts["checked"] += len(rows)
        after = rows[-1][0]
    return counts


def check_dates(*, batch_size=BATCH_SIZE, repair=True, check: DriftCheck | None = None):
    """The whole check: every registered category in purge order. The DriftCheck's counts are
    written after each category, so a killed run keeps what it found; a re-run starts afresh
    (whatever the first one repaired is no longer drift)."""
    check = check or DriftCheck.objects.create()
    counts = {}
    for cat in registry.categories():
        counts[cat.key] = check_category(cat, batch_size=batch_size, repair=repair)
        DriftCheck.objects.filter(pk=check.pk).update(counts=counts)
    DriftCheck.objects.filter(pk=check.pk).update(counts=counts, finished_at=timezone.now())
    check.refresh_from_db()
    return check


def last_check() -> DriftCheck | None:
    return DriftCheck.objects.filter(finished_at__isnull=False).first()


def labelled(check: DriftCheck | None) -> list[dict]:
    """The check's counts per category with its Dutch label, in purge order, for the page and
    retention_report: {key, label, checked, missing, too_late, too_early, repaired, drift}."""
    if check is None:
        return []
    labels = registry.labels()
    order = {cat.key: i for i, cat in enumerate(registry.categories())}
    rows = []
    for key in sorted(check.counts, key=lambda k: (order.get(k, len(order)), k)):
        counts = check.counts[key]
        row = {"key": key, "label": labels.get(key, key)}
        row.update({name: counts.get(name, 0) for name in ("checked", *KINDS, "repaired")})
        row["drift"] = sum(row[kind] for kind in KINDS)
        rows.append(row)
    return rows
