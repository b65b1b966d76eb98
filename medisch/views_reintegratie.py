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
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from privacy import audit, flows
from privacy.models import AuditAction, LegalBasis, Recipient
from verzuim.models import DeadlineCompletion

from . import actions, policies, queries
from .forms import DATE_WIDGET, AdviesForm
from .models_reintegratie import Probleemanalyse, VerslagMedischDeel
from .retention import touch_dossier
from .views import _posted, _writable, medical_view

PROBLEEMANALYSE_KEY = "probleemanalyse"


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


# --- Actions ---------------------------------------------------------------------------------


def record_probleemanalyse_from_form(*, by, dossier, case, form, request=None):
    """The page and the API record from the same validated form (the advice fields plus the
    medical part)."""
    data = dict(form.cleaned_data)
    return record_probleemanalyse(
        by=by,
        dossier=dossier,
        case_id=case.case_id,
        date=data.pop("date"),
        medical_part=data.pop("medical_part"),
        release=data.pop("release"),
        request=request,
        **{k: v for k, v in data.items() if k != "confirm_terms"},
    )


def record_probleemanalyse(
    *, by, dossier, case_id, date, medical_part, release, request=None, **advice
) -> Probleemanalyse:
    """RI-2: the medical part here, the employer part as an advice (MD-5, released when
    `release`); marks the Poortwachter step "probleemanalyse" done for the case (RI-1)."""
    if not policies.can_write(by, dossier):
        raise PermissionDenied
    with transaction.atomic(using="medisch"):
        advies = actions.record_advies(
            by=by,
            dossier=dossier,
            case_id=case_id,
            release=release,
            request=request,
            date=date,
            **advice,
        )
        analyse = Probleemanalyse.objects.create(
            dossier=dossier,
            case_id=case_id,
            date=date,
            medical_part=medical_part,
            advies=advies,
            created_by_id=by.pk,
        )
    DeadlineCompletion.objects.get_or_create(
        case_id=case_id,
        key=PROBLEEMANALYSE_KEY,
        occurrence=1,
        defaults={"completed_on": date, "completed_by_id": by.pk},
    )
    audit.record(
        AuditAction.CREATE,
        "medisch.probleemanalyse",
        [analyse.pk],
        subject=dossier.subject,
        detail="probleemanalyse vastgelegd",
        request=request,
        actor=by,
    )
    return analyse


def record_verslag_deel(
    *, by, dossier, case_id, date, text, deliver, request=None
) -> VerslagMedischDeel:
    """RI-4: the medical part of the re-integratieverslag; `deliver` gives it to the employee."""
    if not policies.can_write(by, dossier):
        raise PermissionDenied
    with transaction.atomic(using="medisch"):
        deel = VerslagMedischDeel.objects.create(
            dossier=dossier,
            case_id=case_id,
            date=date,
            text=text,
            delivered_at=timezone.now() if deliver else None,
            created_by_id=by.pk,
        )
        touch_dossier(dossier.pk)
    audit.record(
        AuditAction.CREATE,
        "medisch.reintegratieverslag",
        [deel.pk],
        subject=dossier.subject,
        detail="medisch deel re-integratieverslag vastgelegd"
        + (" en aan de werknemer gegeven" if deliver else " (nog niet gegeven)"),
        request=request,
        actor=by,
    )
    if deliver:
        _record_verslag_flow(deel, dossier, by)
    return deel


def _record_verslag_flow(deel, dossier, by):
    """RI-4, RI-9: the medical part goes directly to the employee."""
    flows.record_flow(
        kind="medisch deel re-integratieverslag",
        recipient=Recipient.WERKNEMER,
        legal_basis=LegalBasis.POORTWACHTER,
        object_type="medisch.reintegratieverslag",
        object_id=deel.pk,
        subject=dossier.subject,
        actor=by,
    )


def deliver_verslag_deel(*, by, deel, request=None) -> bool:
    """RI-4: give a verslag part recorded without "Direct aan de werknemer geven" to the
    employee after all. False when it was already given (nothing changes)."""
    dossier = deel.dossier
    if not policies.can_write(by, dossier):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic(using="medisch"):
        given = VerslagMedischDeel.objects.filter(pk=deel.pk, delivered_at__isnull=True).update(
            delivered_at=now
        )
        if given:
            touch_dossier(dossier.pk, now)
    if not given:
        return False
    audit.record(
        AuditAction.UPDATE,
        "medisch.reintegratieverslag",
        [deel.pk],
        subject=dossier.subject,
        detail="medisch deel re-integratieverslag aan de werknemer gegeven",
        request=request,
        actor=by,
    )
    _record_verslag_flow(deel, dossier, by)
    return True


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
        record_probleemanalyse_from_form(
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
        record_verslag_deel(
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
    if deliver_verslag_deel(by=request.user, deel=deel, request=request):
        messages.success(request, "Het medisch deel is aan de werknemer gegeven.")
    else:
        messages.info(request, "Dit medisch deel was al aan de werknemer gegeven.")
    return redirect("medisch:dossier", pk=deel.dossier_id)
