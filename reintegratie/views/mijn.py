"""The employee's own re-integration page: the plan van aanpak and their response to a version
(RI-3), which data goes to which re-integration company before it goes (RI-10), progress reports
put before them before the employer sees them (RI-5), machtigingen to give, refuse or withdraw
(RI-9, AV-2), copies of the employer's re-integratieverslag and the doctor's medical part of it,
which reaches them directly (RI-4).

Only a werknemer with their own Werknemer record gets here; everyone else, and every object that
is not theirs, gets 404 (missing and forbidden alike). Views parse and check; reintegratie.actions
changes state; reintegratie.queries scopes. The doctor's limitations and capabilities come by
reference from medisch/public.py, like everything else medical here.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.errors import Conflict
from accounts.viewhelpers import apply_errors
from medisch.public import medical_report_parts_for_employee, released_advice
from reintegratie import policies, queries
from reintegratie.actions import machtigingen as machtiging_actions
from reintegratie.actions import plan as plan_actions
from reintegratie.actions import rapportages as rapportage_actions
from reintegratie.actions import trajecten as traject_actions
from reintegratie.forms.mijn import MachtigingDecisionForm, PlanResponseForm, ReportSeenForm
from reintegratie.models import DataItem, MachtigingStatus, ReportStatus, Voortgangsrapportage
from reintegratie.viewhelpers import flash_error, log_read
from verzuim.models import Werknemer

PLAN_CONFLICT_MESSAGE = (
    "Het plan van aanpak is gewijzigd terwijl u het las. Hieronder staat de nieuwe versie "
    "(versie {version}). Lees die en geef opnieuw uw reactie; wat u had ingevuld, staat er nog."
)


def _own_werknemer(request) -> Werknemer:
    """The werknemer whose login this is; 404 for every other role or without a record."""
    if not policies.is_employee(request.user):
        raise Http404
    werknemer = Werknemer.objects.filter(user=request.user).first()
    if werknemer is None:
        raise Http404
    return werknemer


def _own(queryset, pk):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def _own_machtiging(request, pk):
    _own_werknemer(request)
    return _own(queries.machtigingen_for_employee(request.user).select_related("werknemer"), pk)


def _back(anchor=""):
    url = reverse("reintegratie:mijn")
    return redirect(f"{url}#{anchor}" if anchor else url)


def _data_item_labels(trajectory) -> list[str]:
    labels = dict(DataItem.choices)
    return [labels.get(item, item) for item in trajectory.data_items]


def _reports(user):
    """RI-5: the reports put before the employee (never the company's concepts)."""
    return (
        Voortgangsrapportage.objects.filter(
            trajectory__in=queries.trajectories_visible_to(user),
            status__in=(ReportStatus.TER_INZAGE, ReportStatus.VRIJGEGEVEN),
        )
        .select_related("trajectory__provider")
        .order_by("-period_end", "-pk")
    )


def _plan_entries(request, werknemer, forms):
    entries = []
    plans = (
        queries.plans_visible_to(request.user)
        .select_related("werknemer")
        .prefetch_related("activiteiten", "versies", "evaluaties")
        .order_by("-drawn_up_on", "-pk")
    )
    for plan in plans:
        advies = None
        if plan.advies_ref:
            # RI-3: the doctor's limitations and capabilities, shown live by reference.
            advies = next(
                (
                    a
                    for a in released_advice(
                        plan.case_id, subject=plan.werknemer.pseudonym, request=request
                    )
                    if a.id == plan.advies_ref
                ),
                None,
            )
        form = forms.get(plan.pk)
        if form is None:
            initial = {"version": plan.version}
            if plan.response_is_current:
                initial.update(response=plan.employee_response, remark=plan.employee_remark)
            form = PlanResponseForm(initial=initial, pk=plan.pk)
        # RI-12: the plan's version and its evaluations, signed or to sign.
        plan_signing, evaluatie_signing = queries.signing_states(request.user, plan)
        entries.append(
            {
                "plan": plan,
                "signing": plan_signing,
                "advies": advies,
                "activiteiten": list(plan.activiteiten.all()),
                "versies": list(plan.versies.all()),
                "evaluaties": list(evaluatie_signing.values()),
                "form": form,
            }
        )
    return entries


def _render(request, werknemer, *, plan_forms=None, report_forms=None, status=200):
    """The whole page; a refused POST re-renders it with its bound form (nothing typed is lost)."""
    user = request.user
    plan_forms = plan_forms or {}
    report_forms = report_forms or {}
    trajectories = list(
        queries.trajectories_visible_to(user)
        .select_related("provider", "parent__provider")
        .order_by("-start_on", "-pk")
    )
    notices = [
        {"trajectory": t, "data_items": _data_item_labels(t)}
        for t in trajectories
        if t.employee_informed_at is None
    ]
    informed = [
        {"trajectory": t, "data_items": _data_item_labels(t)}
        for t in trajectories
        if t.employee_informed_at is not None
    ]
    reports = []
    for report in _reports(user):
        form = None
        if report.status == ReportStatus.TER_INZAGE and report.employee_seen_at is None:
            form = report_forms.get(report.pk) or ReportSeenForm(pk=report.pk)
        reports.append({"report": report, "form": form})
    log_read(request, "reintegratie.mijn", [werknemer.pk], werknemer, "eigen re-integratiepagina")
    return render(
        request,
        "reintegratie/mijn.html",
        {
            "werknemer": werknemer,
            "plans": _plan_entries(request, werknemer, plan_forms),
            "notices": notices,
            "trajectories": informed,
            "reports": reports,
            "machtigingen": list(
                queries.machtigingen_for_employee(user).select_related("trajectory")
            ),
            "verslagen": list(queries.verslagen_visible_to(user)),
            "bundels": list(queries.bundles_visible_to(user)),
            "verslag_delen": medical_report_parts_for_employee(user, request=request),
            "GEVRAAGD": MachtigingStatus.GEVRAAGD,
            "GEGEVEN": MachtigingStatus.GEGEVEN,
        },
        status=status,
    )


@require_GET
def mijn(request):
    werknemer = _own_werknemer(request)
    return _render(request, werknemer)


# --- Plan van aanpak (RI-3) -----------------------------------------------------------------------


@require_POST
def plan_response(request, pk):
    werknemer = _own_werknemer(request)
    plan = _own(queries.plans_visible_to(request.user).select_related("werknemer"), pk)
    form = PlanResponseForm(request.POST, pk=plan.pk)
    if form.is_valid():
        try:
            plan_actions.respond_to_plan(
                by=request.user,
                plan=plan,
                version=form.cleaned_data["version"],
                agree=form.agrees,
                remark=form.cleaned_data["remark"],
                request=request,
            )
        except Conflict:
            plan.refresh_from_db()
            # Keep what was typed; the hidden version now names the version shown, so the next
            # submit answers the version the employee has actually read.
            data = request.POST.copy()
            data["version"] = str(plan.version)
            form = PlanResponseForm(data, pk=plan.pk)
            form.is_valid()
            form.add_error(None, PLAN_CONFLICT_MESSAGE.format(version=plan.version))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if form.agrees:
                messages.success(
                    request, f"U bent akkoord gegaan met versie {plan.version} van het plan."
                )
            else:
                messages.success(
                    request,
                    f"Uw reactie op versie {plan.version} is vastgelegd: u bent het niet eens "
                    "met het plan. Uw werkgever ziet uw opmerking.",
                )
            return _back(f"plan-{plan.pk}")
    return _render(request, werknemer, plan_forms={plan.pk: form})


# --- Trajectories: the notice before the aanmelding (RI-10) ---------------------------------------


@require_POST
def trajectory_ack(request, pk):
    _own_werknemer(request)
    trajectory = _own(
        queries.trajectories_visible_to(request.user).select_related("werknemer", "provider"), pk
    )
    if traject_actions.acknowledge_trajectory(
        by=request.user, trajectory=trajectory, request=request
    ):
        messages.success(
            request,
            f"U hebt gelezen welke gegevens naar {trajectory.provider.name} gaan. Het traject "
            "kan nu beginnen.",
        )
    else:
        messages.info(request, "U had deze melding al gelezen.")
    return _back(f"traject-{trajectory.pk}")


# --- Progress reports (RI-5) ----------------------------------------------------------------------


@require_POST
def report_seen(request, pk):
    werknemer = _own_werknemer(request)
    report = _own(_reports(request.user).select_related("trajectory__werknemer"), pk)
    form = ReportSeenForm(request.POST, pk=report.pk)
    if form.is_valid():
        try:
            marked = rapportage_actions.mark_report_seen(
                by=request.user, report=report, remark=form.cleaned_data["remark"], request=request
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if marked:
                messages.success(
                    request,
                    "U hebt de rapportage gelezen. Het re-integratiebedrijf mag haar nu aan uw "
                    "werkgever geven.",
                )
            else:
                messages.info(request, "U had deze rapportage al gelezen.")
            return _back(f"rapport-{report.pk}")
    return _render(request, werknemer, report_forms={report.pk: form})


# --- Machtigingen (RI-9, AV-2) --------------------------------------------------------------------


@require_POST
def machtiging_decide(request, pk):
    machtiging = _own_machtiging(request, pk)
    form = MachtigingDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Kies 'Geven' of 'Weigeren'. Er is niets vastgelegd.")
        return _back(f"machtiging-{machtiging.pk}")
    try:
        machtiging_actions.decide_machtiging(
            by=request.user, machtiging=machtiging, give=form.gives, request=request
        )
    except ValidationError as error:
        flash_error(request, error)
    else:
        if form.gives:
            messages.success(
                request,
                f"U hebt toestemming gegeven aan {machtiging.requester_name}. U kunt haar op "
                "elk moment intrekken.",
            )
        else:
            messages.success(
                request,
                "U hebt de toestemming geweigerd. Dat heeft geen nadelige gevolgen voor u.",
            )
    return _back(f"machtiging-{machtiging.pk}")


@require_POST
def machtiging_revoke(request, pk):
    machtiging = _own_machtiging(request, pk)
    if machtiging_actions.revoke_machtiging(
        by=request.user, machtiging=machtiging, request=request
    ):
        messages.success(
            request,
            "U hebt de toestemming ingetrokken. Vanaf nu mag er niets meer mee worden "
            "opgevraagd. Intrekken heeft geen nadelige gevolgen voor u.",
        )
    else:
        messages.info(request, "Deze toestemming was niet (meer) gegeven; er is niets veranderd.")
    return _back(f"machtiging-{machtiging.pk}")
