"""Employer-side pages of the re-integratiedossier and the employer's part of the
re-integratieverslag (RI-4): HR of the organisation keeps the dossier with its correspondence,
generates the verslag and gives the employee a copy.

Views parse and check; reintegratie.actions.dossier changes state; reintegratie.queries scopes
(SE-9). Every page that shows a case's re-integration writes to the audit log (SE-7).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.errors import require
from accounts.viewhelpers import posted
from core.pdf import pdf_response
from privacy.models import AuditAction
from reintegratie import policies, queries
from reintegratie.actions import dossier as dossier_actions
from reintegratie.documents import verslag_context
from reintegratie.forms.dossier import CorrespondentieForm
from reintegratie.viewhelpers import form_page, log_read


def _kept_case(request, pk):
    """The case of a dossier page: HR of its organisation only."""
    zm = queries.case_for(request.user, pk)
    require(policies.can_keep_dossier(request.user, zm.organisation_id))
    return zm


def dossier(request, pk):
    zm = _kept_case(request, pk)
    contents = queries.dossier_contents(zm, request=request)
    log_read(
        request, "reintegratie.dossier", [zm.pk], zm.werknemer, "re-integratiedossier ingezien"
    )
    verslagen = queries.verslagen_visible_to(request.user).filter(case_id=zm.case_id)
    return render(
        request,
        "reintegratie/dossier.html",
        {"zm": zm, "verslagen": verslagen, **contents},
    )


def correspondentie_create(request, pk):
    zm = _kept_case(request, pk)
    return form_page(
        request,
        CorrespondentieForm(posted(request)),
        lambda data: dossier_actions.add_correspondentie(
            by=request.user, ziekmelding=zm, request=request, **data
        ),
        message="De correspondentie is aan het dossier toegevoegd.",
        then=reverse("reintegratie:dossier", args=[zm.pk]),
        template="reintegratie/correspondentie_form.html",
        context={"zm": zm},
    )


@require_POST
def verslag_create(request, pk):
    zm = _kept_case(request, pk)
    verslag_obj = dossier_actions.generate_verslag(by=request.user, ziekmelding=zm, request=request)
    messages.success(request, "Het re-integratieverslag (deel werkgever) is opgesteld.")
    return redirect("reintegratie:verslag", pk=verslag_obj.pk)


def verslag(request, pk, pdf=False):
    """RI-4: the employer's part, HR of the organisation, and the employee once they have been
    given their copy. RI-12: the same page as a PDF (pdf=True), the BSN in full only there."""
    verslag_obj = (
        queries.verslagen_visible_to(request.user).select_related("werknemer").filter(pk=pk).first()
    )
    if verslag_obj is None:
        raise Http404
    log_read(
        request,
        "reintegratie.reintegratieverslag",
        [verslag_obj.pk],
        verslag_obj.werknemer,
        f"re-integratieverslag (deel werkgever) {'als PDF ' if pdf else ''}ingezien",
        AuditAction.EXPORT,
    )
    context = verslag_context(
        verslag_obj,
        pdf=pdf,
        own=policies.is_own_employee(request.user, verslag_obj.werknemer),
        can_give=policies.can_keep_dossier(request.user, verslag_obj.organisation_id)
        and verslag_obj.given_to_employee_at is None,
        zm=queries.newest_period(verslag_obj.case_id),
    )
    if pdf:
        return pdf_response(
            "reintegratie/verslag.html",
            context,
            request,
            filename=f"re-integratieverslag-{verslag_obj.pk}.pdf",
        )
    response = render(request, "reintegratie/verslag.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def verslag_give(request, pk):
    verslag_obj = queries.verslagen_visible_to(request.user).filter(pk=pk).first()
    if verslag_obj is None:
        raise Http404
    require(policies.can_keep_dossier(request.user, verslag_obj.organisation_id))
    if dossier_actions.give_verslag(by=request.user, verslag=verslag_obj, request=request):
        messages.success(request, "De werknemer heeft een kopie van het verslag gekregen.")
    return redirect("reintegratie:verslag", pk=verslag_obj.pk)
