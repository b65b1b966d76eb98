"""Employer-side pages of the plan van aanpak (RI-3, RI-1): the plan with its activities,
evaluations and versions. Werkgever and HR of the organisation edit it; the assigned bedrijfsarts
reads it; every version stays readable to them and to the employee.

Views parse and check; reintegratie.actions.plan changes state; reintegratie.queries scopes
(SE-9). Every page that shows a plan writes to the audit log (SE-7). The only thing from the
medical module here is the doctor's released advice (MD-5), through medisch/public.py.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.errors import Conflict, require
from accounts.viewhelpers import apply_errors, posted
from core.pdf import pdf_response
from medisch.public import advice_labels, released_advice
from privacy.models import AuditAction
from reintegratie import policies, queries
from reintegratie.actions import plan as plan_actions
from reintegratie.documents import plan_version_context
from reintegratie.forms.plan import ActivityForm, EvaluatieForm, PlanForm
from reintegratie.models import Activiteit, PlanVanAanpak, PlanVersie
from reintegratie.viewhelpers import form_page, log_read

CONFLICT_MESSAGE = (
    "Iemand anders heeft het plan intussen gewijzigd. Hieronder staat uw invoer nog; de "
    "nieuwste versie ziet u na het opnieuw laden van de pagina. Neem uw wijzigingen over en "
    "sla opnieuw op."
)


def _case_of(plan):
    """The newest period of the plan's case (samentelling, ZM-5)."""
    zm = queries.newest_period(plan.case_id)
    if zm is None:
        raise Http404
    return zm


def _editable(request, pk):
    """The plan of a page that changes it, and its case."""
    plan_obj = queries.plan_for(request.user, pk)
    require(policies.can_edit_plan(request.user, plan_obj.organisation_id))
    return plan_obj, _case_of(plan_obj)


def plan(request, pk):
    zm = queries.case_for(request.user, pk)
    require(policies.can_read_plan(request.user, zm.organisation_id))
    can_edit = policies.can_edit_plan(request.user, zm.organisation_id)
    current = PlanVanAanpak.objects.filter(case_id=zm.case_id).first()
    adviezen = released_advice(zm.case_id, subject=zm.werknemer.pseudonym, request=request)
    labels = advice_labels(zm.case_id) if adviezen else {}
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
        form = PlanForm(
            posted(request),
            initial=initial,
            adviezen=adviezen,
            labels=labels,
        )
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version") or 0
            try:
                saved = plan_actions.save_plan(
                    by=request.user, ziekmelding=zm, version=version, request=request, **data
                )
            except Conflict:
                form.add_error(None, CONFLICT_MESSAGE)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"Plan van aanpak opgeslagen (versie {saved.version}).")
                return redirect("reintegratie:plan", pk=zm.pk)
    elif request.method == "POST":
        raise PermissionDenied
    if current:
        log_read(
            request,
            "reintegratie.planvanaanpak",
            [current.pk],
            zm.werknemer,
            "plan van aanpak ingezien",
        )
    referenced = next((a for a in adviezen if current and a.id == current.advies_ref), None)
    # RI-12: the newest version and each evaluation, signed or to sign.
    plan_signing, evaluatie_signing = (
        queries.signing_states(request.user, current) if current else (None, {})
    )
    return render(
        request,
        "reintegratie/plan.html",
        {
            "zm": zm,
            "plan": current,
            "form": form,
            "can_edit": can_edit,
            "advies": referenced,
            "advies_label": labels.get(referenced.id) if referenced else "",
            "activiteiten": list(current.activiteiten.all()) if current else [],
            "evaluaties": list(evaluatie_signing.values()),
            "plan_signing": plan_signing,
            "versies": list(current.versies.all()) if current else [],
            "today": timezone.localdate(),
        },
    )


def activity_create(request, pk):
    plan_obj, zm = _editable(request, pk)
    return form_page(
        request,
        ActivityForm(posted(request)),
        lambda data: plan_actions.add_activity(
            by=request.user, plan=plan_obj, request=request, **data
        ),
        message="De activiteit is aan het plan toegevoegd.",
        then=reverse("reintegratie:plan", args=[zm.pk]),
        template="reintegratie/activity_form.html",
        context={"plan": plan_obj, "zm": zm},
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
    require(policies.can_edit_plan(request.user, activity.plan.organisation_id))
    plan_actions.mark_activity_done(
        by=request.user, activity=activity, done_on=timezone.localdate(), request=request
    )
    messages.success(request, "De activiteit is als uitgevoerd gemarkeerd.")
    return redirect("reintegratie:plan", pk=_case_of(activity.plan).pk)


def evaluatie_create(request, pk):
    plan_obj, zm = _editable(request, pk)

    def recorded(evaluatie):
        done = " en de Poortwachter-termijn afgevinkt" if evaluatie.deadline_key else ""
        return f"De evaluatie is vastgelegd{done}."

    return form_page(
        request,
        EvaluatieForm(posted(request)),
        lambda data: plan_actions.record_evaluatie(
            by=request.user, plan=plan_obj, ziekmelding=zm, request=request, **data
        ),
        message=recorded,
        then=reverse("reintegratie:plan", args=[zm.pk]),
        template="reintegratie/evaluatie_form.html",
        context={"plan": plan_obj, "zm": zm},
    )


def plan_version(request, pk, number, pdf=False):
    """RI-3: every version of the plan stays readable — to the plan's readers and the
    employee. RI-12: the same page as a PDF (pdf=True), with every evaluation and bijstelling,
    the employee's response to this version and their zienswijze."""
    plan_obj = queries.plan_for(request.user, pk)
    require(policies.can_read_plan_versions(request.user, plan_obj))
    versie = PlanVersie.objects.filter(plan=plan_obj, number=number).first()
    if versie is None:
        raise Http404
    log_read(
        request,
        "reintegratie.planversie",
        [versie.pk],
        plan_obj.werknemer,
        f"plan van aanpak versie {number} {'als PDF ' if pdf else ''}ingezien",
        AuditAction.EXPORT if pdf else AuditAction.READ,
    )
    own = policies.is_own_employee(request.user, plan_obj.werknemer)
    context = plan_version_context(plan_obj, versie, pdf=pdf, own=own)
    if pdf:
        return pdf_response(
            "reintegratie/plan_version.html",
            context,
            request,
            filename=f"plan-van-aanpak-{plan_obj.pk}-versie-{number}.pdf",
        )
    return render(request, "reintegratie/plan_version.html", context)
