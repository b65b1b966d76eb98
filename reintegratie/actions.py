"""State changes of re-integration: every write goes through here — checked, atomic, audited
(SE-7), with its outgoing data flows recorded with their legal basis (RI-9). Pages and API call
the same functions.

Validation raises django ValidationError with field names (forms show it at the field, the API
answers 400). A stale save of a plan raises Conflict (accounts.errors; optimistic locking, 409 in
the API).
Free text the employer side reads is checked by the ZM-3 guard.
"""

from dataclasses import asdict
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

# Conflict is also read as reintegratie.actions.Conflict (views, tests).
from accounts.errors import Conflict
from accounts.roles import OrganisationKind, Role
from medisch.public import (
    released_advice,
    released_advice_ids,
    send_trajectory_note_to_doctor,
)
from privacy import audit, flows
from privacy.actions import toestemming
from privacy.medical_guard import validate_no_medical_terms
from privacy.models import AuditAction, ConsentKind, LegalBasis, Recipient
from verzuim import actions as verzuim_actions
from verzuim import deadlines as verzuim_deadlines

from . import policies
from .models import (
    Activiteit,
    CommissionerKind,
    Correspondentie,
    DataItem,
    EmployeeResponse,
    Evaluatie,
    EvaluatieKind,
    Factuur,
    Machtiging,
    MachtigingStatus,
    PlanVanAanpak,
    PlanVersie,
    Reintegratieverslag,
    ReportStatus,
    Trajectory,
    TrajectoryStaff,
    TrajectoryStatus,
    Voortgangsrapportage,
)

PLAN_FIELDS = ["drawn_up_on", "casemanager", "spoor", "goals", "advies_ref"]
PLAN_KEY = "plan_van_aanpak"
EVALUATIE_KEY = "evaluatie_plan"
EERSTEJAARS_KEY = "eerstejaarsevaluatie"
REPORT_TEXT_FIELDS = ("cooperation_explanation", "progress", "next_steps")

MACHTIGING_TEXT_VERSION = "2026-11"
MACHTIGING_TEXT = (
    "Ik geef {requester} toestemming om bij {party} de volgende gegevens over mij op te vragen: "
    "{data}. Het doel is: {purpose}. Deze toestemming geldt van {start} tot en met {end}. "
    "Ik ben niet verplicht deze toestemming te geven; weigeren heeft geen nadelige gevolgen "
    "voor mij. Ik kan haar op elk moment intrekken, waarna er niets meer mag worden opgevraagd. "
    "Mijn werkgever krijgt deze gegevens niet."
)


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _log(action, obj, werknemer, detail, *, by, request=None):
    audit.record(
        action,
        f"reintegratie.{type(obj).__name__.lower()}",
        [obj.pk],
        subject=werknemer.pseudonym,
        detail=detail,
        request=request,
        actor=by,
    )


def _guard(data: dict, fields) -> None:
    """ZM-3 for every employer-readable free-text field, errors at the field."""
    errors = {}
    for name in fields:
        try:
            validate_no_medical_terms(data.get(name))
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)


# --- Plan van aanpak (RI-3) -----------------------------------------------------------------------


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


