"""The purge (RT-6): what has expired is deleted — batched (one transaction per batch),
dependents with their root and first, idempotent, safe to kill and re-run at any point. A run
writes a PurgeRun with counts per category and no personal data. `dry_run` shows what the next
run removes.

Order of a batch: stored files first (a missing file is fine: a re-run after a kill between the
two steps finds the row still expired and finishes it), then the rows in one transaction on the
root's database (members cascade with it).
"""

from dataclasses import dataclass
from datetime import date

from django.db import router, transaction
from django.db.models import DO_NOTHING, PROTECT
from django.utils import timezone

from . import registry
from .models import PurgeRun, RetentionExtension, active_holds

BATCH_SIZE = 500
BLOCKING = (PROTECT, DO_NOTHING)


def _blocked_ids(cat) -> set:
    """Roots another record still protects (e.g. an employee with a medical dossier that is
    kept longer): they wait until that record is gone. DO_NOTHING counts as protecting: it is
    used where the related table lives behind another database role (medisch)."""
    blocked = set()
    for relation in cat.model._meta.related_objects:
        if relation.on_delete not in BLOCKING:
            continue
        related = relation.related_model
        blocked.update(
            related._default_manager.exclude(**{f"{relation.field.name}__isnull": True})
            .values_list(relation.field.attname, flat=True)
            .distinct()
        )
    return blocked


def expired(cat, today: date):
    """Roots whose date has passed (keep_until < today), not under a legal hold, not
    extended past today, not protected by another record."""
    queryset = cat.model._default_manager.filter(keep_until__lt=today)
    held = list(active_holds(cat.key, today).values_list("object_id", flat=True))
    extended = list(
        RetentionExtension.objects.filter(category=cat.key, extended_until__gte=today).values_list(
            "object_id", flat=True
        )
    )
    excluded = set(held) | set(extended)
    if any(r.on_delete in BLOCKING for r in cat.model._meta.related_objects):
        excluded |= _blocked_ids(cat)
    if excluded:
        queryset = queryset.exclude(pk__in=excluded)
    return queryset


@dataclass(frozen=True)
class DryRunRow:
    key: str
    label: str
    rules: str
    count: int


def dry_run(today: date | None = None) -> list[DryRunRow]:
    today = today or timezone.localdate()
    return [
        DryRunRow(
            cat.key,
            cat.label,
            ", ".join(sorted({r.rule_id for r in cat.rule_rows})),
            expired(cat, today).count(),
        )
        for cat in registry.categories()
    ]


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
        removed = 0
        using = router.db_for_write(cat.model)
        while True:
            ids = list(expired(cat, today).order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not ids:
                break
            if fail_after_batches is not None and batches >= fail_after_batches:
                raise Interrupted(f"afgebroken na {batches} batches")
            roots = cat.model._default_manager.filter(pk__in=ids)
            if cat.before_delete:
                cat.before_delete(roots)
            with transaction.atomic(using=using):
                cat.model._default_manager.filter(pk__in=ids).delete()
            batches += 1
            removed += len(ids)
            done += len(ids)
            PurgeRun.objects.filter(pk=run.pk).update(done=done, current=cat.label)
        if removed:
            counts[cat.key] = counts.get(cat.key, 0) + removed
    PurgeRun.objects.filter(pk=run.pk).update(
        counts=counts, finished_at=timezone.now(), current="", done=done
    )
    run.refresh_from_db()
    return run
