"""Employer-side pages of re-integration: the plan van aanpak with its activities, evaluations
and versions (RI-3, RI-1), the re-integratiedossier with correspondence, and the employer's part
of the re-integratieverslag (RI-4).

Views parse and check; reintegratie.actions changes state; reintegratie.queries scopes (SE-9).
Every page that shows a case's re-integration writes to the audit log (SE-7). The only thing
from the medical module here is the doctor's released advice (MD-5), through medisch/public.py.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import Role
from accounts.viewhelpers import apply_errors as _apply_errors
from accounts.viewhelpers import posted as _posted
from accounts.viewhelpers import require as _require
from medisch.public import released_advice
from privacy import audit
from privacy.models import AuditAction
from verzuim.models import Ziekmelding

from . import actions, policies, queries
from .forms import ActivityForm, CorrespondentieForm, EvaluatieForm, PlanForm
from .models import Activiteit, PlanVanAanpak, PlanVersie

CONFLICT_MESSAGE = (
    "Iemand anders heeft het plan intussen gewijzigd. Hieronder staat uw invoer nog; de "
    "nieuwste versie ziet u na het opnieuw laden van de pagina. Neem uw wijzigingen over en "
    "sla opnieuw op."
)


def _log_read(request, obj_type, ids, werknemer, detail, action=AuditAction.READ):
    audit.record(action, obj_type, ids, subject=werknemer.pseudonym, detail=detail, request=request)


def _case_of(plan) -> Ziekmelding:
    """The newest period of the plan's case (samentelling, ZM-5)."""
    zm = Ziekmelding.objects.filter(case_id=plan.case_id).order_by("-first_day").first()
    if zm is None:
        raise Http404
    return zm


# --- Plan van aanpak (RI-3) -----------------------------------------------------------------------


def plan(request, pk):
    zm = queries.case_for(request.user, pk)
    _require(policies.can_read_plan(request.user, zm.organisation_id))
    can_edit = policies.can_edit_plan(request.user, zm.organisation_id)
    current = PlanVanAanpak.objects.filter(case_id=zm.case_id).first()
    adviezen = released_advice(zm.case_id, subject=zm.werknemer.pseudonym, request=request)
    form = None
    if can_edit:
        initial = {
            "version": current.version if current else 0,
            "drawn_up_on": current.drawn_up_on if current else timezone.localdate(),
            "casemanager": current.casemanager if current else "",
            "spoor": current.spoor if current else "",
            "goals": current.goals if current else "",
            "advies_ref": current.advies_ref if current else (adviezen[0].id if adviezen else None),
        }
        form = PlanForm(_posted(request), initial=initial, adviezen=adviezen)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version") or 0
            try:
                saved = actions.save_plan(
                    by=request.user, ziekmelding=zm, version=version, request=request, **data
                )
            except actions.Conflict:
                form.add_error(None, CONFLICT_MESSAGE)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, f"Plan van aanpak opgeslagen (versie {saved.version}).")
                return redirect("reintegratie:plan", pk=zm.pk)
    elif request.method == "POST":
        raise PermissionDenied
    if current:
        _log_read(
            request,
            "reintegratie.planvanaanpak",
            [current.pk],
            zm.werknemer,
            "plan van aanpak ingezien",
        )
    referenced = next((a for a in adviezen if current and a.id == current.advies_ref), None)
    return render(
        request,
        "reintegratie/plan.html",
        {
            "zm": zm,
            "plan": current,
            "form": form,
            "can_edit": can_edit,
            "advies": referenced,
            "activiteiten": list(current.activiteiten.all()) if current else [],
            "evaluaties": list(current.evaluaties.all()) if current else [],
            "versies": list(current.versies.all()) if current else [],
            "today": timezone.localdate(),
        },
    )


def activity_create(request, pk):
    plan_obj = queries.plan_for(request.user, pk)
    _require(policies.can_edit_plan(request.user, plan_obj.organisation_id))
    zm = _case_of(plan_obj)
    form = ActivityForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_activity(
                by=request.user, plan=plan_obj, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "De activiteit is aan het plan toegevoegd.")
            return redirect("reintegratie:plan", pk=zm.pk)
    return render(
        request, "reintegratie/activity_form.html", {"form": form, "plan": plan_obj, "zm": zm}
    )


@require_POST
def activity_done(request, pk):
    activity = (
        Activiteit.objects.select_related("plan")
        .filter(pk=pk, plan__in=queries.plans_visible_to(request.user))
        .first()
    )
    if activity is None:
        raise Http404
    _require(policies.can_edit_plan(request.user, activity.plan.organisation_id))
    actions.mark_activity_done(
        by=request.user, activity=activity, done_on=timezone.localdate(), request=request
    )
    messages.success(request, "De activiteit is als uitgevoerd gemarkeerd.")
    return redirect("reintegratie:plan", pk=_case_of(activity.plan).pk)


