"""The purge (RT-6): what has expired is deleted — batched (one transaction per batch),
dependents with their root and first, idempotent, safe to kill and re-run at any point. A run
writes a PurgeRun with counts per category (updated per batch, so a killed run keeps what it
did) and no personal data. `dry_run` shows exactly what the next run removes.

Order of a batch: each root's date is computed afresh (a stale stored date never deletes
anything early), stored files are removed (a missing file is fine: a re-run after a kill between
the two steps finds the row still expired and finishes it), then the rows go in one transaction
on the root's database (members cascade with it).

Set-based (issue 8, bench/measure_purge.py): roots are examined a chunk at a time, in pk order
from where the pass stands (`Scan`), with a fixed number of queries per chunk — the roots (with
their extensions, and without those a record on their own database protects: `NOT EXISTS`),
the protecting records of another database, one UPDATE per changed date; a batch is deleted
with one DELETE per table where Django's collector would add nothing (`_set_based`). Memory holds
one chunk; a dry run keeps only the pks of models that protect a later category (8 bytes each).

Dates in the database (issue 20): the chunk query itself computes every root's date from its
starting event (the category's `SqlDates`, periods from retention/rules.py via `Period.sql`)
beside the stored one, as plain values — no model instance is built, in the dry run nor in the
recomputation right before a batch is deleted. A category without `sql` falls back to
`compute_many` / `compute` on instances. tests/retention/test_sql_dates.py holds the two equal.
"""

from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date

from django.db import router, transaction
from django.db.models import (
    CASCADE,
    DO_NOTHING,
    PROTECT,
    DateField,
    Exists,
    OuterRef,
    ProtectedError,
    Subquery,
    Value,
    signals,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from . import registry
from .models import PurgeRun, RetentionExtension, active_holds
from .rules import RULES

# Roots per batch (one transaction) and per scan query. 2000, not 500: the same work in a quarter
# of the statements and commits, memory still flat (bench/README.md, Purge, issue 20).
BATCH_SIZE = 2000
SCAN_CHUNK = 2000  # roots examined per query when a batch is smaller (or a dry run)
BLOCKING = (PROTECT, DO_NOTHING)


def _blocking_relations(cat):
    """Reverse relations that keep a root: PROTECT and DO_NOTHING. include_hidden: relations
    declared with related_name="+" (the medical dossier's link to the employee, the
    re-integratiedossier's correspondence and verslag) are absent from related_objects, and
    missing them would purge an employee whose dossier is kept for 20 years."""
    return [
        f
        for f in cat.model._meta.get_fields(include_hidden=True)
        if f.auto_created
        and not f.concrete
        and (f.one_to_many or f.one_to_one)
        and f.on_delete in BLOCKING
    ]


def _reverse_relations(model):
    return [
        f
        for f in model._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)
    ]


def _set_based(model, seen=()) -> bool:
    """Whether deleting rows of `model` needs nothing Django's collector does beyond deleting
    the CASCADE dependants first and refusing on PROTECT: no delete signals (e.g. a document's
    file removal), no many-to-many, generic relations or inherited parents, and every reverse
    relation CASCADE (recursively so), PROTECT or DO_NOTHING."""
    if model in seen:
        return False
    if (
        signals.pre_delete.has_listeners(model)
        or signals.post_delete.has_listeners(model)
        or model._meta.many_to_many
        or model._meta.private_fields
        or model._meta.parents
    ):
        return False
    for relation in _reverse_relations(model):
        if relation.on_delete is CASCADE:
            if not _set_based(relation.related_model, (*seen, model)):
                return False
        elif relation.on_delete not in BLOCKING:
            return False
    return True


def _raw_cascade(model, rows, using, pks=None) -> None:
    """Delete `rows` (a queryset of `model`) after what CASCADEs from them, each table with one
    DELETE ... WHERE fk IN (subquery) — no rows fetched; PROTECT raises as the collector does.
    `pks`: the rows' primary keys when known (a batch's roots): their direct dependants are
    then matched on that array itself, which the planner reads as a few index probes, where the
    nested subquery made it merge over a whole foreign-key index (bench/README.md, Purge)."""
    for relation in _reverse_relations(model):
        related = relation.related_model
        field = relation.field
        if pks is not None and field.target_field == model._meta.pk:
            match = {f"{field.attname}__in": _any(pks)}
        else:
            match = {f"{field.name}__in": rows.values("pk")}
        dependants = related._base_manager.using(using).filter(**match)
        if relation.on_delete is CASCADE:
            _raw_cascade(related, dependants, using)
        elif relation.on_delete is PROTECT and dependants.exists():
            raise ProtectedError(
                f"{model._meta.label} wordt beschermd door {related._meta.label}",
                set(dependants[:10]),
            )
    rows._raw_delete(using)


