"""Completing Poortwachter steps (RI-1, RI-11), and the records that move deadlines: Wazo leave
(ZM-5) and loonsanctie / voluntary extension (RI-1). Every write here refreshes the case's next
deadline in the same transaction (verzuim.deadlines.refresh_next_deadline) and is audited (SE-7).

Two ways a step is completed, as the table says (verzuim/poortwachter.toml, `completion`):

- "document": the document is recorded by the role that makes it - the probleemanalyse and the
  actueel oordeel by the bedrijfsarts (medisch), the plan van aanpak and its evaluations by
  employer and employee (reintegratie). Those actions call `complete_by_document`; no button on
  the employer's page can complete such a step.
- "step": the employer marks it done with the date it was done (not after today, not before the
  case) and what proves it (the UWV reference of a report, a document in the dossier), and
  confirms (`complete_step`). `undo_completion` undoes it with a reason; the row is kept.

A step can require more before it may be marked done: another app registers a check for its key
(`register_step_requirement`, from its AppConfig.ready) - re-integratie requires a complete
re-integratieverslag for the WIA application (RI-12) - so verzuim never imports that app.
"""

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.errors import require
from privacy.medical_guard import guard_fields
from privacy.models import AuditAction
from verzuim import deadlines, policies
from verzuim.models import (
    DeadlineCompletion,
    DeadlineSignal,
    ExtensionKind,
    Verlof,
    WachttijdVerlenging,
    Ziekmelding,
)
from verzuim.poortwachter import chain_periods, load_table, week_label

from .common import log_change

# Filing a ziekmelding in Verzuimkluis is the report to the arbodienst (RI-1, week 1).
REPORT_KEY = "ziekmelding_arbodienst"
FILING_PROOF = "ziekmelding vastgelegd in Verzuimkluis"

# step key -> checks(ziekmelding, today) -> list of what is still lacking (Dutch, for the user).
_step_requirements: dict[str, list] = {}


def register_step_requirement(key, check) -> None:
    """Make `complete_step` of row `key` refuse while `check(ziekmelding, today)` returns
    anything: the list is shown at the confirmation field. Registered by the app that knows what
    the step needs (reintegratie.apps: the WIA application needs a complete verslag, RI-12)."""
    if key not in {row.key for row in load_table()}:
        raise ValueError(f"no Poortwachter row {key!r} to add a requirement to")
    checks = _step_requirements.setdefault(key, [])
    if check not in checks:
        checks.append(check)


def _lacking(ziekmelding, key, today) -> list[str]:
    return [item for check in _step_requirements.get(key, ()) for item in check(ziekmelding, today)]


def _row(key):
    rows = {row.key: row for row in load_table()}
    if key not in rows:
        raise ValidationError({"key": "Onbekende Poortwachter-stap."})
    return rows[key]


def _case_start(case_id) -> date:
    return (
        Ziekmelding.objects.filter(case_id=case_id)
        .order_by("first_day")
        .values_list("first_day", flat=True)
        .first()
    )


def _check_date(case_id, completed_on, field, today) -> None:
    """RI-1: the date a step was done - not after today, not before the case."""
    if completed_on is None:
        raise ValidationError({field: "Vul de datum in waarop de stap is uitgevoerd."})
    if completed_on > today:
        raise ValidationError({field: "De datum kan niet in de toekomst liggen."})
    start = _case_start(case_id)
    if start and completed_on < start:
        raise ValidationError(
            {field: f"De datum ligt vóór de eerste verzuimdag ({start:%d-%m-%Y})."}
        )


def _latest_period(case_id) -> Ziekmelding:
    return (
        Ziekmelding.objects.filter(case_id=case_id)
        .select_related("werknemer")
        .order_by("-first_day")
        .first()
    )


def _record(*, by, zm, key, occurrence, completed_on, proof, request):
    completion = DeadlineCompletion.objects.create(
        case_id=zm.case_id,
        key=key,
        occurrence=occurrence,
        completed_on=completed_on,
        completed_by=by,
        proof=proof,
    )
    log_change(
        AuditAction.UPDATE,
        zm,
        request,
        f"termijn afgerond: {week_label(key)} #{occurrence} (uitgevoerd op "
        f"{completed_on:%d-%m-%Y})",
        by=by,
    )
    deadlines.refresh_next_deadline(zm)
    return completion


def record_filing(*, by, zm, today) -> None:
    """RI-1, week 1: filing the ziekmelding here is the report to the arbodienst."""
    _record(
        by=by,
        zm=zm,
        key=REPORT_KEY,
        occurrence=1,
        completed_on=today,
        proof=FILING_PROOF,
        request=None,
    )


def _open_occurrence(zm, key, today):
    for deadline in deadlines.deadlines_for(zm, today=today):
        if deadline.key == key and deadline.state not in ("done", "not_applicable"):
            return deadline.occurrence
    return None


