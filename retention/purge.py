"""The purge (RT-6): what has expired is deleted — batched (one transaction per batch),
dependents with their root and first, idempotent, safe to kill and re-run at any point. A run
writes a PurgeRun with counts per category (updated per batch, so a killed run keeps what it
did) and no personal data. `dry_run` shows exactly what the next run removes.

Order of a batch: each root's date is computed afresh (a stale stored date never deletes
anything early), stored files are removed (a missing file is fine: a re-run after a kill between
the two steps finds the row still expired and finishes it), then the rows go in one transaction
on the root's database (members cascade with it).
"""

from dataclasses import dataclass
from datetime import date

from django.db import router, transaction
from django.db.models import DO_NOTHING, PROTECT
from django.utils import timezone

from . import registry
from .models import PurgeRun, RetentionExtension, active_holds
from .rules import RULES

BATCH_SIZE = 500
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


def _blocked_ids(cat, leaving) -> set:
    """Roots another record still protects (e.g. an employee with a medical dossier that is
    kept longer): they wait until that record is gone. DO_NOTHING counts as protecting: it is
    used where the related table lives behind another database role (medisch). `leaving`:
    {model: pks} that this run removes before this category (they protect nothing)."""
    blocked = set()
    for relation in _blocking_relations(cat):
        related = relation.related_model
        rows = related._default_manager.exclude(**{f"{relation.field.name}__isnull": True})
        gone = leaving.get(related)
        if gone:
            rows = rows.exclude(pk__in=gone)
        blocked.update(rows.values_list(relation.field.attname, flat=True).distinct())
    return blocked


def _has_cap(cat) -> bool:
    return cat.extension_start is not None and any(RULES[key].max_extension for key in cat.rules)


def candidates(cat, today: date, leaving=None):
    """Roots whose stored date has passed (keep_until < today), not under a legal hold, not
    protected by another record; extensions are checked per record in `_still_expired`."""
    queryset = cat.model._default_manager.filter(keep_until__lt=today)
    excluded = set(active_holds(cat.key, today).values_list("object_id", flat=True))
    if _blocking_relations(cat):
        excluded |= _blocked_ids(cat, leaving or {})
    if excluded:
        queryset = queryset.exclude(pk__in=excluded)
    return queryset


def _still_expired(cat, roots, today) -> list[int]:
    """The roots that are really expired now: the date recomputed from the starting event, and
    an extension honoured only up to the rule's maximum (RT-5)."""
    extensions = dict(
        RetentionExtension.objects.filter(
            category=cat.key, object_id__in=[r.pk for r in roots]
        ).values_list("object_id", "extended_until")
    )
    ids = []
    for root in roots:
        keep_until, rule_key = cat.compute(root)
        if keep_until != root.keep_until:
            type(root)._default_manager.filter(pk=root.pk).update(keep_until=keep_until)
        if keep_until is None or keep_until >= today:
            continue
        extended = extensions.get(root.pk)
        if extended is not None:
            rule = RULES[rule_key]
            if rule.max_extension and cat.extension_start:
                start = cat.extension_start(root)
                if start is not None:
                    extended = min(extended, rule.max_extension.after(start))
            if extended >= today:
                continue
        ids.append(root.pk)
    return ids


def _expired_ids(cat, today, leaving=None, limit=None) -> list[int]:
    """Expired root pks, in pk order; at most `limit` (None: all)."""
    queryset = candidates(cat, today, leaving).order_by("pk")
    ids, last = [], 0
    chunk = max(limit or 0, 500)
    while limit is None or len(ids) < limit:
        roots = list(queryset.filter(pk__gt=last)[:chunk])
        if not roots:
            break
        ids += _still_expired(cat, roots, today)
        last = roots[-1].pk
    return ids if limit is None else ids[:limit]


@dataclass(frozen=True)
class DryRunRow:
    key: str
    label: str
    rules: str
    count: int


def dry_run(today: date | None = None) -> list[DryRunRow]:
    """Exactly what the next run removes, category by category in purge order (a root whose
    protector goes earlier in the same run counts as going too)."""
    today = today or timezone.localdate()
    rows, leaving = [], {}
    for cat in registry.categories():
        ids = _expired_ids(cat, today, leaving)
        leaving.setdefault(cat.model, set()).update(ids)
        rows.append(
            DryRunRow(
                cat.key,
                cat.label,
                ", ".join(sorted({r.rule_id for r in cat.rule_rows})),
                len(ids),
            )
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
        while True:
            ids = _expired_ids(cat, today, limit=batch_size)
            if not ids:
                break
            if fail_after_batches is not None and batches >= fail_after_batches:
                raise Interrupted(f"afgebroken na {batches} batches")
            if cat.before_delete:
                cat.before_delete(cat.model._default_manager.filter(pk__in=ids))
            with transaction.atomic(using=using):
                cat.model._default_manager.filter(pk__in=ids).delete()
            batches += 1
            done += len(ids)
            counts[cat.key] = counts.get(cat.key, 0) + len(ids)
            PurgeRun.objects.filter(pk=run.pk).update(done=done, current=cat.label, counts=counts)
    PurgeRun.objects.filter(pk=run.pk).update(
        counts=counts, finished_at=timezone.now(), current="", done=done
    )
    run.refresh_from_db()
    return run