def _delete(cat, ids, using) -> None:
    """One batch of roots and their members, inside the batch's transaction. Set-based where
    `_set_based` allows (Django's collector would fetch every root and query each relation with
    hundreds of placeholders), else through the collector."""
    if _set_based(cat.model):
        _raw_cascade(
            cat.model, cat.model._base_manager.using(using).filter(pk__in=_any(ids)), using, ids
        )
    else:
        cat.model._default_manager.filter(pk__in=ids).delete()


def _select_related(cat) -> list[str]:
    """Forward foreign keys of the root on its own database, fetched with it in one join (the
    non-null ones, as select_related() does): `compute` reads them (a ziekmelding's employee
    and employer), one query per root otherwise. Relations to a model on another database (the
    medical dossier's employee) are left out."""
    using = router.db_for_read(cat.model)
    return [
        f.name
        for f in cat.model._meta.concrete_fields
        if f.many_to_one and not f.null and router.db_for_read(f.related_model) == using
    ]


def _any(pks):
    """`IN (SELECT unnest(array))`: the chunk's pks as one array parameter instead of hundreds
    of placeholders, which psycopg would parse and Django compile for every query. Integer pks
    (every category's today) go as one text parameter in PostgreSQL's array syntax, cast to
    bigint[]: psycopg's client-side binding dumps a list element by element (a regular
    expression per element to decide on quoting; 2.3 s of a profiled run, 635 arrays of up to
    2000 ids), one string it quotes at once. Still a bound parameter, never SQL text."""
    pks = list(pks)
    if all(type(pk) is int for pk in pks):
        return RawSQL("SELECT unnest(%s::bigint[])", ["{" + ",".join(map(str, pks)) + "}"])
    return RawSQL("SELECT unnest(%s)", [pks])


class _Ids:
    """Root pks in ascending order, 8 bytes each (a dry run's `leaving`; a scan yields pks in
    pk order, so appending keeps the order and membership is a binary search)."""

    def __init__(self):
        self._pks = array("q")

    def extend(self, pks):
        self._pks.extend(pks)

    def __contains__(self, pk) -> bool:
        i = bisect_left(self._pks, pk)
        return i < len(self._pks) and self._pks[i] == pk

    def __len__(self):
        return len(self._pks)


@dataclass
class Scan:
    """Where a pass over one category stands: every root with a pk up to `after` has been
    examined in this pass (deleted, or found not expired), so the next batch starts behind it
    instead of walking the kept roots again. `leaving`: {model: pks} that this pass removes
    before this category (a dry run: they protect nothing)."""

    after: int = 0
    leaving: dict = field(default_factory=dict)


def candidates(cat, today: date):
    """Roots whose stored date has passed (keep_until < today, on the keep_until index), not
    under a legal hold. Protection by another record is checked per chunk (`_protection`) and
    extensions per record in `_still_expired`."""
    queryset = cat.model._default_manager.filter(keep_until__lt=today)
    held = list(active_holds(cat.key, today).values_list("object_id", flat=True))
    if held:
        queryset = queryset.exclude(pk__in=held)
    return queryset


def _protection(cat, leaving) -> tuple[list, list]:
    """The protecting relations of a category split in two: those the chunk query checks itself
    (`NOT EXISTS` in `_unprotected`), and those `_blocked` checks with a query of its own. In
    the query: a relation on the root's database whose records all count (a dry run counts the
    records of `leaving` as gone, which only Python knows). Apart: the rest — the medical
    dossier (DO_NOTHING, its table behind another database role) and, in a dry run, a model
    that leaves earlier in the pass (the employee's ziekmeldingen). Per chunk, not per pass: a
    self-protecting category (a trajectory's parent) fills its own `leaving` as it goes."""
    using = router.db_for_read(cat.model)
    in_query, apart = [], []
    for relation in _blocking_relations(cat):
        same_db = router.db_for_read(relation.related_model) == using
        leaving_too = leaving and leaving.get(relation.related_model)
        (in_query if same_db and not leaving_too else apart).append(relation)
    return in_query, apart


def _unprotected(queryset, relations):
    """`queryset` without the roots a record of one of `relations` protects: one `NOT EXISTS`
    per relation in the chunk query, an index probe per root, instead of a query per relation
    whose rows come back to Python (issue 20, item 1; bench/README.md, Purge)."""
    for relation in relations:
        protectors = relation.related_model._default_manager.filter(
            **{relation.field.attname: OuterRef("pk")}
        )
        queryset = queryset.exclude(Exists(protectors))
    return queryset