def evaluatie_create(request, pk):
    plan_obj = queries.plan_for(request.user, pk)
    _require(policies.can_edit_plan(request.user, plan_obj.organisation_id))
    zm = _case_of(plan_obj)
    form = EvaluatieForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            evaluatie = actions.record_evaluatie(
                by=request.user,
                plan=plan_obj,
                ziekmelding=zm,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            done = " en de Poortwachter-termijn afgevinkt" if evaluatie.deadline_key else ""
            messages.success(request, f"De evaluatie is vastgelegd{done}.")
            return redirect("reintegratie:plan", pk=zm.pk)
    return render(
        request, "reintegratie/evaluatie_form.html", {"form": form, "plan": plan_obj, "zm": zm}
    )


def plan_version(request, pk, number):
    """RI-3: every version of the plan stays readable — to the plan's readers and the
    employee."""
    plan_obj = queries.plan_for(request.user, pk)
    if request.user.role != Role.WERKNEMER:
        _require(policies.can_read_plan(request.user, plan_obj.organisation_id))
    versie = PlanVersie.objects.filter(plan=plan_obj, number=number).first()
    if versie is None:
        raise Http404
    _log_read(
        request,
        "reintegratie.planversie",
        [versie.pk],
        plan_obj.werknemer,
        f"plan van aanpak versie {number} ingezien",
    )
    return render(request, "reintegratie/plan_version.html", {"plan": plan_obj, "versie": versie})


# --- Re-integratiedossier and -verslag (RI-4) -----------------------------------------------------


def dossier(request, pk):
    zm = queries.case_for(request.user, pk)
    _require(policies.can_keep_dossier(request.user, zm.organisation_id))
    contents = actions.dossier_contents(zm, request=request)
    _log_read(
        request, "reintegratie.dossier", [zm.pk], zm.werknemer, "re-integratiedossier ingezien"
    )
    verslagen = queries.verslagen_visible_to(request.user).filter(case_id=zm.case_id)
    return render(
        request,
        "reintegratie/dossier.html",
        {"zm": zm, "verslagen": verslagen, **contents},
    )


def correspondentie_create(request, pk):
    zm = queries.case_for(request.user, pk)
    _require(policies.can_keep_dossier(request.user, zm.organisation_id))
    form = CorrespondentieForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_correspondentie(
                by=request.user, ziekmelding=zm, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "De correspondentie is aan het dossier toegevoegd.")
            return redirect("reintegratie:dossier", pk=zm.pk)
    return render(request, "reintegratie/correspondentie_form.html", {"form": form, "zm": zm})


@require_POST
def verslag_create(request, pk):
    zm = queries.case_for(request.user, pk)
    _require(policies.can_keep_dossier(request.user, zm.organisation_id))
    verslag_obj = actions.generate_verslag(by=request.user, ziekmelding=zm, request=request)
    messages.success(request, "Het re-integratieverslag (deel werkgever) is opgesteld.")
    return redirect("reintegratie:verslag", pk=verslag_obj.pk)


def verslag(request, pk):
    """RI-4: the employer's part, print-ready (the browser prints it to PDF). HR of the
    organisation, and the employee once they have been given their copy."""
    verslag_obj = (
        queries.verslagen_visible_to(request.user).select_related("werknemer").filter(pk=pk).first()
    )
    if verslag_obj is None:
        raise Http404
    _log_read(
        request,
        "reintegratie.reintegratieverslag",
        [verslag_obj.pk],
        verslag_obj.werknemer,
        "re-integratieverslag (deel werkgever) ingezien",
        AuditAction.EXPORT,
    )
    response = render(
        request,
        "reintegratie/verslag.html",
        {
            "verslag": verslag_obj,
            "s": verslag_obj.snapshot,
            "can_give": policies.can_keep_dossier(request.user, verslag_obj.organisation_id)
            and verslag_obj.given_to_employee_at is None,
            "zm": Ziekmelding.objects.filter(case_id=verslag_obj.case_id)
            .order_by("-first_day")
            .first(),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def verslag_give(request, pk):
    verslag_obj = queries.verslagen_visible_to(request.user).filter(pk=pk).first()
    if verslag_obj is None:
        raise Http404
    _require(policies.can_keep_dossier(request.user, verslag_obj.organisation_id))
    if actions.give_verslag(by=request.user, verslag=verslag_obj, request=request):
        messages.success(request, "De werknemer heeft een kopie van het verslag gekregen.")
    return redirect("reintegratie:verslag", pk=verslag_obj.pk)
