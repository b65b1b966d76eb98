"""The plan van aanpak (RI-3): drawn up and saved in versions with optimistic locking, its
activities and evaluations (RI-1: an evaluation completes its Poortwachter deadline), and the
employee's response to the version they read."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.errors import Conflict, require
from medisch.public import released_advice_ids
from privacy.models import AuditAction
from reintegratie import notifications, policies
from reintegratie.models import (
    Activiteit,
    EmployeeResponse,
    Evaluatie,
    EvaluatieKind,
    PlanVanAanpak,
    PlanVersie,
)
from verzuim.actions import termijnen

from ._common import guard, log

PLAN_FIELDS = ["drawn_up_on", "casemanager", "spoor", "goals", "advies_ref"]
PLAN_KEY = "plan_van_aanpak"
EVALUATIE_KEY = "evaluatie_plan"
# RI-1: the Poortwachter step each kind of evaluation completes.
EVALUATION_KEYS = {
    EvaluatieKind.PERIODIEK: "evaluatie_plan",
    EvaluatieKind.EERSTEJAARS: "eerstejaarsevaluatie",
    EvaluatieKind.EINDEVALUATIE: "eindevaluatie",
}


def plan_snapshot(plan) -> dict:
    return {
        "version": plan.version,
        "drawn_up_on": plan.drawn_up_on.isoformat(),
        "casemanager": plan.casemanager,
        "spoor": plan.get_spoor_display(),
        "goals": plan.goals,
        "advies_ref": plan.advies_ref,
        "activiteiten": [
            {
                "description": a.description,
                "owner": a.get_owner_display(),
                "due_on": a.due_on.isoformat(),
                "done_on": a.done_on.isoformat() if a.done_on else None,
            }
            for a in plan.activiteiten.order_by("due_on", "pk")
        ],
    }


def _new_version(plan, by, summary):
    PlanVersie.objects.create(
        plan=plan, number=plan.version, snapshot=plan_snapshot(plan), saved_by=by, summary=summary
    )
    notifications.plan_version(plan)


def save_plan(*, by, ziekmelding, version, request=None, **data) -> PlanVanAanpak:
    """Create the case's plan (version 0 = new) or save a new version of it. A stale version
    raises Conflict: two people editing the same plan never overwrite each other silently."""
    require(policies.can_edit_plan(by, ziekmelding.organisation_id))
    data = {k: v for k, v in data.items() if k in PLAN_FIELDS}
    guard(data, ["goals", "casemanager"])
    if not (data.get("casemanager") or "").strip():
        raise ValidationError({"casemanager": "Noem de casemanager (verplicht bij het plan)."})
    werknemer = ziekmelding.werknemer
    advies_ref = data.get("advies_ref")
    if advies_ref and advies_ref not in released_advice_ids(ziekmelding.case_id):
        raise ValidationError(
            {"advies_ref": "Kies een vrijgegeven advies van de bedrijfsarts bij dit verzuim."}
        )
    with transaction.atomic():
        plan = PlanVanAanpak.objects.select_for_update().filter(case_id=ziekmelding.case_id).first()
        if plan is None:
            if version:
                raise Conflict
            plan = PlanVanAanpak.objects.create(
                case_id=ziekmelding.case_id,
                werknemer=werknemer,
                organisation_id=ziekmelding.organisation_id,
                created_by=by,
                **data,
            )
            _new_version(plan, by, "plan opgesteld")
            log(
                AuditAction.CREATE,
                plan,
                werknemer,
                "plan van aanpak opgesteld",
                by=by,
                request=request,
            )
            # RI-1: the plan completes its step, dated the day it was drawn up.
            termijnen.complete_by_document(
                by=by,
                case_id=ziekmelding.case_id,
                key=PLAN_KEY,
                completed_on=data["drawn_up_on"],
                proof=f"plan van aanpak, versie {plan.version}",
                field="drawn_up_on",
                request=request,
            )
            return plan
        if plan.version != version:
            raise Conflict
        for key, value in data.items():
            setattr(plan, key, value)
        plan.version += 1
        plan.save()
        _new_version(plan, by, "plan gewijzigd")
        log(
            AuditAction.UPDATE,
            plan,
            werknemer,
            f"plan van aanpak versie {plan.version}",
            by=by,
            request=request,
        )
    return plan


def _bump(plan, by, summary, request):
    PlanVanAanpak.objects.filter(pk=plan.pk).update(version=F("version") + 1)
    plan.refresh_from_db()
    _new_version(plan, by, summary)
    log(AuditAction.UPDATE, plan, plan.werknemer, summary, by=by, request=request)


def add_activity(*, by, plan, description, owner, due_on, request=None) -> Activiteit:
    require(policies.can_edit_plan(by, plan.organisation_id))
    guard({"description": description}, ["description"])
    with transaction.atomic():
        PlanVanAanpak.objects.select_for_update().get(pk=plan.pk)
        activity = Activiteit.objects.create(
            plan=plan, description=description, owner=owner, due_on=due_on
        )
        _bump(plan, by, "activiteit toegevoegd", request)
    return activity


def mark_activity_done(*, by, activity, done_on, request=None) -> Activiteit:
    plan = activity.plan
    require(policies.can_edit_plan(by, plan.organisation_id))
    with transaction.atomic():
        PlanVanAanpak.objects.select_for_update().get(pk=plan.pk)
        Activiteit.objects.filter(pk=activity.pk).update(done_on=done_on)
        activity.refresh_from_db()
        _bump(plan, by, "activiteit uitgevoerd", request)
    return activity


EVALUATION_DOCUMENT_FIELDS = ("activities_done", "result", "spoor_reason")


def record_evaluatie(
    *,
    by,
    plan,
    ziekmelding,
    kind,
    date,
    outcome,
    plan_adjusted=False,
    request=None,
    **document,
) -> Evaluatie:
    """RI-1: an evaluation of the plan completes the next open evaluation of the case (counted
    from the actual plan and each actual evaluation), or the eerstejaarsevaluatie or the
    eindevaluatie. `document`: what the eerstejaars- and eindevaluatie record for UWV (RI-12) —
    activities_done, result, spoor, spoor_reason, ad_onderzoek, ad_onderzoek_on."""
    require(policies.can_edit_plan(by, plan.organisation_id))
    require(ziekmelding.case_id == plan.case_id)
    unknown = set(document) - {
        *EVALUATION_DOCUMENT_FIELDS,
        "spoor",
        "ad_onderzoek",
        "ad_onderzoek_on",
    }
    require(not unknown)
    guard({"outcome": outcome, **document}, ["outcome", *EVALUATION_DOCUMENT_FIELDS])
    if document.get("ad_onderzoek_on") and not document.get("ad_onderzoek"):
        document["ad_onderzoek_on"] = None
    if document.get("ad_onderzoek") and not document.get("ad_onderzoek_on"):
        raise ValidationError(
            {"ad_onderzoek_on": "Vul de datum van het arbeidsdeskundig onderzoek in."}
        )
    if date > timezone.localdate():
        raise ValidationError({"date": "Een evaluatie ligt niet in de toekomst."})
    if date < plan.drawn_up_on:
        raise ValidationError(
            {"date": f"Een evaluatie ligt niet vóór het plan ({plan.drawn_up_on:%d-%m-%Y})."}
        )
    key = EVALUATION_KEYS[kind]
    with transaction.atomic():
        occurrence = termijnen.complete_by_document(
            by=by,
            case_id=ziekmelding.case_id,
            key=key,
            completed_on=date,
            proof=f"{EvaluatieKind(kind).label} van {date:%d-%m-%Y}",
            request=request,
        )
        if key != EVALUATIE_KEY:
            # The eerstejaars- and eindevaluatie evaluate the plan too: the 6-week count of
            # evaluations runs on from them (RI-1).
            termijnen.complete_by_document(
                by=by,
                case_id=ziekmelding.case_id,
                key=EVALUATIE_KEY,
                completed_on=date,
                proof=f"{EvaluatieKind(kind).label} van {date:%d-%m-%Y}",
                request=request,
            )
        evaluatie = Evaluatie.objects.create(
            plan=plan,
            kind=kind,
            date=date,
            outcome=outcome,
            plan_adjusted=plan_adjusted,
            **{name: value for name, value in document.items() if value is not None},
            deadline_key=key if occurrence else "",
            deadline_occurrence=occurrence,
            created_by=by,
        )
        log(
            AuditAction.CREATE,
            evaluatie,
            plan.werknemer,
            "evaluatie vastgelegd",
            by=by,
            request=request,
        )
    return evaluatie


def respond_to_plan(*, by, plan, version, agree: bool, remark="", request=None) -> PlanVanAanpak:
    """RI-3: the employee agrees with, or records disagreement with, the version they read."""
    require(policies.is_own_employee(by, plan.werknemer))
    remark = (remark or "").strip()
    if not agree and not remark:
        raise ValidationError({"remark": "Schrijf kort waarmee u het niet eens bent."})
    guard({"remark": remark}, ["remark"])
    with transaction.atomic():
        updated = PlanVanAanpak.objects.filter(pk=plan.pk, version=version).update(
            employee_response=EmployeeResponse.AGREED if agree else EmployeeResponse.DISAGREED,
            employee_remark=remark,
            employee_response_version=version,
            employee_responded_at=timezone.now(),
        )
        if not updated:
            raise Conflict
        plan.refresh_from_db()
        log(
            AuditAction.UPDATE,
            plan,
            plan.werknemer,
            f"werknemer: {plan.get_employee_response_display()} met versie {version}",
            by=by,
            request=request,
        )
    return plan
