"""The doctor's side of the aanstellingskeuring (MD-7). Same gates as medisch/views.py (MD-2
layer 1): `medical_view` first; then only exams of organisations the user is the assigned
bedrijfsarts for (policies.is_doctor_for, SE-9) — another organisation's exam answers 404, as
does one for a casemanager (an exam is not delegable). The exam is recorded once, for a
requested and not yet examined keuring. Every read and write is audited (SE-7), without content.
The write itself is medisch.actions_keuring.record_keuring (atomic with its audit row).

The employer's and the candidate's side live in medisch/public.py."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from accounts.models import Assignment, Organisation, User
from accounts.roles import Role
from privacy import audit
from privacy.models import AuditAction

from . import actions_keuring
from .models_keuring import Keuring, KeuringConclusion
from .views import _posted, medical_view


def keuringen_visible_to(user):
    """Exams of the organisations the user is the assigned bedrijfsarts for (SE-9)."""
    if not (user.is_authenticated and user.is_active and user.role == Role.BEDRIJFSARTS):
        return Keuring.objects.none()
    orgs = list(Assignment.objects.filter(user=user).values_list("organisation_id", flat=True))
    return Keuring.objects.filter(organisation_id__in=orgs)


def keuring_for(user, pk) -> Keuring:
    keuring = keuringen_visible_to(user).filter(pk=pk).first()
    if keuring is None:
        raise Http404
    return keuring


class KeuringRecordForm(forms.Form):
    findings = forms.CharField(
        label="Bevindingen",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Alleen over de aangevraagde aspecten. Alleen de kandidaat leest dit; de "
        "werkgever nooit.",
    )
    conclusion = forms.ChoiceField(
        label="Conclusie",
        choices=[("", "— kies —"), *KeuringConclusion.choices],
        help_text="De werkgever hoort alleen deze conclusie, en alleen als de kandidaat dat wil.",
    )


@medical_view
def keuring_list(request):
    rows = list(keuringen_visible_to(request.user).defer("findings"))
    names = dict(
        User.objects.filter(pk__in={k.candidate_id for k in rows}).values_list("pk", "full_name")
    )
    orgs = dict(
        Organisation.objects.filter(pk__in={k.organisation_id for k in rows}).values_list(
            "pk", "name"
        )
    )
    # SE-7: a list of exams is a search over medical data, one entry per person shown.
    audit.record_reads(
        rows,
        object_type="medisch.keuring",
        subject_of=lambda k: k.subject,
        detail="overzicht aanstellingskeuringen",
        action=AuditAction.SEARCH,
        request=request,
    )
    items = [
        {
            "keuring": k,
            "candidate": names.get(k.candidate_id, ""),
            "organisation": orgs.get(k.organisation_id, ""),
        }
        for k in rows
    ]
    return render(request, "medisch/keuring_list.html", {"items": items})


@medical_view
def keuring_record(request, pk):
    keuring = keuring_for(request.user, pk)
    if keuring.examined_at is not None:
        messages.info(request, "Deze keuring is al vastgelegd.")
        return redirect("medisch:keuringen")
    form = KeuringRecordForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if actions_keuring.record_keuring(
            by=request.user, keuring=keuring, request=request, **form.cleaned_data
        ):
            messages.success(
                request,
                "De keuring is vastgelegd. De kandidaat ziet de uitslag als eerste en beslist "
                "of de werkgever de conclusie hoort.",
            )
        else:
            messages.info(request, "Deze keuring is al vastgelegd.")
        return redirect("medisch:keuringen")
    audit.record(
        AuditAction.READ,
        "medisch.keuring",
        [keuring.pk],
        subject=keuring.subject,
        detail="aanvraag aanstellingskeuring ingezien",
        request=request,
    )
    candidate = User.objects.filter(pk=keuring.candidate_id).first()
    return render(
        request,
        "medisch/keuring_form.html",
        {"form": form, "keuring": keuring, "candidate": candidate},
    )