def complete_by_document(
    *, by, case_id, key, completed_on, proof, field="date", request=None, today=None
) -> int | None:
    """RI-1: a document completes its step. The caller (the action that records the document)
    has checked its own policy. A one-off step already done, or a recurring one with no open
    occurrence, is left as it is (None); else the occurrence completed. Runs inside the caller's
    transaction."""
    row = _row(key)
    if not row.completed_by_document:
        raise ValueError(f"{key} is not completed by a document")
    today = today or timezone.localdate()
    _check_date(case_id, completed_on, field, today)
    zm = _latest_period(case_id)
    if zm is None:
        return None
    occurrence = _open_occurrence(zm, key, today)
    if occurrence is None:
        return None
    with transaction.atomic():
        _record(
            by=by,
            zm=zm,
            key=key,
            occurrence=occurrence,
            completed_on=completed_on,
            proof=proof,
            request=request,
        )
    return occurrence


def complete_step(
    *,
    by,
    ziekmelding,
    key,
    occurrence,
    completed_on,
    proof,
    confirmed,
    request=None,
    today=None,
) -> DeadlineCompletion:
    """RI-1, RI-11: the employer marks a step done - the date it was done, what proves it, and
    a confirmation. Only a "step" row that is due for this case; a document's step is completed
    by recording the document."""
    require(policies.can_file_ziekmelding(by) and ziekmelding.organisation_id == by.organisation_id)
    row = _row(key)
    if row.completed_by_document:
        raise ValidationError(
            {"key": f"Deze stap wordt afgerond door {row.document} vast te leggen."}
        )
    if not row.completed_as_step:
        raise ValidationError({"key": "Deze stap hoeft niemand af te ronden."})
    today = today or timezone.localdate()
    current = {(d.key, d.occurrence): d for d in deadlines.deadlines_for(ziekmelding, today=today)}
    deadline = current.get((key, occurrence))
    if deadline is None or deadline.state == "not_applicable":
        raise ValidationError({"key": "Deze stap is voor dit verzuim niet aan de orde."})
    if deadline.state == "done":
        raise ValidationError({"key": "Deze stap is al afgerond."})
    errors = {}
    proof = (proof or "").strip()
    if not proof:
        errors["proof"] = [f"Geef aan wat de uitvoering aantoont: {row.proof}."]
    if not confirmed:
        errors["confirmed"] = ["Bevestig dat deze stap is uitgevoerd."]
    try:
        _check_date(ziekmelding.case_id, completed_on, "completed_on", today)
    except ValidationError as error:
        errors.update(error.message_dict)
    lacking = _lacking(ziekmelding, key, today)
    if lacking:
        errors.setdefault("confirmed", []).append(
            f"{row.label[:1].upper()}{row.label[1:]} kan nog niet als gedaan worden vastgelegd. "
            "Nog nodig: " + "; ".join(lacking) + "."
        )
    if errors:
        raise ValidationError(errors)
    guard_fields({"proof": proof}, ["proof"])  # ZM-3: free text the employer side reads
    with transaction.atomic():
        return _record(
            by=by,
            zm=ziekmelding,
            key=key,
            occurrence=occurrence,
            completed_on=completed_on,
            proof=proof,
            request=request,
        )


