"""The doctor's part of re-integration (RI-2, RI-4): the probleemanalyse and the medical part of
the re-integratieverslag. Same gates as medisch/views.py (MD-2 layer 1): `medical_view` first,
then `_writable` — only the bedrijfsarts assigned to the employee's organisation writes; another
organisation's dossier answers 404, a casemanager's too (or 403 within a delegation: recording is
the doctor's own work). Every write is audited (SE-7), without content.

- Probleemanalyse (RI-2): the MEDICAL part (nature of the complaints, limitations and
  circumstances, MD-1) stays in the medical module; the EMPLOYER part is an advice recorded with
  medisch.actions.record_advies (MD-5), with the AdviesForm's warning before anything that looks
  like a diagnosis is released. Recording marks the Poortwachter step "probleemanalyse" done for
  the case (RI-1).
- Re-integratieverslag, medical part (RI-4): goes directly to the EMPLOYEE once delivered
  (medisch.public.medical_report_parts_for_employee); the employer has no route to it.

The writes themselves are medisch.actions_reintegratie (atomic with their audit row and flow).
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import actions_reintegratie, queries
from .forms import DATE_WIDGET, AdviesForm
from .models_reintegratie import VerslagMedischDeel
from .views import _posted, _writable, medical_view

# --- Forms -----------------------------------------------------------------------------------


class ProbleemanalyseForm(AdviesForm):
    """RI-2: the medical part plus the employer part, which is exactly an advice (MD-5). The
    AdviesForm's check on medical words applies to the employer part only; the medical part is
    medical by design and never leaves the medical module."""

    medical_part = forms.CharField(
        label="Medisch deel: aard van de klachten, beperkingen en omstandigheden",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Blijft in het medisch dossier. De werkgever ziet dit nooit.",
    )

    field_order = ["date", "medical_part"]


class VerslagMedischDeelForm(forms.ModelForm):
    """RI-4: the doctor's medical part of the re-integratieverslag, for the employee only."""

    deliver = forms.BooleanField(
        label="Direct aan de werknemer geven", required=False, initial=True
    )

    class Meta:
        model = VerslagMedischDeel
        fields = ["date", "text"]
        widgets = {"date": DATE_WIDGET, "text": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "text": "Gaat rechtstreeks naar de werknemer. De werkgever kan dit niet inzien.",
        }


# --- Lookups ---------------------------------------------------------------------------------


def verslag_deel_for(user, pk) -> VerslagMedischDeel:
    """A verslag part in a dossier the user sees (SE-9: else Http404, page and API alike)."""
    deel = (
        VerslagMedischDeel.objects.filter(pk=pk, dossier__in=queries.dossiers_visible_to(user))
        .select_related("dossier")
        .first()
    )
    if deel is None:
        raise Http404
    return deel


# --- Views -----------------------------------------------------------------------------------


def _current_case(request, dossier, what):
    case = queries.current_case(request.user, dossier)
    if case is None:
        messages.error(request, f"Er is geen verzuimmelding waarvoor {what} kan worden gemaakt.")
    return case


@medical_view
def probleemanalyse_create(request, pk):
    dossier = _writable(request, pk)
    case = _current_case(request, dossier, "een probleemanalyse")
    if case is None:
        return redirect("medisch:dossier", pk=dossier.pk)
    form = ProbleemanalyseForm(_posted(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        actions_reintegratie.record_probleemanalyse_from_form(
            by=request.user, dossier=dossier, case=case, form=form, request=request
        )
        messages.success(request, "De probleemanalyse is vastgelegd.")
        return redirect("medisch:dossier", pk=dossier.pk)
    return render(
        request,
        "medisch/probleemanalyse_form.html",
        {"form": form, "dossier": dossier, "flagged": getattr(form, "flagged_terms", [])},
    )


@medical_view
def verslag_create(request, pk):
    dossier = _writable(request, pk)
    case = _current_case(request, dossier, "een re-integratieverslag")
    if case is None:
        return redirect("medisch:dossier", pk=dossier.pk)
    form = VerslagMedischDeelForm(_posted(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        actions_reintegratie.record_verslag_deel(
            by=request.user,
            dossier=dossier,
            case_id=case.case_id,
            date=form.cleaned_data["date"],
            text=form.cleaned_data["text"],
            deliver=form.cleaned_data["deliver"],
            request=request,
        )
        messages.success(
            request,
            "Het medisch deel van het re-integratieverslag is vastgelegd"
            + (" en aan de werknemer gegeven." if form.cleaned_data["deliver"] else "."),
        )
        return redirect("medisch:dossier", pk=dossier.pk)
    return render(request, "medisch/verslag_form.html", {"form": form, "dossier": dossier})


@medical_view
@require_POST
def verslag_deliver(request, pk):
    """RI-4: give an undelivered verslag part to the employee (the doctor's own work)."""
    deel = verslag_deel_for(request.user, pk)
    if actions_reintegratie.deliver_verslag_deel(by=request.user, deel=deel, request=request):
        messages.success(request, "Het medisch deel is aan de werknemer gegeven.")
    else:
        messages.info(request, "Dit medisch deel was al aan de werknemer gegeven.")
    return redirect("medisch:dossier", pk=deel.dossier_id)