def _blocked(cat, pks, leaving, relations) -> set:
    """The roots among `pks` that a record of `relations` (see `_protection`) still protects
    (e.g. an employee with a medical dossier that is kept longer): they wait until that record
    is gone. DO_NOTHING counts as protecting: it is used where the related table lives behind
    another database role (medisch). One query per relation for the whole chunk, on the related
    model's database."""
    blocked = set()
    for relation in relations:
        related = relation.related_model
        attname = relation.field.attname
        gone = leaving.get(related) if leaving else None
        rows = (
            related._default_manager.filter(**{f"{attname}__in": _any(pks)})
            .order_by()  # the related model's Meta.ordering would only add a sort
            .values_list("pk", attname)
        )
        blocked.update(root for pk, root in rows if gone is None or pk not in gone)
    return blocked


def _compute(cat, roots) -> dict:
    """{pk: (keep_until, rule key)} for the chunk: the category's set-based `compute_many` if it
    has one, else `compute` per root (its forward relations already joined)."""
    if cat.compute_many is not None:
        return cat.compute_many(roots)
    return {root.pk: cat.compute(root) for root in roots}


def _extensions(cat):
    return RetentionExtension.objects.filter(category=cat.key)


def _extended(cat, pks) -> dict:
    """{pk: extended until} of the recorded extensions among `pks`, in one query."""
    if not pks:
        return {}
    return dict(
        _extensions(cat).filter(object_id__in=_any(pks)).values_list("object_id", "extended_until")
    )


def _sql_rows(cat, queryset, chunk) -> list[tuple]:
    """(pk, stored date, computed date, rule key, extension start, extended until) of the next
    chunk, the dates computed by the database from the category's SqlDates: no model instance
    is built. The recorded extension (one per record: a unique constraint) comes along where
    the extensions live on the root's database, else from one query of its own (the medical
    categories: their role cannot read retention's tables); the rule and the extension start
    only where an extension cap needs them."""
    sql = cat.sql()
    capped = sql.extension_start is not None and any(r.max_extension for r in cat.rule_rows)
    joined = router.db_for_read(RetentionExtension) == router.db_for_read(cat.model)
    extended = _extensions(cat).filter(object_id=OuterRef("pk")).values("extended_until")
    rows = queryset.annotate(
        _computed=sql.keep_until,
        _rule=sql.rule if capped else Value(""),
        _start=sql.extension_start if capped else Value(None, output_field=DateField()),
        _extended=Subquery(extended[:1]) if joined else Value(None, output_field=DateField()),
    ).values_list("pk", "keep_until", "_computed", "_rule", "_start", "_extended")
    rows = list(rows[:chunk])
    if joined:
        return rows
    extensions = _extended(cat, [row[0] for row in rows])
    return [(*row[:5], extensions.get(row[0])) for row in rows]


def _python_rows(cat, queryset, chunk) -> list[tuple]:
    """The same rows for a category without SQL dates: instances, `compute(_many)` in Python,
    the extensions of the chunk in one query."""
    joins = _select_related(cat)
    if joins:
        queryset = queryset.select_related(*joins)
    roots = list(queryset[:chunk])
    computed = _compute(cat, roots)
    extended = _extended(cat, [root.pk for root in roots])
    return [
        (
            root.pk,
            root.keep_until,
            *computed[root.pk],
            cat.extension_start(root) if cat.extension_start else None,
            extended.get(root.pk),
        )
        for root in roots
    ]


def _still_expired(cat, rows, today) -> list[int]:
    """The roots that are really expired now: the date recomputed from the starting event, and
    an extension honoured only up to the rule's maximum (RT-5), both read with the chunk
    (`rows`). Changed stored dates are written back."""
    ids, changed = [], []
    for pk, stored, keep_until, rule_key, start, extended in rows:
        if keep_until != stored:
            changed.append((pk, keep_until))
        if keep_until is None or keep_until >= today:
            continue
        if extended is not None:
            rule = RULES[rule_key] if rule_key else None
            if rule and rule.max_extension and start is not None:
                extended = min(extended, rule.max_extension.after(start))
            if extended >= today:
                continue
        ids.append(pk)
    by_date = {}
    for pk, keep_until in changed:
        by_date.setdefault(keep_until, []).append(pk)
    for keep_until, pks in by_date.items():  # normally none: saves keep the dates current
        cat.model._default_manager.filter(pk__in=_any(pks)).update(keep_until=keep_until)
    return ids


def _scan(cat, today, scan: Scan, limit=None):
    """Yield the expired root pks chunk by chunk, in pk order, from behind `scan.after`; at most
    `limit` in all (None: to the end). Memory: one chunk of rows at a time."""
    queryset = candidates(cat, today).order_by("pk")
    rows_of = _sql_rows if cat.sql is not None else _python_rows
    chunk = max(limit or 0, SCAN_CHUNK)
    found = 0
    while limit is None or found < limit:
        in_query, apart = _protection(cat, scan.leaving)
        page = _unprotected(queryset.filter(pk__gt=scan.after), in_query)
        rows = rows_of(cat, page, chunk)
        if not rows:
            return
        blocked = _blocked(cat, [row[0] for row in rows], scan.leaving, apart) if apart else ()
        ids = _still_expired(cat, [row for row in rows if row[0] not in blocked], today)
        if limit is not None and found + len(ids) >= limit:
            ids = ids[: limit - found]
            # The roots behind the last one taken are examined again by the next batch.
            scan.after = ids[-1] if len(ids) else scan.after
            yield ids
            return
        scan.after = rows[-1][0]
        found += len(ids)
        if ids:
            yield ids


