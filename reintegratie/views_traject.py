"""Pages for trajectories at re-integration companies (RI-5..10).

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
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.roles import Role
from accounts.viewhelpers import apply_errors as _apply_errors
from accounts.viewhelpers import posted as _posted
from accounts.viewhelpers import require as _require
from medisch.public import released_advice, trajectory_notes_sent
from privacy import audit
from privacy.models import AuditAction
from verzuim.models import Ziekmelding

from . import actions, policies, queries
from .forms_traject import (
    DoctorNoteForm,
    InvoiceForm,
    MachtigingForm,
    ReportForm,
    StaffForm,
    SubcontractForm,
    TrajectoryForm,
)
from .models import (
    CommissionerKind,
    DataItem,
    Factuur,
    Machtiging,
    PlanVanAanpak,
    StaffFunction,
    TrajectoryStaff,
)

STAFF_VIEWS = (policies.CONSULTANT, policies.VERVANGER, policies.ADMINISTRATIEF)


def _error_message(request, error: ValidationError):
    messages.error(request, " ".join(error.messages))


def _audit_read(request, trajectory, detail="traject ingezien"):
    audit.record(
        AuditAction.READ,
        "reintegratie.trajectory",
        [trajectory.pk],
        subject=trajectory.werknemer.pseudonym,
        detail=detail,
        request=request,
    )


def _writable(request, pk):
    """The trajectory and view of a page that writes as the company (consultant, vervanger)."""
    trajectory, view = queries.trajectory_for(request.user, pk)
    _require(policies.can_report(view))
    return trajectory, view


def _shows_name(user, trajectory, view) -> bool:
    """Whether this view shows the employee's name. The company knows it only when personalia
    were passed (RI-10); the administrative employee only when invoices carry it (RI-6)."""
    if view == policies.ADMINISTRATIEF:
        return not trajectory.invoice_by_client_number
    if view in (policies.CONSULTANT, policies.VERVANGER):
        return DataItem.PERSONALIA in trajectory.data_items
    if view == policies.EMPLOYER and user.role == Role.CONSULTANT:
        # RI-7: the subcontracting company knows what it received itself.
        return trajectory.parent is not None and DataItem.PERSONALIA in trajectory.parent.data_items
    return True


# --- List and aanmelding (RI-10) -------------------------------------------------------------


def trajectory_list(request):
    user = request.user
    # The employee reads their own trajectories at /reintegratie/mijn/.
    _require(policies.uses_trajectories(user))
    rows = list(
        queries.trajectories_visible_to(user)
        .select_related("werknemer", "organisation", "provider")
        .order_by("-start_on", "-pk")[:200]
    )
    functions = {}
    if user.role == Role.CONSULTANT:
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
                "name": t.werknemer.full_name if user.role != Role.CONSULTANT else "",
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
        {"items": items, "is_company": user.role == Role.CONSULTANT},
    )


def trajectory_create(request, pk):
    zm = queries.case_for(request.user, pk)
    _require(policies.can_commission(request.user, zm.organisation_id))
    form = TrajectoryForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            trajectory = actions.commission_trajectory(
                by=request.user, ziekmelding=zm, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                "Het traject is aangemeld. Het re-integratiebedrijf ziet het pas als de werknemer "
                "heeft gelezen welke gegevens het krijgt.",
            )
            return redirect("reintegratie:trajectory", pk=trajectory.pk)
    return render(
        request,
        "reintegratie/traject_form.html",
        {"form": form, "zm": zm, "werknemer": zm.werknemer},
    )


def subcontract_create(request, pk):
    """RI-7: the handling consultant (or vervanger) hands part of the trajectory to another
    company, which then reports to this company like to an employer."""
    parent, _ = _writable(request, pk)
    form = SubcontractForm(_posted(request), parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            trajectory = actions.commission_subcontract(
                by=request.user, parent=parent, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                "Het traject in onderaanneming is aangemeld. Het andere bedrijf ziet het pas als "
                "de werknemer heeft gelezen welke gegevens het krijgt.",
            )
            return redirect("reintegratie:trajectory", pk=trajectory.pk)
    return render(
        request,
        "reintegratie/traject_form.html",
        {"form": form, "parent": parent, "subcontract": True},
    )


# --- The trajectory page (RI-5..9) ------------------------------------------------------------


def _shared_data(request, trajectory):
    """RI-10: exactly the data the aanmelding passed, nothing more."""
    items = set(trajectory.data_items)
    werknemer = trajectory.werknemer
    data = {"items": [DataItem(i).label for i in trajectory.data_items if i in DataItem.values]}
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
        "data_item_labels": [
            DataItem(i).label for i in trajectory.data_items if i in DataItem.values
        ],
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
            and user.role == Role.CONSULTANT
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
    _audit_read(request, trajectory)
    return render(
        request,
        "reintegratie/traject_detail.html",
        _detail_context(request, trajectory, view),
    )


@require_POST
def staff_assign(request, pk):
    """RI-8: the handling consultant names the vervanger and the administratief medewerker."""
    trajectory, view = queries.trajectory_for(request.user, pk)
    _require(policies.can_assign_staff(view))
    form = StaffForm(request.POST, trajectory=trajectory, exclude_user=request.user)
    if form.is_valid():
        try:
            staff = actions.assign_staff(
                by=request.user,
                trajectory=trajectory,
                user=form.cleaned_data["user"],
                function=form.cleaned_data["function"],
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, f"{staff.user.full_name} is {staff.get_function_display()} op dit traject."
            )
            return redirect("reintegratie:trajectory", pk=trajectory.pk)
    # Errors at the field, on the trajectory page itself.
    _audit_read(request, trajectory)
    return render(
        request,
        "reintegratie/traject_detail.html",
        _detail_context(request, trajectory, view, staff_form=form),
    )


@require_POST
def trajectory_informed(request, pk):
    """RI-10 for an employee without a login: HR records that the notice was given."""
    trajectory, _ = queries.trajectory_for(request.user, pk)
    _require(policies.can_keep_dossier(request.user, trajectory.organisation_id))
    try:
        informed = actions.record_employee_informed(
            by=request.user, trajectory=trajectory, request=request
        )
    except ValidationError as error:
        _error_message(request, error)
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


# --- Progress reports (RI-5) and notes to the doctor -----------------------------------------


def report_create(request, pk):
    trajectory, _ = _writable(request, pk)
    form = ReportForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.file_report(
                by=request.user, trajectory=trajectory, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                "De rapportage is opgeslagen als concept. Leg haar eerst ter inzage aan de "
                "werknemer voor.",
            )
            return redirect("reintegratie:trajectory", pk=trajectory.pk)
    return render(
        request, "reintegratie/traject_report_form.html", {"form": form, "trajectory": trajectory}
    )


@require_POST
def report_share(request, pk):
    report, view = queries.report_for(request.user, pk)
    _require(policies.can_report(view))
    try:
        shared = actions.share_report(by=request.user, report=report, request=request)
    except ValidationError as error:
        _error_message(request, error)
    else:
        if shared:
            messages.success(request, "De rapportage ligt ter inzage bij de werknemer.")
        else:
            messages.info(request, "Deze rapportage lag al ter inzage.")
    return redirect("reintegratie:trajectory", pk=report.trajectory_id)


@require_POST
def report_release(request, pk):
    report, view = queries.report_for(request.user, pk)
    _require(policies.can_report(view))
    try:
        actions.release_report(by=request.user, report=report, request=request)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, "De rapportage is vrijgegeven aan de opdrachtgever.")
    return redirect("reintegratie:trajectory", pk=report.trajectory_id)


def doctor_note_create(request, pk):
    trajectory, _ = _writable(request, pk)
    form = DoctorNoteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.send_note_to_doctor(
                by=request.user,
                trajectory=trajectory,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Verstuurd naar de bedrijfsarts.")
            return redirect("reintegratie:trajectory", pk=trajectory.pk)
    return render(
        request, "reintegratie/traject_note_form.html", {"form": form, "trajectory": trajectory}
    )


# --- Invoices (RI-6) --------------------------------------------------------------------------


def invoice_create(request, pk):
    trajectory, view = queries.trajectory_for(request.user, pk)
    _require(policies.can_invoice(view))
    form = InvoiceForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            factuur = actions.create_invoice(
                by=request.user, trajectory=trajectory, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Factuur {factuur.number} is opgesteld.")
            return redirect("reintegratie:invoice", pk=factuur.pk)
    return render(
        request,
        "reintegratie/traject_invoice_form.html",
        {"form": form, "trajectory": trajectory},
    )


def invoice(request, pk):
    """RI-6: generic description, client number instead of the name on request, marked
    confidential, never cached."""
    factuur = Factuur.objects.filter(pk=pk).first()
    if factuur is None:
        raise Http404
    trajectory, view = queries.trajectory_for(request.user, factuur.trajectory_id)
    if not policies.may(view, "invoices"):
        raise Http404
    if trajectory.commissioner_kind == CommissionerKind.REINTEGRATIEBEDRIJF and trajectory.parent:
        addressee = trajectory.parent.provider.name
    else:
        addressee = trajectory.organisation.name
    audit.record(
        AuditAction.READ,
        "reintegratie.factuur",
        [factuur.pk],
        subject=trajectory.werknemer.pseudonym,
        detail="factuur ingezien",
        request=request,
    )
    response = render(
        request,
        "reintegratie/factuur.html",
        {
            "factuur": factuur,
            "trajectory": trajectory,
            "addressee": addressee,
            "show_name": not trajectory.invoice_by_client_number,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


# --- Machtigingen (RI-9, AV-2) ----------------------------------------------------------------


def machtiging_create(request, pk):
    trajectory, _ = _writable(request, pk)
    form = MachtigingForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_machtiging(
                by=request.user, trajectory=trajectory, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                "De machtiging is gevraagd. De werknemer beslist zelf; pas als die is gegeven "
                "kunt u de gegevens opvragen.",
            )
            return redirect("reintegratie:trajectory", pk=trajectory.pk)
    return render(
        request,
        "reintegratie/traject_machtiging_form.html",
        {"form": form, "trajectory": trajectory},
    )


@require_POST
def machtiging_use(request, pk):
    """RI-9: request the covered data — only while the machtiging is in force."""
    machtiging = Machtiging.objects.filter(pk=pk, trajectory__isnull=False).first()
    if machtiging is None:
        raise Http404
    trajectory, view = queries.trajectory_for(request.user, machtiging.trajectory_id)
    if not policies.may(view, "machtigingen"):
        raise Http404
    _require(policies.can_report(view))
    machtiging.trajectory = trajectory
    try:
        actions.use_machtiging(by=request.user, machtiging=machtiging, request=request)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(
            request,
            f"Vastgelegd: gegevens opgevraagd bij {machtiging.party} op grond van de machtiging "
            "van de werknemer.",
        )
    return redirect("reintegratie:trajectory", pk=trajectory.pk)
