"""Werknemers: create, update, end the employment, and many created at once (the staff list's
sync, verzuim/hr_sync.py; the demo). Audited (SE-7); a stale save raises Conflict (optimistic
locking)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.errors import Conflict, require
from privacy import audit
from privacy.models import AuditAction
from retention import registry as retention_registry
from verzuim import policies
from verzuim.deadlines import refresh_cases_of
from verzuim.models import WERKNEMER_DATA_FIELDS, Werknemer

from .common import log_change


def check_employment(data):
    """The dates of one employee's record together (the forms, the API and the staff-list sync)."""
    start, end = data.get("employment_start"), data.get("employment_end")
    if start and end and end < start:
        raise ValidationError({"employment_end": "De uitdienstdatum ligt vóór de indienstdatum."})
    birth = data.get("date_of_birth")
    if birth and start and birth >= start:
        raise ValidationError({"date_of_birth": "De geboortedatum ligt na de indienstdatum."})


def create_werknemer(*, by, organisation, request=None, **data) -> Werknemer:
    require(policies.can_manage_werknemers(by) and organisation.pk == by.organisation_id)
    check_employment(data)
    if Werknemer.objects.filter(
        organisation=organisation, personnel_number=data["personnel_number"]
    ).exists():
        raise ValidationError({"personnel_number": "Dit personeelsnummer bestaat al."})
    with transaction.atomic():
        werknemer = Werknemer.objects.create(organisation=organisation, **data)
        log_change(AuditAction.CREATE, werknemer, request, "werknemer aangemaakt", by=by)
    return werknemer


def update_werknemer(*, by, werknemer, version, request=None, **data) -> Werknemer:
    require(policies.can_manage_werknemers(by) and werknemer.organisation_id == by.organisation_id)
    merged = {f: data.get(f, getattr(werknemer, f)) for f in WERKNEMER_DATA_FIELDS}
    check_employment(merged)
    clash = Werknemer.objects.filter(
        organisation_id=werknemer.organisation_id, personnel_number=merged["personnel_number"]
    ).exclude(pk=werknemer.pk)
    if clash.exists():
        raise ValidationError({"personnel_number": "Dit personeelsnummer bestaat al."})
    with transaction.atomic():
        updated = Werknemer.objects.filter(pk=werknemer.pk, version=version).update(
            **{k: v for k, v in data.items() if k in WERKNEMER_DATA_FIELDS},
            version=version + 1,
            updated_at=timezone.now(),
        )
        if not updated:
            raise Conflict
        werknemer.refresh_from_db()
        log_change(AuditAction.UPDATE, werknemer, request, "werknemer gewijzigd", by=by)
        retention_registry.changed(werknemer)  # RT-1: employment end starts the clock
        # In the same transaction (RI-1, RI-11): the end of employment moves deadlines (the
        # ziek-uit-dienstmelding, not applicable after it).
        refresh_cases_of(werknemer)
    return werknemer


def end_employment(*, by, werknemer, end_date, request=None) -> Werknemer:
    return update_werknemer(
        by=by,
        werknemer=werknemer,
        version=werknemer.version,
        request=request,
        employment_end=end_date,
    )


def bulk_create_werknemers(rows, *, by, detail, request=None) -> list:
    """Many employees at once (the CSV import, the demo): what `post_save` and the per-row audit
    would do for each, done for all — the retention date (RT-1) and one audit entry each
    (SE-7). Inside the caller's transaction."""
    created = Werknemer.objects.bulk_create(rows)
    for werknemer in created:
        if werknemer.employment_end:  # bulk_create sends no post_save (RT-1)
            retention_registry.changed(werknemer)
    audit.record_many(
        [
            audit.Entry(
                AuditAction.CREATE,
                "verzuim.werknemer",
                [w.pk],
                subject=w.pseudonym,
                detail=detail,
            )
            for w in created
        ],
        request=request,
        actor=by,
    )
    return created