def _expired_ids(cat, today, leaving=None, limit=None) -> list[int]:
    """Expired root pks, in pk order; at most `limit` (None: all). `leaving`: a Scan (continues
    where it stands and moves it on), or {model: pks} removed earlier in the same pass."""
    scan = leaving if isinstance(leaving, Scan) else Scan(leaving=leaving or {})
    ids = []
    for chunk in _scan(cat, today, scan, limit):
        ids += chunk
    return ids


@dataclass(frozen=True)
class DryRunRow:
    key: str
    label: str
    rules: str
    count: int
    # What the operator's page shows: the terms themselves, not the rule IDs (issue 18).
    terms: str = ""


def dry_run(today: date | None = None) -> list[DryRunRow]:
    """Exactly what the next run removes, category by category in purge order (a root whose
    protector goes earlier in the same run counts as going too). Streams chunk by chunk; only
    the pks of models that protect a later category are kept (8 bytes each)."""
    today = today or timezone.localdate()
    rows, leaving = [], {}
    cats = registry.categories()
    protecting = {rel.related_model for cat in cats for rel in _blocking_relations(cat)}
    for cat in cats:
        count = 0
        keep = leaving.setdefault(cat.model, _Ids()) if cat.model in protecting else None
        for ids in _scan(cat, today, Scan(leaving=leaving)):
            count += len(ids)
            if keep is not None:
                keep.extend(ids)
        rows.append(
            DryRunRow(
                cat.key,
                cat.label,
                ", ".join(sorted({r.rule_id for r in cat.rule_rows})),
                count,
                "; ".join(sorted({f"{r.period} na {r.starts}" for r in cat.rule_rows})),
            )
        )
    for log in registry.partitioned_logs():
        expired_parts = log.expired(today)
        rows.append(
            DryRunRow(log.key, log.label, log.rule_id, sum(n for _, n in expired_parts), log.terms)
        )
    return rows


def expired(cat, today: date):
    """The expired roots of one category as a queryset (for reports and tests)."""
    return cat.model._default_manager.filter(pk__in=_expired_ids(cat, today))


class Interrupted(Exception):
    """Raised by tests (fail_after_batches) to simulate a kill in the middle of a run."""


def purge(
    *,
    today: date | None = None,
    batch_size: int = BATCH_SIZE,
    run: PurgeRun | None = None,
    fail_after_batches: int | None = None,
) -> PurgeRun:
    today = today or timezone.localdate()
    plan = dry_run(today)
    run = run or PurgeRun.objects.create()
    PurgeRun.objects.filter(pk=run.pk).update(total=sum(r.count for r in plan), done=0)
    batches = 0
    counts = dict(run.counts)
    done = 0
    for cat in registry.categories():
        using = router.db_for_write(cat.model)
        scan = Scan()
        while True:
            ids = _expired_ids(cat, today, scan, limit=batch_size)
            if not ids:
                break
            if fail_after_batches is not None and batches >= fail_after_batches:
                raise Interrupted(f"afgebroken na {batches} batches")
            # The hook in the batch's transaction: its own deletes (a case's deadline rows) commit
            # with the rows, not each on its own (bench/README.md, Purge). Files it removes are
            # not transactional: as before, a re-run after a kill here finds the rows and goes on.
            with transaction.atomic(using=using):
                if cat.before_delete:
                    cat.before_delete(cat.model._default_manager.filter(pk__in=_any(ids)))
                _delete(cat, ids, using)
            batches += 1
            done += len(ids)
            counts[cat.key] = counts.get(cat.key, 0) + len(ids)
            PurgeRun.objects.filter(pk=run.pk).update(done=done, current=cat.label, counts=counts)
    # Whole partitions (the audit log, SE-7): each one sealed and dropped in its own transaction.
    for log in registry.partitioned_logs():
        for partition, _ in log.expired(today):
            dropped = log.drop(partition, run.pk)
            done += dropped
            counts[log.key] = counts.get(log.key, 0) + dropped
            PurgeRun.objects.filter(pk=run.pk).update(done=done, current=log.label, counts=counts)
    PurgeRun.objects.filter(pk=run.pk).update(
        counts=counts, finished_at=timezone.now(), current="", done=done
    )
    run.refresh_from_db()
    return run
