"""The doctor's part of re-integration (RI-2, RI-4): the probleemanalyse and the medical part of
the re-integratieverslag. Same gates as the dossier pages (MD-2 layer 1):
`gate(policies.may_enter)` first, then `queries.writable_dossier_for` — only the bedrijfsarts
assigned to the employee's organisation writes; another organisation's dossier answers 404, a
casemanager's too (or 403 within a delegation: recording is the doctor's own work). Every write
is audited (SE-7), without content.

- Probleemanalyse (RI-2): the MEDICAL part (nature of the complaints, limitations and
  circumstances, MD-1) stays in the medical module; the EMPLOYER part is an advice recorded with
  medisch.actions.dossier.record_advies (MD-5), with the AdviesForm's warning before anything
  that looks like a diagnosis is released. Recording marks the Poortwachter step
  "probleemanalyse" done for the case (RI-1).
- Re-integratieverslag, medical part (RI-4): goes directly to the EMPLOYEE once delivered
  (medisch.public.medical_report_parts_for_employee); the employer has no route to it.

The writes themselves are medisch.actions.reintegratie (atomic with their audit row and flow).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.gates import gate
from accounts.viewhelpers import apply_errors, posted
from medisch import policies, queries
from medisch.actions import reintegratie as reintegratie_actions
from medisch.forms import ProbleemanalyseForm, VerslagMedischDeelForm


def _current_case(request, dossier, what):
    case = queries.current_case(request.user, dossier)
    if case is None:
        messages.error(request, f"Er is geen verzuimmelding waarvoor {what} kan worden gemaakt.")
    return case


@gate(policies.may_enter)
def probleemanalyse_create(request, pk):
    dossier = queries.writable_dossier_for(request.user, pk)
    case = _current_case(request, dossier, "een probleemanalyse")
    if case is None:
        return redirect("medisch:dossier", pk=dossier.pk)
    form = ProbleemanalyseForm(posted(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            reintegratie_actions.record_probleemanalyse_from_form(
                by=request.user, dossier=dossier, case=case, form=form, request=request
            )
        except ValidationError as error:  # RI-1: dated in the future or before the case
            apply_errors(form, error)
        else:
            messages.success(request, "De probleemanalyse is vastgelegd.")
            return redirect("medisch:dossier", pk=dossier.pk)
    return render(
        request,
        "medisch/probleemanalyse_form.html",
        {"form": form, "dossier": dossier, "flagged": getattr(form, "flagged_terms", [])},
    )


@gate(policies.may_enter)
def verslag_create(request, pk):
    dossier = queries.writable_dossier_for(request.user, pk)
    case = _current_case(request, dossier, "een re-integratieverslag")
    if case is None:
        return redirect("medisch:dossier", pk=dossier.pk)
    form = VerslagMedischDeelForm(posted(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        reintegratie_actions.record_verslag_deel(
            by=request.user,
            dossier=dossier,
            case_id=case.case_id,
            request=request,
            **form.cleaned_data,
        )
        messages.success(
            request,
            "Het medisch deel van het re-integratieverslag is vastgelegd"
            + (" en aan de werknemer gegeven." if form.cleaned_data["deliver"] else "."),
        )
        return redirect("medisch:dossier", pk=dossier.pk)
    return render(request, "medisch/verslag_form.html", {"form": form, "dossier": dossier})


@gate(policies.may_enter)
@require_POST
def verslag_deliver(request, pk):
    """RI-4: give an undelivered verslag part to the employee (the doctor's own work)."""
    deel = queries.verslag_deel_for(request.user, pk)
    if reintegratie_actions.deliver_verslag_deel(by=request.user, deel=deel, request=request):
        messages.success(request, "Het medisch deel is aan de werknemer gegeven.")
    else:
        messages.info(request, "Dit medisch deel was al aan de werknemer gegeven.")
    return redirect("medisch:dossier", pk=deel.dossier_id)


@gate(policies.may_enter)
@require_POST
def wazo_oordeel(request, pk, verlof_pk):
    """ZM-5: the doctor's yes/no on the cause of sickness around a Wazo leave."""
    dossier = queries.writable_dossier_for(request.user, pk)
    same_cause = request.POST.get("same_cause")
    if same_cause not in ("ja", "nee"):
        messages.error(request, "Kies of de oorzaak dezelfde is.")
        return redirect("medisch:dossier", pk=dossier.pk)
    reintegratie_actions.record_wazo_oordeel(
        by=request.user,
        dossier=dossier,
        verlof_id=verlof_pk,
        same_cause=same_cause == "ja",
        date=timezone.localdate(),
        request=request,
    )
    messages.success(
        request,
        "Vastgelegd: de verzuimperioden rond het verlof worden "
        + ("samengeteld." if same_cause == "ja" else "niet samengeteld."),
    )
    return redirect("medisch:dossier", pk=dossier.pk)
