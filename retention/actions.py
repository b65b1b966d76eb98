"""State changes of the retention pages (RT-5, RT-6): start a purge run, place and lift a legal
hold, record an extension. Views parse and check; these validate, write and audit. The Celery
task is queued with transaction.on_commit, never before its PurgeRun is committed (DESIGN.md).
The reason of a hold or an extension is free text others read later: the ZM-3 guard refuses
medical terms in it here, whatever the entry point (the form checks it early too)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from privacy import audit
from privacy.medical_guard import guard_fields
from privacy.models import AuditAction

from . import registry
from .models import LegalHold, PurgeRun, RetentionExtension
from .rules import RULES, Period, RetentionRule
from .tasks import purge_expired

# A run that has not finished after this long is taken to be dead (its task is redelivered
# through acks_late; the purge is idempotent), so a new one may start.
RUN_STALE_AFTER = timedelta(hours=6)


# --- Purge runs -------------------------------------------------------------------------------


def running_run() -> PurgeRun | None:
    return PurgeRun.objects.filter(
        finished_at__isnull=True, started_at__gte=timezone.now() - RUN_STALE_AFTER
    ).first()


def start_run(*, by, request=None) -> tuple[PurgeRun, bool]:
    """RT-6: a run now. Returns (run, started); a run still in progress is returned instead of
    starting a second one next to it."""
    with transaction.atomic():
        current = running_run()
        if current is not None:
            return current, False
        run = PurgeRun.objects.create()
        audit.record(
            AuditAction.DELETE,
            "retention.purgerun",
            [run.pk],
            detail="opschoonrun gestart door de beheerder",
            request=request,
            actor=by,
        )
        transaction.on_commit(lambda: purge_expired.delay(run.pk))
    return run, True


# --- Records ----------------------------------------------------------------------------------


def root_exists(category_key: str, object_id: int) -> bool:
    """Whether the category has a root record with this primary key (read nothing else: the
    beheerder reads no content, MD-2)."""
    cat = registry.category(category_key)
    return cat.model._default_manager.filter(pk=object_id).exists()


# --- Legal holds ------------------------------------------------------------------------------


def _log_hold(hold: LegalHold, detail: str, *, by, request) -> None:
    audit.record(
        AuditAction.UPDATE,
        "retention.legalhold",
        [hold.pk],
        subject=None,
        detail=detail,
        request=request,
        actor=by,
    )


def place_hold(*, by, category: str, object_id: int, reason: str, until: date, request=None):
    """RT-6: a recorded legal hold postpones the purge of one record until `until` (inclusive).
    The reason is guarded (ZM-3)."""
    guard_fields({"reason": reason}, ["reason"])
    if until < timezone.localdate():
        raise ValidationError({"until": "De datum ligt in het verleden."})
    if not root_exists(category, object_id):
        raise ValidationError({"object_id": "Er is geen record met dit nummer in deze categorie."})
    with transaction.atomic():
        hold = LegalHold.objects.create(
            category=category, object_id=object_id, reason=reason, until=until, placed_by=by
        )
        _log_hold(
            hold,
            f"legal hold geplaatst op {category}#{object_id} tot en met {until:%d-%m-%Y}",
            by=by,
            request=request,
        )
    return hold


def lift_hold(*, by, hold: LegalHold, request=None) -> bool:
    """Lifting lets the next run remove the record if its date has passed. Idempotent."""
    with transaction.atomic():
        updated = LegalHold.objects.filter(pk=hold.pk, lifted_at__isnull=True).update(
            lifted_at=timezone.now()
        )
        if updated:
            _log_hold(
                hold,
                f"legal hold opgeheven op {hold.category}#{hold.object_id}",
                by=by,
                request=request,
            )
    return bool(updated)


# --- Extensions (RT-5) ------------------------------------------------------------------------


def _shift_back(period: Period, end: date) -> date:
    months = end.year * 12 + end.month - 1 - period.years * 12 - period.months
    year, month = divmod(months, 12)
    day = end.day
    while True:
        try:
            start = date(year, month + 1, day)
            break
        except ValueError:
            day -= 1
    return start - timedelta(days=period.days)


def clock_start(period: Period, keep_until: date) -> date:
    """The event date a rule's period was counted from: the latest start whose period ends on
    keep_until (exact also around 29 February and month ends, where Period.after clamps)."""
    guess = _shift_back(period, keep_until)
    for offset in range(4, -5, -1):
        candidate = guess + timedelta(days=offset)
        if period.after(candidate) == keep_until:
            return candidate
    return guess


@dataclass(frozen=True)
class ExtensionLimit:
    rule: RetentionRule
    keep_until: date  # the record's date under the rule
    start: date  # the event that starts the clock
    limit: date  # the latest date an extension may reach


def categories_with_extension() -> list:
    return [cat for cat in registry.categories() if any(r.max_extension for r in cat.rule_rows)]


def refuse_without_extension(category_key: str) -> None:
    """Categories none of whose rules has a max_extension take no extension (only RT-5 has
    one)."""
    cat = registry.category(category_key)
    if not any(r.max_extension for r in cat.rule_rows):
        rules = "; ".join(sorted({f"{r.period} na {r.starts}" for r in cat.rule_rows}))
        raise ValidationError(
            {
                "category": f"Voor {cat.label} staat de bewaartermijn ({rules}) geen verlenging "
                "toe; alleen dossiers van re-integratiebedrijven kunnen met een reden worden "
                "verlengd. Gebruik zo nodig een legal hold."
            }
        )


def extension_limit(category_key: str, object_id: int) -> ExtensionLimit:
    """RT-5: the longest a recorded extension may reach for this record — the rule's
    max_extension counted from the same event as its normal period. Raises ValidationError
    with the reason when the category or rule allows none, the record does not exist, or the
    clock has not started."""
    refuse_without_extension(category_key)
    cat = registry.category(category_key)
    root = cat.model._default_manager.filter(pk=object_id).first()
    if root is None:
        raise ValidationError({"object_id": "Er is geen record met dit nummer in deze categorie."})
    keep_until, rule_key = cat.compute(root)
    rule = RULES[rule_key]
    if rule.max_extension is None:
        raise ValidationError(
            {
                "object_id": f"Voor dit record geldt {rule.rule_id} ({rule.label}): die termijn "
                "kent geen verlenging."
            }
        )
    if keep_until is None:
        raise ValidationError(
            {
                "object_id": f"De bewaartermijn van dit record loopt nog niet: het startmoment "
                f"({rule.starts}) ligt nog niet vast. Verlengen kan pas daarna."
            }
        )
    # The category names the event (as the purge uses it to cap extensions); otherwise the
    # event is found back from the record's date under the rule.
    start = cat.extension_start(root) if cat.extension_start else None
    if start is None:
        start = clock_start(rule.period, keep_until)
    return ExtensionLimit(rule, keep_until, start, rule.max_extension.after(start))


def record_extension(
    *, by, category: str, object_id: int, reason: str, extended_until: date, request=None
) -> RetentionExtension:
    """RT-5: keep one record longer, with a recorded reason, never beyond the rule's maximum.
    A second extension of the same record replaces the first. The reason is guarded (ZM-3)."""
    guard_fields({"reason": reason}, ["reason"])
    bound = extension_limit(category, object_id)
    if extended_until > bound.limit:
        raise ValidationError(
            {
                "extended_until": f"Verlengen kan tot uiterlijk {bound.limit:%d-%m-%Y}: "
                f"{bound.rule.max_extension} na {bound.rule.starts} "
                f"({bound.start:%d-%m-%Y}), {bound.rule.rule_id}."
            }
        )
    if extended_until <= bound.keep_until:
        raise ValidationError(
            {
                "extended_until": f"Het record wordt al bewaard tot en met "
                f"{bound.keep_until:%d-%m-%Y}; kies een latere datum."
            }
        )
    with transaction.atomic():
        extension, _ = RetentionExtension.objects.update_or_create(
            category=category,
            object_id=object_id,
            defaults={"reason": reason, "extended_until": extended_until, "recorded_by": by},
        )
        audit.record(
            AuditAction.UPDATE,
            "retention.retentionextension",
            [extension.pk],
            subject=None,
            detail=f"bewaartermijn {category}#{object_id} verlengd tot en met "
            f"{extended_until:%d-%m-%Y} ({bound.rule.rule_id})",
            request=request,
            actor=by,
        )
    return extension
