"""Invoices of a trajectory (RI-6): drawn up by the company's staff who invoice (consultant,
vervanger, administratief medewerker); a generic description, the client number instead of the
name on request, marked confidential and never cached.

Views parse and check; reintegratie.actions.trajecten changes state; queries scope.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from accounts.errors import require
from accounts.viewhelpers import posted
from reintegratie import policies, queries
from reintegratie.actions import trajecten as traject_actions
from reintegratie.forms.traject import InvoiceForm
from reintegratie.models import CommissionerKind, Factuur
from reintegratie.viewhelpers import form_page, log_read


def invoice_create(request, pk):
    trajectory, view = queries.trajectory_for(request.user, pk)
    require(policies.can_invoice(view))
    return form_page(
        request,
        InvoiceForm(posted(request)),
        lambda data: traject_actions.create_invoice(
            by=request.user, trajectory=trajectory, request=request, **data
        ),
        message=lambda factuur: f"Factuur {factuur.number} is opgesteld.",
        then=lambda factuur: reverse("reintegratie:invoice", args=[factuur.pk]),
        template="reintegratie/traject_invoice_form.html",
        context={"trajectory": trajectory},
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
    log_read(
        request, "reintegratie.factuur", [factuur.pk], trajectory.werknemer, "factuur ingezien"
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