def undo_completion(*, by, ziekmelding, key, occurrence, reason, request=None) -> bool:
    """RI-1: a step marked done by mistake is undone with a reason; the completion is kept with
    who undid it, when and why, and the deadline is open again."""
    require(policies.can_file_ziekmelding(by) and ziekmelding.organisation_id == by.organisation_id)
    row = _row(key)
    if not row.completed_as_step:
        raise ValidationError(
            {"key": f"Deze stap volgt uit {row.document}; die kan hier niet ongedaan worden."}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Geef de reden waarom de afronding niet klopt."})
    guard_fields({"reason": reason}, ["reason"])  # ZM-3
    with transaction.atomic():
        updated = (
            deadlines.active_completions()
            .filter(case_id=ziekmelding.case_id, key=key, occurrence=occurrence)
            .update(undone_at=timezone.now(), undone_by=by, undo_reason=reason[:300])
        )
        if not updated:
            raise ValidationError({"key": "Deze stap is niet (meer) afgerond."})
        log_change(
            AuditAction.UPDATE,
            ziekmelding,
            request,
            f"afronding ongedaan gemaakt: {week_label(key)} #{occurrence}",
            by=by,
        )
        deadlines.refresh_next_deadline(ziekmelding)
    return True


def record_verlof(*, by, werknemer, start, end, request=None) -> Verlof:
    """ZM-5: pregnancy and birth leave (Wazo). Sick periods directly around it are joined into
    one case unless the bedrijfsarts says the cause differs."""
    require(policies.can_file_ziekmelding(by) and werknemer.organisation_id == by.organisation_id)
    if start is None or end is None or end < start:
        raise ValidationError({"end": "De laatste verlofdag ligt vóór de eerste."})
    if werknemer.verloven.filter(start__lte=end, end__gte=start).exists():
        raise ValidationError({"start": "Dit verlof overlapt een eerder vastgelegd verlof."})
    with transaction.atomic():
        verlof = Verlof.objects.create(werknemer=werknemer, start=start, end=end, created_by=by)
        log_change(
            AuditAction.CREATE, werknemer, request, "zwangerschaps- en bevallingsverlof", by=by
        )
        rechain(werknemer)
    return verlof


def rechain(werknemer) -> None:
    """ZM-5: give every sick period of the employee the case it belongs to under samentelling
    (fewer than 28 days apart, or joined around a Wazo leave), and refresh every case's next
    deadline. Called when a leave or the doctor's same-cause judgement changes which periods
    are joined. A case keeps the id of its first period; a period split off into a case of its
    own gets a new id, and its filing is that case's report to the arbodienst (RI-1, week 1)."""
    periods = list(Ziekmelding.objects.filter(werknemer=werknemer).order_by("first_day"))
    before = {zm.case_id for zm in periods}
    leaves = deadlines.leaves_of([werknemer.pk]).get(werknemer.pk, [])
    by_start = {zm.first_day: zm for zm in periods}
    taken = set()
    for chain in chain_periods(deadlines.periods_of(periods), leaves):
        members = [by_start[p.start] for p in chain]
        first = members[0]
        case_id = first.case_id
        if case_id in taken:  # split off from the case before it
            case_id = uuid.uuid4()
            DeadlineCompletion.objects.create(
                case_id=case_id,
                key=REPORT_KEY,
                occurrence=1,
                completed_on=timezone.localdate(first.created_at),
                completed_by_id=first.created_by_id,
                proof=FILING_PROOF,
            )
        taken.add(case_id)
        stale = [zm for zm in members if zm.case_id != case_id]
        if stale:
            Ziekmelding.objects.filter(pk__in=[zm.pk for zm in stale]).update(case_id=case_id)
            for gone in {zm.case_id for zm in stale} & before:
                if not Ziekmelding.objects.filter(case_id=gone).exists():
                    _merge_case_records(gone, case_id)
    for case_id in taken:
        zm = Ziekmelding.objects.filter(case_id=case_id).first()
        deadlines.refresh_next_deadline(zm)


def _merge_case_records(gone, into) -> None:
    """A case joined into another (ZM-5) leaves no orphan records a purge would never reach
    (RT-6): its completions, signals and extensions move to the surviving case; a completion
    the surviving case already has for the same step is dropped."""
    have = set(deadlines.active_completions().filter(case_id=into).values_list("key", "occurrence"))
    for completion in DeadlineCompletion.objects.filter(case_id=gone):
        if completion.undone_at is None and (completion.key, completion.occurrence) in have:
            completion.delete()
        else:
            DeadlineCompletion.objects.filter(pk=completion.pk).update(case_id=into)
    DeadlineSignal.objects.filter(case_id=gone).delete()  # signals of a case that is no more
    WachttijdVerlenging.objects.filter(case_id=gone).update(case_id=into)


def record_verlenging(
    *, by, ziekmelding, kind, decided_on, start, end, reference, request=None
) -> WachttijdVerlenging:
    """RI-1: a loonsanctie UWV imposed or a voluntary extension of the wage payment, with its
    dates; it moves the einde wachttijd of the case."""
    require(policies.can_file_ziekmelding(by) and ziekmelding.organisation_id == by.organisation_id)
    errors = {}
    if kind not in ExtensionKind.values:
        errors["kind"] = ["Kies loonsanctie of vrijwillige verlenging."]
    for name, value in (("decided_on", decided_on), ("start", start), ("end", end)):
        if value is None:
            errors[name] = ["Vul deze datum in."]
    if start and end and end < start:
        errors["end"] = ["De einddatum ligt vóór de ingangsdatum."]
    if kind == "loonsanctie" and start and end and (end - start).days + 1 > 52 * 7:
        errors["end"] = ["Een loonsanctie duurt ten hoogste 52 weken (art. 25 lid 9 WIA)."]
    if decided_on and decided_on > timezone.localdate():
        errors["decided_on"] = ["De datum van het besluit kan niet in de toekomst liggen."]
    if not (reference or "").strip():
        errors["reference"] = ["Vul het kenmerk van de beschikking of de afspraak in."]
    if errors:
        raise ValidationError(errors)
    guard_fields({"reference": reference}, ["reference"])  # ZM-3
    with transaction.atomic():
        ext = WachttijdVerlenging.objects.create(
            case_id=ziekmelding.case_id,
            kind=kind,
            decided_on=decided_on,
            start=start,
            end=end,
            reference=reference.strip(),
            created_by=by,
        )
        log_change(AuditAction.CREATE, ziekmelding, request, f"{ext.get_kind_display()}", by=by)
        deadlines.refresh_next_deadline(ziekmelding)
    return ext
