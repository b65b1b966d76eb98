"""The Poortwachter documents' own pages (RI-12): the eerstejaars- and eindevaluatie (and every
evaluation) and the doctor's released documents — the probleemanalyse's employer part and the
actueel oordeel's functional part, through medisch/public.py (MD-5) — each a page and the same
template as a PDF (core/pdf.py); the BSN for the UWV documents (HR, DG-2); and the employee's
zienswijze on a document (RI-12).

Who reads what: an evaluation like the plan's versions (werkgever and HR of the organisation,
the assigned bedrijfsarts, the employee themself); the doctor's documents like the plan (which
shows them); the BSN: HR of the organisation; the zienswijze: the employee on their own
documents. Views parse and check; reintegratie.actions.documenten changes state.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from accounts.errors import require
from accounts.viewhelpers import posted
from core.pdf import pdf_response
from medisch.public import released_document
from privacy.models import AuditAction
from reintegratie import policies, queries
from reintegratie.actions import documenten as document_actions
from reintegratie.documents import evaluatie_context, oordeel_context
from reintegratie.forms.documenten import UwvBsnForm, ZienswijzeForm
from reintegratie.models import (
    DocumentKind,
    Evaluatie,
)
from reintegratie.viewhelpers import form_page, log_read


def evaluatie(request, pk, pdf=False):
    """RI-1, RI-12: one evaluation as a document (the eerstejaars- and eindevaluatie with what
    UWV asks of them)."""
    item = (
        Evaluatie.objects.select_related("plan__werknemer__organisation")
        .filter(pk=pk, plan__in=queries.plans_visible_to(request.user))
        .first()
    )
    if item is None:
        raise Http404
    plan = item.plan
    require(policies.can_read_plan_versions(request.user, plan))
    log_read(
        request,
        "reintegratie.evaluatie",
        [item.pk],
        plan.werknemer,
        f"{item.get_kind_display()} {'als PDF ' if pdf else ''}ingezien",
        AuditAction.EXPORT if pdf else AuditAction.READ,
    )
    own = policies.is_own_employee(request.user, plan.werknemer)
    context = evaluatie_context(item, pdf=pdf, own=own)
    if pdf:
        return pdf_response(
            "reintegratie/evaluatie.html",
            context,
            request,
            filename=f"{item.kind}-{item.pk}.pdf",
        )
    return render(request, "reintegratie/evaluatie.html", context)


def oordeel(request, pk, advies, pdf=False):
    """RI-2, RI-12, MD-5: the probleemanalyse's employer part or the actueel oordeel's
    functional part, as the doctor released it (medisch.public.released_document) — never the
    medical part."""
    zm = queries.case_for(request.user, pk)
    require(policies.can_read_plan(request.user, zm.organisation_id))
    document = released_document(
        zm.case_id, advies, subject=zm.werknemer.pseudonym, request=request
    )
    if document is None:
        raise Http404
    context = oordeel_context(zm, document, pdf=pdf)
    if pdf:
        log_read(
            request,
            "medisch.advies",
            [document.id],
            zm.werknemer,
            f"{document.title.lower()} als PDF",
            AuditAction.EXPORT,
        )
        return pdf_response(
            "reintegratie/oordeel.html",
            context,
            request,
            filename=f"{document.kind}-{document.id}.pdf",
        )
    return render(request, "reintegratie/oordeel.html", context)


def uwv_bsn(request, pk):
    """DG-2: HR records the employee's BSN for the documents to UWV (RI-11, RI-12)."""
    zm = queries.case_for(request.user, pk)
    require(policies.can_keep_dossier(request.user, zm.organisation_id))
    return form_page(
        request,
        UwvBsnForm(posted(request)),
        lambda data: document_actions.record_uwv_bsn(
            by=request.user, werknemer=zm.werknemer, bsn=data["bsn"], request=request
        ),
        message="Het BSN voor de UWV-documenten is vastgelegd.",
        then=reverse("reintegratie:dossier", args=[zm.pk]),
        template="reintegratie/bsn_form.html",
        context={"zm": zm, "current": zm.werknemer.bsn_masked if zm.werknemer.bsn_last3 else ""},
    )


def _own_document(user, kind, pk):
    """(werknemer, case_id, organisation_id, version, title) of the employee's own document."""
    if kind == DocumentKind.PLAN:
        plan = queries.plan_for(user, pk)
        return plan.werknemer, plan.case_id, plan.organisation_id, plan.version, "plan van aanpak"
    if kind == DocumentKind.EVALUATIE:
        item = (
            Evaluatie.objects.select_related("plan__werknemer")
            .filter(pk=pk, plan__in=queries.plans_visible_to(user))
            .first()
        )
        if item is None:
            raise Http404
        plan = item.plan
        return plan.werknemer, plan.case_id, plan.organisation_id, None, item.get_kind_display()
    if kind == DocumentKind.VERSLAG:
        verslag = queries.verslagen_visible_to(user).select_related("werknemer").filter(pk=pk)
        verslag = verslag.first()
        if verslag is None:
            raise Http404
        return (
            verslag.werknemer,
            verslag.case_id,
            verslag.organisation_id,
            None,
            "re-integratieverslag (deel werkgever)",
        )
    raise Http404


def mijn_zienswijze(request, kind, pk):
    """RI-12: the employee's own view on one of their documents, where they disagree."""
    require(policies.is_employee(request.user))
    werknemer, case_id, organisation_id, version, title = _own_document(request.user, kind, pk)
    require(policies.is_own_employee(request.user, werknemer))
    if kind == DocumentKind.PLAN:
        asked = request.GET.get("versie", "")
        version = int(asked) if asked.isdigit() and 0 < int(asked) <= version else version
    return form_page(
        request,
        ZienswijzeForm(posted(request)),
        lambda data: document_actions.record_zienswijze(
            by=request.user,
            kind=kind,
            document_id=pk,
            werknemer=werknemer,
            case_id=case_id,
            organisation_id=organisation_id,
            version=version,
            text=data["text"],
            request=request,
        ),
        message="Uw zienswijze is bij het document vastgelegd.",
        then=reverse("reintegratie:mijn"),
        template="reintegratie/zienswijze_form.html",
        context={"document_title": title},
    )