def save_plan(*, by, ziekmelding, version, request=None, **data) -> PlanVanAanpak:
    """Create the case's plan (version 0 = new) or save a new version of it. A stale version
    raises Conflict: two people editing the same plan never overwrite each other silently."""
    _require(policies.can_edit_plan(by, ziekmelding.organisation_id))
    data = {k: v for k, v in data.items() if k in PLAN_FIELDS}
    _guard(data, ["goals", "casemanager"])
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
            _log(
                AuditAction.CREATE,
                plan,
                werknemer,
                "plan van aanpak opgesteld",
                by=by,
                request=request,
            )
            verzuim_actions.complete_deadline(
                by=by,
                ziekmelding=ziekmelding,
                key=PLAN_KEY,
                completed_on=data["drawn_up_on"],
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
        _log(
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
    _log(AuditAction.UPDATE, plan, plan.werknemer, summary, by=by, request=request)


def add_activity(*, by, plan, description, owner, due_on, request=None) -> Activiteit:
    _require(policies.can_edit_plan(by, plan.organisation_id))
    _guard({"description": description}, ["description"])
    with transaction.atomic():
        PlanVanAanpak.objects.select_for_update().get(pk=plan.pk)
        activity = Activiteit.objects.create(
            plan=plan, description=description, owner=owner, due_on=due_on
        )
        _bump(plan, by, "activiteit toegevoegd", request)
    return activity


def mark_activity_done(*, by, activity, done_on, request=None) -> Activiteit:
    plan = activity.plan
    _require(policies.can_edit_plan(by, plan.organisation_id))
    with transaction.atomic():
        PlanVanAanpak.objects.select_for_update().get(pk=plan.pk)
        Activiteit.objects.filter(pk=activity.pk).update(done_on=done_on)
        activity.refresh_from_db()
        _bump(plan, by, "activiteit uitgevoerd", request)
    return activity


def _open_occurrence(ziekmelding, key):
    for deadline in verzuim_deadlines.deadlines_for(ziekmelding):
        if deadline.key == key and deadline.state not in ("done", "not_applicable"):
            return deadline.occurrence
    return None


def record_evaluatie(
    *, by, plan, ziekmelding, kind, date, outcome, plan_adjusted=False, request=None
) -> Evaluatie:
    """RI-1: an evaluation of the plan completes the next open evaluation deadline (or the
    eerstejaarsevaluatie) of the case."""
    _require(policies.can_edit_plan(by, plan.organisation_id))
    _require(ziekmelding.case_id == plan.case_id)
    _guard({"outcome": outcome}, ["outcome"])
    if date > timezone.localdate():
        raise ValidationError({"date": "Een evaluatie ligt niet in de toekomst."})
    key = EERSTEJAARS_KEY if kind == EvaluatieKind.EERSTEJAARS else EVALUATIE_KEY
    occurrence = _open_occurrence(ziekmelding, key)
    with transaction.atomic():
        evaluatie = Evaluatie.objects.create(
            plan=plan,
            kind=kind,
            date=date,
            outcome=outcome,
            plan_adjusted=plan_adjusted,
            deadline_key=key if occurrence else "",
            deadline_occurrence=occurrence,
            created_by=by,
        )
        _log(
            AuditAction.CREATE,
            evaluatie,
            plan.werknemer,
            "evaluatie vastgelegd",
            by=by,
            request=request,
        )
        if occurrence:
            verzuim_actions.complete_deadline(
                by=by,
                ziekmelding=ziekmelding,
                key=key,
                occurrence=occurrence,
                completed_on=date,
                request=request,
            )
    return evaluatie


def respond_to_plan(*, by, plan, version, agree: bool, remark="", request=None) -> PlanVanAanpak:
    """RI-3: the employee agrees with, or records disagreement with, the version they read."""
    _require(by.role == Role.WERKNEMER and plan.werknemer.user_id == by.pk)
    remark = (remark or "").strip()
    if not agree and not remark:
        raise ValidationError({"remark": "Schrijf kort waarmee u het niet eens bent."})
    _guard({"remark": remark}, ["remark"])
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
        _log(
            AuditAction.UPDATE,
            plan,
            plan.werknemer,
            f"werknemer: {plan.get_employee_response_display()} met versie {version}",
            by=by,
            request=request,
        )
    return plan


# --- Re-integratiedossier and -verslag (RI-4) -----------------------------------------------------


def add_correspondentie(*, by, ziekmelding, request=None, **data) -> Correspondentie:
    _require(policies.can_keep_dossier(by, ziekmelding.organisation_id))
    _guard(data, ["subject", "summary"])
    with transaction.atomic():
        item = Correspondentie.objects.create(
            case_id=ziekmelding.case_id,
            werknemer=ziekmelding.werknemer,
            organisation_id=ziekmelding.organisation_id,
            created_by=by,
            **data,
        )
        _log(
            AuditAction.CREATE,
            item,
            ziekmelding.werknemer,
            "correspondentie vastgelegd",
            by=by,
            request=request,
        )
    return item


def dossier_contents(ziekmelding, *, request=None) -> dict:
    """RI-4: the case's whole history for HR — and nothing medical (only the released advice,
    MD-5, which medisch/public.py gives out)."""
    from verzuim.models import Ziekmelding

    werknemer = ziekmelding.werknemer
    plan = PlanVanAanpak.objects.filter(case_id=ziekmelding.case_id).first()
    trajectories = list(
        Trajectory.objects.filter(case_id=ziekmelding.case_id).select_related("provider")
    )
    return {
        "werknemer": werknemer,
        "periods": list(
            Ziekmelding.objects.filter(case_id=ziekmelding.case_id).order_by("first_day")
        ),
        "adviezen": released_advice(
            ziekmelding.case_id, subject=werknemer.pseudonym, request=request
        ),
        "plan": plan,
        "versies": list(plan.versies.all()) if plan else [],
        "activiteiten": list(plan.activiteiten.all()) if plan else [],
        "evaluaties": list(plan.evaluaties.all()) if plan else [],
        "trajecten": [(t, list(t.reports.filter(released_at__isnull=False))) for t in trajectories],
        "correspondentie": list(Correspondentie.objects.filter(case_id=ziekmelding.case_id)),
        "deadlines": verzuim_deadlines.deadlines_for(ziekmelding),
    }


def _verslag_snapshot(contents) -> dict:
    werknemer = contents["werknemer"]
    plan = contents["plan"]
    return {
        "werknemer": {
            "naam": werknemer.full_name,
            "personeelsnummer": werknemer.personnel_number,
            "geboortedatum": werknemer.date_of_birth.isoformat(),
            "afdeling": werknemer.department,
        },
        "perioden": [
            {
                "eerste_verzuimdag": zm.first_day.isoformat(),
                "percentage": zm.percentage,
                "hersteld_per": zm.recovered_on.isoformat() if zm.recovered_on else None,
            }
            for zm in contents["periods"]
        ],
        "adviezen": [
            {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(a).items()}
            for a in contents["adviezen"]
        ],
        "plan": plan_snapshot(plan) if plan else None,
        "evaluaties": [
            {
                "soort": e.get_kind_display(),
                "datum": e.date.isoformat(),
                "uitkomst": e.outcome,
                "plan_bijgesteld": e.plan_adjusted,
            }
            for e in contents["evaluaties"]
        ],
        "trajecten": [
            {
                "soort": t.get_category_display(),
                "bedrijf": t.provider.name,
                "start": t.start_on.isoformat(),
                "einde": t.end_on.isoformat() if t.end_on else None,
                "status": t.get_status_display(),
                "rapportages": [
                    {
                        "tot_en_met": r.period_end.isoformat(),
                        "aanwezigheid": r.get_attendance_display(),
                        "meewerken": r.cooperating,
                        "toelichting": r.cooperation_explanation,
                        "voortgang": r.progress,
                        "volgende_stappen": r.next_steps,
                    }
                    for r in reports
                ],
            }
            for t, reports in contents["trajecten"]
        ],
        "correspondentie": [
            {
                "datum": c.date.isoformat(),
                "soort": c.get_direction_display(),
                "met": c.party,
                "onderwerp": c.subject,
                "samenvatting": c.summary,
            }
            for c in contents["correspondentie"]
        ],
        "termijnen": [
            {
                "moment": d.label,
                "datum": d.due.isoformat() if d.due else None,
                "status": d.state,
                "afgerond_op": d.completed_on.isoformat() if d.completed_on else None,
            }
            for d in contents["deadlines"]
        ],
    }


def generate_verslag(*, by, ziekmelding, request=None) -> Reintegratieverslag:
    """RI-4: the employer's part of the re-integratieverslag, generated from the dossier."""
    _require(policies.can_keep_dossier(by, ziekmelding.organisation_id))
    contents = dossier_contents(ziekmelding, request=request)
    with transaction.atomic():
        verslag = Reintegratieverslag.objects.create(
            case_id=ziekmelding.case_id,
            werknemer=ziekmelding.werknemer,
            organisation_id=ziekmelding.organisation_id,
            snapshot=_verslag_snapshot(contents),
            generated_by=by,
        )
        _log(
            AuditAction.CREATE,
            verslag,
            ziekmelding.werknemer,
            "re-integratieverslag (deel werkgever) opgesteld",
            by=by,
            request=request,
        )
    return verslag


def give_verslag(*, by, verslag, request=None) -> bool:
    """RI-4: the employee receives a copy of the employer's part."""
    _require(policies.can_keep_dossier(by, verslag.organisation_id))
    with transaction.atomic():
        given = Reintegratieverslag.objects.filter(
            pk=verslag.pk, given_to_employee_at__isnull=True
        ).update(given_to_employee_at=timezone.now())
        if not given:
            return False
        verslag.refresh_from_db()
        _log(
            AuditAction.UPDATE,
            verslag,
            verslag.werknemer,
            "kopie re-integratieverslag aan werknemer",
            by=by,
            request=request,
        )
        flows.record_flow(
            kind="re-integratieverslag (deel werkgever), kopie",
            recipient=Recipient.WERKNEMER,
            legal_basis=LegalBasis.POORTWACHTER,
            object_type="reintegratie.reintegratieverslag",
            object_id=verslag.pk,
            subject=verslag.werknemer.pseudonym,
            actor=by,
        )
    return True


# --- Trajectories (RI-5..8, RI-10) ----------------------------------------------------------------


def _check_commission(provider, consultant, category_items, data_items, allowed_items):
    errors = {}
    if provider is None or provider.kind != OrganisationKind.REINTEGRATIEBEDRIJF:
        errors["provider"] = "Kies een re-integratiebedrijf."
    if (
        consultant is None
        or consultant.role != Role.CONSULTANT
        or not consultant.is_active
        or provider is None
        or consultant.organisation_id != provider.pk
    ):
        errors["consultant"] = "Kies een consultant van dit re-integratiebedrijf."
    unknown = set(data_items) - set(allowed_items)
    if unknown:
        errors["data_items"] = "Deze gegevens mogen niet worden meegegeven."
    if not data_items:
        errors["data_items"] = "Kies welke gegevens het traject nodig heeft."
    if errors:
        raise ValidationError(errors)


def _create_trajectory(*, by, kind, werknemer, case_id, organisation_id, parent, **data):
    consultant = data.pop("consultant")
    trajectory = Trajectory.objects.create(
        case_id=case_id,
        werknemer=werknemer,
        organisation_id=organisation_id,
        commissioner_kind=kind,
        commissioned_by=by,
        parent=parent,
        client_number=Trajectory.new_client_number(),
        **data,
    )
    TrajectoryStaff.objects.create(
        trajectory=trajectory, user=consultant, function=policies.CONSULTANT, assigned_by=by
    )
    return trajectory


def commission_trajectory(
    *, by, ziekmelding, provider, consultant, category, data_items, start_on, request=None
) -> Trajectory:
    """RI-10: the aanmelding. The employer or the doctor picks the company, its handling
    consultant, the generic category (RI-6) and exactly which data the trajectory needs; nothing
    reaches the company until the employee has seen what goes to whom."""
    _require(policies.can_commission(by, ziekmelding.organisation_id))
    data_items = list(dict.fromkeys(data_items))
    _check_commission(provider, consultant, category, data_items, DataItem.values)
    kind = (
        CommissionerKind.BEDRIJFSARTS
        if by.role == Role.BEDRIJFSARTS
        else CommissionerKind.WERKGEVER
    )
    with transaction.atomic():
        trajectory = _create_trajectory(
            by=by,
            kind=kind,
            werknemer=ziekmelding.werknemer,
            case_id=ziekmelding.case_id,
            organisation_id=ziekmelding.organisation_id,
            parent=None,
            provider=provider,
            consultant=consultant,
            category=category,
            data_items=data_items,
            start_on=start_on,
        )
        _log(
            AuditAction.CREATE,
            trajectory,
            ziekmelding.werknemer,
            f"traject aangemeld bij {provider.name}",
            by=by,
            request=request,
        )
    return trajectory


def commission_subcontract(
    *, by, parent, provider, consultant, category, data_items, start_on, request=None
) -> Trajectory:
    """RI-7: a company hands (part of) a trajectory to another one; it passes no more than it
    received itself, and it is then informed like an employer."""
    _require(policies.can_report(policies.trajectory_view(by, parent)))
    data_items = list(dict.fromkeys(data_items))
    _check_commission(provider, consultant, category, data_items, parent.data_items)
    if provider.pk == parent.provider_id:
        raise ValidationError({"provider": "Kies een ander re-integratiebedrijf."})
    with transaction.atomic():
        trajectory = _create_trajectory(
            by=by,
            kind=CommissionerKind.REINTEGRATIEBEDRIJF,
            werknemer=parent.werknemer,
            case_id=parent.case_id,
            organisation_id=parent.organisation_id,
            parent=parent,
            provider=provider,
            consultant=consultant,
            category=category,
            data_items=data_items,
            start_on=start_on,
        )
        _log(
            AuditAction.CREATE,
            trajectory,
            parent.werknemer,
            f"traject in onderaanneming bij {provider.name}",
            by=by,
            request=request,
        )
    return trajectory


def _inform(trajectory, by, detail, request):
    updated = Trajectory.objects.filter(pk=trajectory.pk, employee_informed_at__isnull=True).update(
        employee_informed_at=timezone.now(), status=TrajectoryStatus.LOPEND
    )
    if not updated:
        return False
    trajectory.refresh_from_db()
    _log(AuditAction.UPDATE, trajectory, trajectory.werknemer, detail, by=by, request=request)
    flows.record_flow(
        kind=("aanmelding traject: " + ", ".join(trajectory.data_items))[:64],
        recipient=Recipient.REINTEGRATIEBEDRIJF,
        recipient_name=trajectory.provider.name,
        legal_basis=LegalBasis.POORTWACHTER,
        object_type="reintegratie.trajectory",
        object_id=trajectory.pk,
        subject=trajectory.werknemer.pseudonym,
        actor=by,
    )
    return True


def acknowledge_trajectory(*, by, trajectory, request=None) -> bool:
    """RI-10: the employee has read which data goes to whom; only now does the company see
    the trajectory (and the data is passed)."""
    _require(by.role == Role.WERKNEMER and trajectory.werknemer.user_id == by.pk)
    with transaction.atomic():
        return _inform(trajectory, by, "werknemer heeft de aanmelding gelezen", request)


def record_employee_informed(*, by, trajectory, request=None) -> bool:
    """RI-10 for an employee without a login: HR records that the notice was given to them."""
    _require(policies.can_keep_dossier(by, trajectory.organisation_id))
    if trajectory.werknemer.user_id is not None:
        raise ValidationError(
            "De werknemer heeft een eigen account en leest de aanmelding zelf in het portaal."
        )
    with transaction.atomic():
        return _inform(
            trajectory, by, "werknemer op papier geïnformeerd over de aanmelding", request
        )


def assign_staff(*, by, trajectory, user, function, request=None) -> TrajectoryStaff:
    """RI-8: the handling consultant names the substitute and the administrative employee."""
    _require(policies.can_assign_staff(policies.trajectory_view(by, trajectory)))
    if function not in (policies.VERVANGER, policies.ADMINISTRATIEF):
        raise ValidationError({"function": "Kies vervanger of administratief medewerker."})
    if (
        user is None
        or user.role != Role.CONSULTANT
        or user.organisation_id != trajectory.provider_id
    ):
        raise ValidationError({"user": "Kies een medewerker van uw eigen bedrijf."})
    if user.pk == by.pk:
        raise ValidationError({"user": "U bent al de behandelend consultant."})
    with transaction.atomic():
        TrajectoryStaff.objects.filter(trajectory=trajectory, function=function).delete()
        TrajectoryStaff.objects.filter(trajectory=trajectory, user=user).exclude(
            function=policies.CONSULTANT
        ).delete()
        staff = TrajectoryStaff.objects.create(
            trajectory=trajectory, user=user, function=function, assigned_by=by
        )
        _log(
            AuditAction.UPDATE,
            trajectory,
            trajectory.werknemer,
            f"{staff.get_function_display()} toegewezen",
            by=by,
            request=request,
        )
    return staff


def file_report(*, by, trajectory, request=None, **data) -> Voortgangsrapportage:
    """RI-5: progress and cooperation only, structured; free text guarded (ZM-3)."""
    _require(policies.can_report(policies.trajectory_view(by, trajectory)))
    _guard(data, REPORT_TEXT_FIELDS)
    if data.get("cooperating") is False and not (data.get("cooperation_explanation") or "").strip():
        raise ValidationError(
            {"cooperation_explanation": "Licht toe waarom de werknemer niet meewerkt."}
        )
    with transaction.atomic():
        report = Voortgangsrapportage.objects.create(trajectory=trajectory, created_by=by, **data)
        _log(
            AuditAction.CREATE,
            report,
            trajectory.werknemer,
            "voortgangsrapportage (concept)",
            by=by,
            request=request,
        )
    return report


def share_report(*, by, report, request=None) -> bool:
    """RI-5: put the report before the employee, before it may go to the employer."""
    _require(policies.can_report(policies.trajectory_view(by, report.trajectory)))
    with transaction.atomic():
        updated = Voortgangsrapportage.objects.filter(
            pk=report.pk, status=ReportStatus.CONCEPT
        ).update(status=ReportStatus.TER_INZAGE, shared_with_employee_at=timezone.now())
        if updated:
            report.refresh_from_db()
            _log(
                AuditAction.UPDATE,
                report,
                report.trajectory.werknemer,
                "rapportage ter inzage aan werknemer",
                by=by,
                request=request,
            )
    return bool(updated)


def mark_report_seen(*, by, report, remark="", request=None) -> bool:
    _require(by.role == Role.WERKNEMER and report.trajectory.werknemer.user_id == by.pk)
    remark = (remark or "").strip()
    _guard({"remark": remark}, ["remark"])
    with transaction.atomic():
        updated = Voortgangsrapportage.objects.filter(
            pk=report.pk, status=ReportStatus.TER_INZAGE, employee_seen_at__isnull=True
        ).update(employee_seen_at=timezone.now(), employee_remark=remark)
        if updated:
            report.refresh_from_db()
            _log(
                AuditAction.UPDATE,
                report,
                report.trajectory.werknemer,
                "rapportage gelezen door werknemer",
                by=by,
                request=request,
            )
    return bool(updated)


def release_report(*, by, report, request=None) -> Voortgangsrapportage:
    """RI-5: to the employer only after the employee has read it."""
    trajectory = report.trajectory
    _require(policies.can_report(policies.trajectory_view(by, trajectory)))
    if report.employee_seen_at is None:
        raise ValidationError(
            "De werknemer heeft deze rapportage nog niet gelezen; pas daarna gaat zij naar de "
            "werkgever."
        )
    with transaction.atomic():
        updated = Voortgangsrapportage.objects.filter(
            pk=report.pk, released_at__isnull=True, employee_seen_at__isnull=False
        ).update(status=ReportStatus.VRIJGEGEVEN, released_at=timezone.now())
        report.refresh_from_db()
        if updated:
            recipient = (
                Recipient.REINTEGRATIEBEDRIJF
                if trajectory.commissioner_kind == CommissionerKind.REINTEGRATIEBEDRIJF
                else Recipient.WERKGEVER
            )
            _log(
                AuditAction.UPDATE,
                report,
                trajectory.werknemer,
                "rapportage vrijgegeven aan opdrachtgever",
                by=by,
                request=request,
            )
            flows.record_flow(
                kind="voortgangsrapportage (voortgang en medewerking)",
                recipient=recipient,
                legal_basis=LegalBasis.POORTWACHTER,
                object_type="reintegratie.voortgangsrapportage",
                object_id=report.pk,
                subject=trajectory.werknemer.pseudonym,
                actor=by,
            )
    return report


def send_note_to_doctor(*, by, trajectory, kind, text, request=None) -> int:
    """RI-5, RI-6: the detailed proposal and the fuller report go to the doctor only."""
    _require(policies.can_report(policies.trajectory_view(by, trajectory)))
    return send_trajectory_note_to_doctor(
        by=by,
        werknemer=trajectory.werknemer,
        trajectory_id=trajectory.pk,
        provider_name=trajectory.provider.name,
        kind=kind,
        text=text,
        request=request,
    )


def create_invoice(*, by, trajectory, date, amount, hours=0, request=None) -> Factuur:
    _require(policies.can_invoice(policies.trajectory_view(by, trajectory)))
    with transaction.atomic():
        count = Factuur.objects.filter(trajectory=trajectory).count() + 1
        invoice = Factuur.objects.create(
            trajectory=trajectory,
            number=f"{trajectory.client_number}-{count:03d}",
            date=date,
            amount=amount,
            hours=hours,
            created_by=by,
        )
        _log(
            AuditAction.CREATE,
            invoice,
            trajectory.werknemer,
            "factuur opgesteld",
            by=by,
            request=request,
        )
    return invoice


# --- Machtigingen (RI-9, AV-2) --------------------------------------------------------------------


def request_machtiging(
    *, by, trajectory, party, data_description, purpose, valid_from, valid_until, request=None
) -> Machtiging:
    _require(policies.can_report(policies.trajectory_view(by, trajectory)))
    errors = {}
    for name, value in (
        ("party", party),
        ("data_description", data_description),
        ("purpose", purpose),
    ):
        if not (value or "").strip():
            errors[name] = "Dit veld is verplicht: een machtiging is specifiek."
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = "De einddatum ligt vóór de begindatum."
    if valid_from and valid_until and (valid_until - valid_from).days > 366:
        errors["valid_until"] = "Een machtiging geldt hoogstens een jaar."
    if errors:
        raise ValidationError(errors)
    requester = trajectory.provider.name
    text = MACHTIGING_TEXT.format(
        requester=requester,
        party=party,
        data=data_description,
        purpose=purpose,
        start=valid_from.strftime("%d-%m-%Y"),
        end=valid_until.strftime("%d-%m-%Y"),
    )
    with transaction.atomic():
        machtiging = Machtiging.objects.create(
            werknemer=trajectory.werknemer,
            trajectory=trajectory,
            requested_by=by,
            requester_name=requester,
            party=party,
            data_description=data_description,
            purpose=purpose,
            valid_from=valid_from,
            valid_until=valid_until,
            text_version=MACHTIGING_TEXT_VERSION,
            full_text=text,
        )
        _log(
            AuditAction.CREATE,
            machtiging,
            trajectory.werknemer,
            "machtiging gevraagd",
            by=by,
            request=request,
        )
    return machtiging


def decide_machtiging(*, by, machtiging, give: bool, request=None) -> Machtiging:
    """AV-2: the employee gives or refuses, having seen the full text; refusing has no
    consequence in the system."""
    _require(by.role == Role.WERKNEMER and machtiging.werknemer.user_id == by.pk)
    status = MachtigingStatus.GEGEVEN if give else MachtigingStatus.GEWEIGERD
    with transaction.atomic():
        updated = Machtiging.objects.filter(
            pk=machtiging.pk, status=MachtigingStatus.GEVRAAGD
        ).update(status=status, decided_at=timezone.now())
        if not updated:
            raise ValidationError("Over deze machtiging is al beslist.")
        machtiging.refresh_from_db()
        toestemming.record(
            kind=ConsentKind.MACHTIGING,
            subject=machtiging.werknemer.pseudonym,
            by=by,
            given=give,
            text_version=machtiging.text_version,
            text=machtiging.full_text,
            scope=f"{machtiging.data_description} bij {machtiging.party} voor "
            f"{machtiging.requester_name}",
            obj=machtiging,
            valid_from=machtiging.valid_from,
            valid_until=machtiging.valid_until,
        )
        _log(
            AuditAction.UPDATE,
            machtiging,
            machtiging.werknemer,
            f"machtiging {machtiging.get_status_display()} (tekstversie {machtiging.text_version})",
            by=by,
            request=request,
        )
    return machtiging


def revoke_machtiging(*, by, machtiging, request=None) -> bool:
    """AV-2: revocable at any time, with immediate effect."""
    _require(by.role == Role.WERKNEMER and machtiging.werknemer.user_id == by.pk)
    with transaction.atomic():
        updated = Machtiging.objects.filter(
            pk=machtiging.pk, status=MachtigingStatus.GEGEVEN
        ).update(status=MachtigingStatus.INGETROKKEN, revoked_at=timezone.now())
        if updated:
            toestemming.withdraw(kind=ConsentKind.MACHTIGING, obj=machtiging)
            machtiging.refresh_from_db()
            toestemming.withdraw(kind=ConsentKind.MACHTIGING, obj=machtiging)
            _log(
                AuditAction.UPDATE,
                machtiging,
                machtiging.werknemer,
                "machtiging ingetrokken",
                by=by,
                request=request,
            )
    return bool(updated)


def use_machtiging(*, by, machtiging, request=None):
    """RI-9: the company requests the data the machtiging covers — only while it is in force
    (given, not revoked, within its period). The flow is recorded on the consent basis."""
    trajectory = machtiging.trajectory
    _require(trajectory is not None)
    _require(policies.can_report(policies.trajectory_view(by, trajectory)))
    machtiging.refresh_from_db()
    if not machtiging.in_force:
        raise ValidationError(
            "Deze machtiging is niet (meer) van kracht: niet gegeven, ingetrokken of verlopen."
        )
    with transaction.atomic():
        _log(
            AuditAction.EXPORT,
            machtiging,
            machtiging.werknemer,
            "gegevens opgevraagd op grond van machtiging",
            by=by,
            request=request,
        )
        return flows.record_flow(
            kind=f"opvragen bij {machtiging.party}: {machtiging.data_description}"[:64],
            recipient=Recipient.REINTEGRATIEBEDRIJF,
            recipient_name=machtiging.requester_name,
            legal_basis=LegalBasis.TOESTEMMING,
            object_type="reintegratie.machtiging",
            object_id=machtiging.pk,
            subject=machtiging.werknemer.pseudonym,
            actor=by,
            consent_ref=f"machtiging:{machtiging.pk}",
        )
