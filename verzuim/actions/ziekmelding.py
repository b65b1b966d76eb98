"""Ziekmeldingen: file one (ZM-1, samentelling ZM-5), change it, record a (partial) recovery
(herstel, ZM-5). Atomic and audited (SE-7); a stale save raises Conflict (optimistic locking).
Completing Poortwachter steps is verzuim.actions.termijnen."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import notifications
from accounts.errors import Conflict, require
from privacy.medical_guard import guard_fields
from privacy.models import AuditAction
from retention import registry as retention_registry
from verzuim import deadlines, policies
from verzuim.deadlines import refresh_next_deadline
from verzuim.models import (
    ZIEKMELDING_ZM1_FIELDS,
    HerstelKind,
    Herstelmelding,
    Ziekmelding,
)
from verzuim.poortwachter import Period, chain_periods

from . import termijnen
from .common import log_change

ZIEKMELDING_EDITABLE = [f for f in ZIEKMELDING_ZM1_FIELDS if f != "first_day"]


def _continues(werknemer, previous, first_day) -> bool:
    """ZM-5: the new period joins the previous one's case - fewer than 28 healthy days between
    them, or directly around a Wazo leave the bedrijfsarts has not split."""
    if previous is None:
        return False
    leaves = deadlines.leaves_of([werknemer.pk]).get(werknemer.pk, [])
    periods = deadlines.periods_of([previous]) + [Period(first_day)]
    return len(chain_periods(periods, leaves)) == 1


def _validate_first_day(werknemer, first_day, *, today):
    if first_day > today:
        raise ValidationError({"first_day": "De eerste verzuimdag kan niet in de toekomst liggen."})
    if first_day < werknemer.employment_start:
        raise ValidationError(
            {
                "first_day": "De eerste verzuimdag ligt vóór de indienstdatum "
                f"({werknemer.employment_start:%d-%m-%Y})."
            }
        )
    if werknemer.employment_end and first_day > werknemer.employment_end:
        raise ValidationError({"first_day": "De werknemer is op die dag niet meer in dienst."})


def create_ziekmelding(*, by, werknemer, request=None, today=None, **data) -> Ziekmelding:
    """File a ziekmelding with exactly the ZM-1 items. A report within 28 days of the previous
    full recovery continues that case (samentelling, ZM-5)."""
    require(policies.can_file_ziekmelding(by) and werknemer.organisation_id == by.organisation_id)
    guard_fields(data, ["lopende_afspraken"])  # ZM-3, for every entry point
    today = today or timezone.localdate()
    unknown = set(data) - set(ZIEKMELDING_ZM1_FIELDS)
    if unknown:  # ZM-2: nothing beyond the ZM-1 items can be stored
        raise ValidationError(f"Onbekende velden: {', '.join(sorted(unknown))}")
    _validate_first_day(werknemer, data["first_day"], today=today)
    if werknemer.ziekmeldingen.filter(recovered_on__isnull=True).exists():
        raise ValidationError(
            {"first_day": "Deze werknemer heeft al een open ziekmelding; meld eerst herstel."}
        )
    previous = (
        werknemer.ziekmeldingen.filter(recovered_on__isnull=False).order_by("-recovered_on").first()
    )
    if previous and data["first_day"] < previous.recovered_on:
        raise ValidationError(
            {"first_day": "De eerste verzuimdag valt in een eerdere verzuimperiode."}
        )
    zm = Ziekmelding(
        werknemer=werknemer, organisation_id=werknemer.organisation_id, created_by=by, **data
    )
    continues = _continues(werknemer, previous, data["first_day"])
    if continues:
        zm.case_id = previous.case_id
    zm.full_clean(exclude=["werknemer", "organisation", "created_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            zm.save()
            if not continues:
                # Filing here is the report to the arbodienst (RI-1, week 1).
                termijnen.record_filing(by=by, zm=zm, today=today)
            log_change(
                AuditAction.CREATE,
                zm,
                request,
                "ziekmelding (samentelling)" if continues else "ziekmelding",
                by=by,
            )
            # In the same transaction: a report is never committed without its next deadline.
            refresh_next_deadline(zm, today=today)
            # The doctors serving the employer; no name in it (e-mail: nothing of the case).
            notifications.notify(
                notifications.doctors_serving(zm.organisation_id),
                kind=notifications.Kind.ZIEKMELDING,
                key=f"ziekmelding:{zm.pk}",
                text=f"Nieuwe verzuimmelding bij {werknemer.organisation.name}, eerste "
                f"verzuimdag {zm.first_day:%d-%m-%Y}.",
                link=reverse("medisch:index"),
            )
    except IntegrityError as error:  # a concurrent second report
        raise ValidationError(
            {"first_day": "Deze werknemer heeft al een open ziekmelding."}
        ) from error
    zm.refresh_from_db()
    return zm


def update_ziekmelding(*, by, ziekmelding, version, request=None, **data) -> Ziekmelding:
    require(policies.can_file_ziekmelding(by) and ziekmelding.organisation_id == by.organisation_id)
    guard_fields(data, ["lopende_afspraken"])  # ZM-3, for every entry point
    unknown = set(data) - set(ZIEKMELDING_EDITABLE)
    if unknown:
        raise ValidationError(
            f"Deze velden kunnen niet worden gewijzigd: {', '.join(sorted(unknown))}"
        )
    for field, value in data.items():
        setattr(ziekmelding, field, value)
    ziekmelding.full_clean(
        exclude=["werknemer", "organisation", "created_by"], validate_constraints=False
    )
    with transaction.atomic():
        updated = Ziekmelding.objects.filter(pk=ziekmelding.pk, version=version).update(
            **data, version=version + 1, updated_at=timezone.now()
        )
        if not updated:
            raise Conflict
        log_change(AuditAction.UPDATE, ziekmelding, request, "ziekmelding gewijzigd", by=by)
        ziekmelding.refresh_from_db()
        # RI-1, RI-11: "vangnet" adds or removes the Ziektewet reports; the stored next deadline
        # follows in the same transaction (one source for every page, list and the API).
        refresh_next_deadline(ziekmelding)
    ziekmelding.refresh_from_db()
    return ziekmelding


def record_herstel(
    *, by, ziekmelding, kind, date: date, absence_percentage=0, request=None, today=None
) -> Herstelmelding:
    """ZM-5: full recovery closes the case period; partial recovery keeps it open at the new
    (lower) percentage; "hersteld in aangepast of passend werk" keeps it open too (working all
    hours, not yet in the own job: the 104-week clock keeps running)."""
    require(policies.can_file_ziekmelding(by) and ziekmelding.organisation_id == by.organisation_id)
    today = today or timezone.localdate()
    if not ziekmelding.is_open:
        raise ValidationError({"date": "Deze ziekmelding is al afgesloten."})
    if date <= ziekmelding.first_day:
        raise ValidationError(
            {
                "date": "De hersteldatum moet na de eerste verzuimdag liggen "
                f"({ziekmelding.first_day:%d-%m-%Y})."
            }
        )
    if date > today:
        raise ValidationError({"date": "De hersteldatum kan niet in de toekomst liggen."})
    last = ziekmelding.herstelmeldingen.order_by("-date").first()
    if last and date < last.date:
        raise ValidationError({"date": "De hersteldatum ligt vóór een eerdere herstelmelding."})
    if kind in (HerstelKind.VOLLEDIG, HerstelKind.AANGEPAST_WERK):
        absence_percentage = 0
    elif not (1 <= (absence_percentage or 0) <= 99):
        raise ValidationError(
            {
                "absence_percentage": "Geef bij gedeeltelijk herstel het "
                "resterende verzuimpercentage (1–99)."
            }
        )
    with transaction.atomic():
        herstel = Herstelmelding.objects.create(
            ziekmelding=ziekmelding,
            kind=kind,
            date=date,
            absence_percentage=absence_percentage,
            created_by=by,
        )
        if kind == HerstelKind.VOLLEDIG:
            Ziekmelding.objects.filter(pk=ziekmelding.pk).update(
                recovered_on=date, version=ziekmelding.version + 1, updated_at=timezone.now()
            )
        elif kind == HerstelKind.AANGEPAST_WERK:
            Ziekmelding.objects.filter(pk=ziekmelding.pk).update(
                adapted_work_since=date, version=ziekmelding.version + 1, updated_at=timezone.now()
            )
        else:
            # A partial recovery after adapted work: the new percentage is what holds now.
            Ziekmelding.objects.filter(pk=ziekmelding.pk).update(
                percentage=absence_percentage,
                adapted_work_since=None,
                version=ziekmelding.version + 1,
                updated_at=timezone.now(),
            )
        log_change(AuditAction.UPDATE, ziekmelding, request, f"herstelmelding ({kind})", by=by)
        # In the same transaction: a recovery is never committed with a stale next deadline or
        # retention date (the purge selects on the stored date: one left from the open case
        # would keep the record past its term, RT-6).
        ziekmelding.refresh_from_db()
        refresh_next_deadline(ziekmelding, today=today)
        retention_registry.changed(ziekmelding)  # RT-1/2/3: the end of the absence starts clocks
    return herstel
