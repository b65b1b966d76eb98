"""Pages for trajectories at re-integration companies (RI-6..8, RI-10): the list, the aanmelding
and the subcontract, the trajectory page, its staff and the employee informed.

Views parse and check; actions change state; queries scope. A trajectory is opened per case and
per view (RI-8, policies.trajectory_view): each page shows only the parts that view may open,
and `queries.trajectory_for` answers "missing" and "forbidden" alike (404). Until the employee
has been told which data goes to whom, the company sees nothing (RI-10). The employer's view of
a trajectory is generic (RI-6) and carries released progress reports only (RI-5); the notes a
company sends the bedrijfsarts live in the medical module and show here as kind and date only.
Every page that shows a trajectory writes to the audit log (SE-7).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.errors import require
from accounts.gates import gate
from accounts.viewhelpers import apply_errors, posted
from medisch.public import released_advice, trajectory_notes_sent
from privacy import audit
from reintegratie import policies, queries
from reintegratie.actions import trajecten as traject_actions
from reintegratie.forms.traject import StaffForm, SubcontractForm, TrajectoryForm
from reintegratie.models import (
    CommissionerKind,
    DataItem,
    PlanVanAanpak,
    StaffFunction,
    TrajectoryStaff,
)
from reintegratie.viewhelpers import flash_error, form_page, log_read
from verzuim.models import Ziekmelding

STAFF_VIEWS = (policies.CONSULTANT, policies.VERVANGER, policies.ADMINISTRATIEF)
LIST_LIMIT = 200


def _log_read(request, trajectory):
    log_read(
        request,
        "reintegratie.trajectory",
        [trajectory.pk],
        trajectory.werknemer,
        "traject ingezien",
    )


def _shows_name(user, trajectory, view) -> bool:
    """Whether this view shows the employee's name. The company knows it only when personalia
    were passed (RI-10); the administrative employee only when invoices carry it (RI-6)."""
    if view == policies.ADMINISTRATIEF:
        return not trajectory.invoice_by_client_number
    if view in (policies.CONSULTANT, policies.VERVANGER):
        return DataItem.PERSONALIA in trajectory.data_items
    if view == policies.EMPLOYER and policies.is_consultant(user):
        # RI-7: the subcontracting company knows what it received itself.
        return trajectory.parent is not None and DataItem.PERSONALIA in trajectory.parent.data_items
    return True


# --- List and aanmelding (RI-10) -------------------------------------------------------------


# The employee reads their own trajectories at /reintegratie/mijn/.
@gate(policies.uses_trajectories)
def trajectory_list(request):
    user = request.user
    is_company = policies.is_consultant(user)
    rows = list(
        queries.trajectories_visible_to(user)
        .select_related("werknemer", "organisation", "provider")
        .order_by("-start_on", "-pk")[:LIST_LIMIT]
    )
    functions = {}
    if is_company:
        functions = dict(
            TrajectoryStaff.objects.filter(
                user=user, trajectory__in=[t.pk for t in rows]
            ).values_list("trajectory_id", "function")
        )
    items = []
    for t in rows:
        function = functions.get(t.pk) if t.employee_informed_at else None
        items.append(
            {
                "trajectory": t,
                "function": StaffFunction(function).label if function else "",
                "is_staff": function is not None,
                # Employer side and doctor know the employee; the company shows client numbers.
                "name": t.werknemer.full_name if not is_company else "",
            }
        )
    audit.record_reads(
        rows,
        object_type="reintegratie.trajectory",
        subject_of=lambda t: t.werknemer.pseudonym,
        detail="trajectenoverzicht",
        request=request,
    )
    return render(
        request,
        "reintegratie/traject_list.html",
        {"items": items, "is_company": is_company},
    )


def _to_trajectory(trajectory):
    return reverse("reintegratie:trajectory", args=[trajectory.pk])


def trajectory_create(request, pk):
    zm = queries.case_for(request.user, pk)
    require(policies.can_commission(request.user, zm.organisation_id))
    return form_page(
        request,
        TrajectoryForm(posted(request)),
        lambda data: traject_actions.commission_trajectory(
            by=request.user, ziekmelding=zm, request=request, **data
        ),
        message="Het traject is aangemeld. Het re-integratiebedrijf ziet het pas als de werknemer "
        "heeft gelezen welke gegevens het krijgt.",
        then=_to_trajectory,
        template="reintegratie/traject_form.html",
        context={"zm": zm, "werknemer": zm.werknemer},
    )


def subcontract_create(request, pk):
    """RI-7: the handling consultant (or vervanger) hands part of the trajectory to another
    company, which then reports to this company like to an employer."""
    parent, view = queries.trajectory_for(request.user, pk)
    require(policies.can_report(view))
    return form_page(
        request,
        SubcontractForm(posted(request), parent=parent),
        lambda data: traject_actions.commission_subcontract(
            by=request.user, parent=parent, request=request, **data
        ),
        message="Het traject in onderaanneming is aangemeld. Het andere bedrijf ziet het pas als "
        "de werknemer heeft gelezen welke gegevens het krijgt.",
        then=_to_trajectory,
        template="reintegratie/traject_form.html",
        context={"parent": parent, "subcontract": True},
    )


# --- The trajectory page (RI-5..9) ------------------------------------------------------------


def _data_item_labels(trajectory) -> list[str]:
    return [DataItem(i).label for i in trajectory.data_items if i in DataItem.values]


def _shared_data(request, trajectory):
    """RI-10: exactly the data the aanmelding passed, nothing more."""
    items = set(trajectory.data_items)
    werknemer = trajectory.werknemer
    data = {"items": _data_item_labels(trajectory)}
    if DataItem.PERSONALIA in items:
        data["personalia"] = werknemer
    if DataItem.VERZUIM in items:
        data["verzuim"] = list(
            Ziekmelding.objects.filter(case_id=trajectory.case_id)
            .order_by("first_day")
            .only("first_day", "percentage")
        )
    if DataItem.FUNCTIE in items:
        data["functie"] = werknemer.department
    if DataItem.ADVIES in items:
        data["adviezen"] = released_advice(
            trajectory.case_id, subject=werknemer.pseudonym, request=request
        )
    if DataItem.PLAN in items:
        data["plan"] = (
            PlanVanAanpak.objects.filter(case_id=trajectory.case_id)
            .prefetch_related("activiteiten")
            .first()
        )
        data["has_plan"] = True
    return data


def _detail_context(request, trajectory, view, *, staff_form=None):
    user = request.user
    may = {part: policies.may(view, part) for part in policies.PARTS.get(view, ())}
    can_write = policies.can_report(view)
    context = {
        "trajectory": trajectory,
        "view": view,
        "may": may,
        "is_staff_view": view in STAFF_VIEWS,
        "show_name": _shows_name(user, trajectory, view),
        "show_data_items": view != policies.ADMINISTRATIEF,
        "data_item_labels": _data_item_labels(trajectory),
        "can_write": can_write,
        "can_invoice": policies.can_invoice(view),
        "can_record_informed": (
            trajectory.employee_informed_at is None
            and trajectory.werknemer.user_id is None
            and policies.can_keep_dossier(user, trajectory.organisation_id)
        ),
        "is_subcontract_commissioner": (
            view == policies.EMPLOYER
            and trajectory.commissioner_kind == CommissionerKind.REINTEGRATIEBEDRIJF
            and policies.is_consultant(user)
        ),
    }
    if may.get("shared_data"):
        context["shared"] = _shared_data(request, trajectory)
    if may.get("all_reports") or may.get("released_reports") or may.get("own_reports"):
        context["reports"] = list(queries.reports_for_view(trajectory, view))
        context["shows_reports"] = True
    if may.get("invoices"):
        context["invoices"] = list(trajectory.invoices.all())
    if may.get("staff"):
        context["staff"] = list(trajectory.staff.select_related("user").order_by("function"))
        context["staff_form"] = staff_form or StaffForm(trajectory=trajectory, exclude_user=user)
    if may.get("machtigingen"):
        context["machtigingen"] = list(trajectory.machtigingen.all())
    if can_write:
        # Kind and date only: the content is the doctor's now (RI-5, RI-6).
        context["notes_sent"] = trajectory_notes_sent(trajectory.pk)
        context["subcontracts"] = list(trajectory.subcontracts.select_related("provider"))
    return context


def trajectory_detail(request, pk):
    trajectory, view = queries.trajectory_for(request.user, pk)
    _log_read(request, trajectory)
    return render(
        request,
        "reintegratie/traject_detail.html",
        _detail_context(request, trajectory, view),
    )


@require_POST
def staff_assign(request, pk):
    """RI-8: the handling consultant names the vervanger and the administratief medewerker."""
    trajectory, view = queries.trajectory_for(request.user, pk)
    require(policies.can_assign_staff(view))
    form = StaffForm(request.POST, trajectory=trajectory, exclude_user=request.user)
    if form.is_valid():
        try:
            staff = traject_actions.assign_staff(
                by=request.user,
                trajectory=trajectory,
                user=form.cleaned_data["user"],
                function=form.cleaned_data["function"],
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, f"{staff.user.full_name} is {staff.get_function_display()} op dit traject."
            )
            return redirect("reintegratie:trajectory", pk=trajectory.pk)
    # Errors at the field, on the trajectory page itself.
    _log_read(request, trajectory)
    return render(
        request,
        "reintegratie/traject_detail.html",
        _detail_context(request, trajectory, view, staff_form=form),
    )


@require_POST
def trajectory_informed(request, pk):
    """RI-10 for an employee without a login: HR records that the notice was given."""
    trajectory, _ = queries.trajectory_for(request.user, pk)
    require(policies.can_keep_dossier(request.user, trajectory.organisation_id))
    try:
        informed = traject_actions.record_employee_informed(
            by=request.user, trajectory=trajectory, request=request
        )
    except ValidationError as error:
        flash_error(request, error)
    else:
        if informed:
            messages.success(
                request,
                "Vastgelegd dat de werknemer is geïnformeerd. Het re-integratiebedrijf ziet het "
                "traject nu.",
            )
        else:
            messages.info(request, "Dit was al vastgelegd.")
    return redirect("reintegratie:trajectory", pk=trajectory.pk)
