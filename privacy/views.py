"""The public privacy statement (AV-5) and the operator's data-breach register (AV-4)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from . import audit, breaches
from .forms import DatalekForm
from .models import AuditAction, Datalek, LegalBasis

RIGHTS = [
    ("inzage", "U mag zien welke gegevens wij over u hebben (art. 15 AVG)."),
    ("rectificatie", "U mag onjuiste gegevens laten verbeteren (art. 16)."),
    ("verwijdering", "U mag vragen gegevens te wissen als er geen grond meer is (art. 17)."),
    ("beperking", "U mag vragen de verwerking tijdelijk te beperken (art. 18)."),
    ("bezwaar", "U mag bezwaar maken tegen verwerking op grond van een belang (art. 21)."),
    ("overdraagbaarheid", "U krijgt uw gegevens in een gangbaar, leesbaar formaat (art. 20)."),
]


def _is_operator(user):
    return user.is_authenticated and user.is_active and user.role == "beheerder"


@login_not_required
def statement(request):
    """AV-5: every item, filled from settings and the processing register (retention.registry)."""
    from retention import registry

    categories = registry.categories()
    return render(
        request,
        "privacy/statement.html",
        {
            "controller": settings.PRIVACY_CONTROLLER,
            "dpo": settings.PRIVACY_DPO,
            "categories": categories,
            "legal_bases": LegalBasis.choices,
            "rights": RIGHTS,
        },
    )


def breach_list(request):
    if not _is_operator(request.user):
        raise PermissionDenied
    rows = [(b, breaches.countdown(b)) for b in Datalek.objects.all()]
    return render(request, "privacy/breach_list.html", {"rows": rows})


def breach_form(request, pk=None):
    if not _is_operator(request.user):
        raise PermissionDenied
    breach = None
    if pk is not None:
        breach = Datalek.objects.filter(pk=pk).first()
        if breach is None:
            raise Http404
    form = DatalekForm(request.POST if request.method == "POST" else None, instance=breach)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if breach is None:
            saved.recorded_by = request.user
        saved.save()
        audit.record(
            AuditAction.CREATE if breach is None else AuditAction.UPDATE,
            "privacy.datalek",
            [saved.pk],
            subject=None,
            detail="datalek geregistreerd" if breach is None else "datalek bijgewerkt",
            request=request,
        )
        messages.success(request, "Het datalek is vastgelegd.")
        return redirect("privacy:breach", pk=saved.pk)
    return render(
        request,
        "privacy/breach_form.html",
        {
            "form": form,
            "breach": breach,
            "countdown": breaches.countdown(breach) if breach else None,
            "deadline": breaches.ap_deadline(breach) if breach else None,
            "inform_persons": breaches.needs_persons_informed(breach) if breach else False,
        },
    )
