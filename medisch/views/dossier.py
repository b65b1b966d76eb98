"""The doctor's pages of the dossier (MD-1, MD-4, MD-5). Layer 1 of MD-2: every view passes
`gate(policies.may_enter)`, which admits only the medical roles; each object then goes through
medisch.queries and medisch.policies. Every read and write is audited (SE-7); a casemanager's
access is logged on behalf of the delegating doctor."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.errors import require
from accounts.gates import gate
from accounts.policies import is_doctor_for
from accounts.roles import OrganisationKind
from accounts.scoping import organisations_for
from accounts.viewhelpers import apply_errors, posted, search_term
from medisch import policies, queries
from medisch.actions import dossier as dossier_actions
from medisch.forms import AdviesForm, AdviesReleaseForm, ConsultForm, DelegationForm
from medisch.models import TrajectNotitie, WazoOordeel
from privacy import audit
from privacy.models import AuditAction
from verzuim import queries as verzuim_queries
from verzuim.models import Verlof

# Rows per page of the dossier list.
PAGE_SIZE = 25


def _organisation_filter(request, organisations):
    """The client chosen in the list's filter (?organisatie=<id>), if it is one the user serves;
    anything else means "all clients" (an unknown id shows nothing it should not)."""
    chosen = request.GET.get("organisatie", "")
    return next((o for o in organisations if str(o.pk) == chosen), None)


@gate(policies.may_enter)
def index(request):
    """The medical dossiers (SE-9: a doctor sees the employees of the clients they serve, a
    casemanager the dossiers delegated to them), searchable by name or personnel number, to be
    narrowed to one client, and paginated. The search term travels in a POST and is kept in the
    session, never in the URL (accounts.viewhelpers.search_term). Audited as a search (SE-7)."""
    q, searched = search_term(request, "medisch_dossiers")
    if searched:
        return searched
    organisations, organisation, query = [], None, ""
    if policies.is_bedrijfsarts(request.user):
        organisations = list(
            organisations_for(request.user).filter(kind=OrganisationKind.WERKGEVER).order_by("name")
        )
        organisation = _organisation_filter(request, organisations)
        rows = verzuim_queries.werknemers_visible_to(request.user).select_related("organisation")
        if organisation is not None:
            rows = rows.filter(organisation=organisation)
            query = urlencode({"organisatie": organisation.pk})
        if q:
            rows = rows.filter(
                Q(first_name__icontains=q)
                | Q(last_name__icontains=q)
                | Q(personnel_number__iexact=q)
            )
        page = Paginator(
            rows.order_by("last_name", "first_name", "organisation__name", "pk"), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        dossiers = {
            d.werknemer_id: d
            for d in queries.dossiers_visible_to(request.user).filter(
                werknemer_id__in=[w.pk for w in page]
            )
        }
    else:  # a casemanager: the dossiers delegated to them (MD-4), without names
        page = Paginator(
            queries.dossiers_visible_to(request.user).order_by("pk"), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        dossiers = {d.werknemer_id: d for d in page}
    audit.record(
        AuditAction.SEARCH,
        "medisch.dossier",
        [d.pk for d in dossiers.values()],
        detail="overzicht medische dossiers",
        request=request,
    )
    return render(
        request,
        "medisch/index.html",
        {
            "page": page,
            "dossiers": dossiers,
            "is_doctor": policies.is_bedrijfsarts(request.user),
            "organisations": organisations,
            "organisation": organisation,
            "q": q,
            "query": query,
        },
    )


@gate(policies.may_enter)
@require_POST
def open_dossier(request, werknemer_pk):
    werknemer = verzuim_queries.werknemer_for(request.user, werknemer_pk)
    require(is_doctor_for(request.user, werknemer.organisation_id))
    dossier = dossier_actions.open_dossier(by=request.user, werknemer=werknemer, request=request)
    return redirect("medisch:dossier", pk=dossier.pk)


def _verloven(dossier):
    """ZM-5: the employee's Wazo leaves with the doctor's same-cause judgement, if given."""
    leaves = list(Verlof.objects.filter(werknemer_id=dossier.werknemer_id))
    judged = dict(
        WazoOordeel.objects.filter(verlof_id__in=[v.pk for v in leaves]).values_list(
            "verlof_id", "same_cause"
        )
    )
    return [(v, judged.get(v.pk)) for v in leaves]


@gate(policies.may_enter)
def dossier(request, pk):
    dossier = queries.dossier_for(request.user, pk)
    user = request.user
    can_consults = policies.can_read_part(user, dossier, "consults")
    can_adviezen = policies.can_read_part(user, dossier, "adviezen")
    consults = list(dossier.consults.all()) if can_consults else []
    # RI-2, RI-4: the medical parts of the probleemanalyse and the re-integratieverslag.
    probleemanalyses = (
        list(dossier.probleemanalyses.select_related("advies")) if can_consults else []
    )
    verslag_delen = list(dossier.verslag_delen.all()) if can_consults else []
    # RI-5, RI-6: the re-integration company's detailed proposals and fuller reports.
    traject_notities = (
        list(TrajectNotitie.objects.filter(werknemer_id=dossier.werknemer_id))
        if can_consults
        else []
    )
    adviezen = list(dossier.adviezen.all()) if can_adviezen else []
    can_documents = policies.can_read_part(user, dossier, "documenten")
    can_correspondence = policies.can_read_part(user, dossier, "correspondentie")
    documents = list(dossier.documents.all()) if can_documents else []
    correspondence = list(dossier.correspondence.all()) if can_correspondence else []
    werknemer = verzuim_queries.werknemers_visible_to(user).filter(pk=dossier.werknemer_id).first()
    shown = {
        "consult": consults,
        "advies": adviezen,
        "document": documents,
        "correspondentie": correspondence,
        "probleemanalyse": probleemanalyses,
        "verslag": verslag_delen,
        "trajectnotitie": traject_notities,
    }
    queries.record_dossier_read(
        request,
        dossier,
        {kind: [row.pk for row in rows] for kind, rows in shown.items()},
        detail="medisch dossier ingezien",
    )
    can_write = policies.can_write(user, dossier)
    return render(
        request,
        "medisch/dossier.html",
        {
            "dossier": dossier,
            "werknemer": werknemer,
            "consults": consults,
            "traject_notities": traject_notities,
            "adviezen": adviezen,
            "can_consults": can_consults,
            "can_adviezen": can_adviezen,
            "documents": documents,
            "correspondence": correspondence,
            "can_documents": can_documents,
            "can_correspondence": can_correspondence,
            "probleemanalyses": probleemanalyses,
            "verslag_delen": verslag_delen,
            "can_write": can_write,
            "delegations": dossier.delegations.all() if can_write else [],
            "verloven": _verloven(dossier) if can_write else [],
        },
    )


@gate(policies.may_enter)
def consult_create(request, pk):
    dossier = queries.writable_dossier_for(request.user, pk)
    form = ConsultForm(posted(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        dossier_actions.record_consult(
            by=request.user, dossier=dossier, request=request, **form.cleaned_data
        )
        messages.success(request, "Het consult is vastgelegd.")
        return redirect("medisch:dossier", pk=dossier.pk)
    return render(request, "medisch/consult_form.html", {"form": form, "dossier": dossier})


@gate(policies.may_enter)
def advies_create(request, pk):
    dossier = queries.writable_dossier_for(request.user, pk)
    case = queries.current_case(request.user, dossier)
    if case is None:
        messages.error(request, "Er is geen verzuimmelding waarvoor een advies kan worden gegeven.")
        return redirect("medisch:dossier", pk=dossier.pk)
    form = AdviesForm(posted(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            dossier_actions.record_advies_from_form(
                by=request.user, dossier=dossier, case=case, form=form, request=request
            )
        except ValidationError as error:  # e.g. an actueel oordeel dated in the future (RI-1)
            apply_errors(form, error)
        else:
            messages.success(request, "Het advies is vastgelegd.")
            return redirect("medisch:dossier", pk=dossier.pk)
    return render(
        request,
        "medisch/advies_form.html",
        {"form": form, "dossier": dossier, "flagged": getattr(form, "flagged_terms", [])},
    )


@gate(policies.may_enter)
def advies_release(request, pk):
    """MD-5: release a concept advice to the employer and the employee, after the doctor has
    seen exactly what they will read and confirmed it (and any words that look medical)."""
    advies = queries.advies_for(request.user, pk)
    dossier = advies.dossier
    require(policies.can_write(request.user, dossier))
    flagged = dossier_actions.flagged_terms(advies)
    form = AdviesReleaseForm(posted(request), flagged=flagged)
    if request.method == "POST" and form.is_valid():
        try:
            released = dossier_actions.release_advies(
                by=request.user,
                advies=advies,
                confirm_terms=form.cleaned_data.get("confirm_terms", False),
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if released:
                messages.success(
                    request,
                    "Het advies is vrijgegeven. De werkgever en de werknemer kunnen het nu lezen.",
                )
            else:
                messages.info(request, "Dit advies was al vrijgegeven.")
            return redirect("medisch:dossier", pk=dossier.pk)
    queries.record_dossier_read(
        request, dossier, {"advies": [advies.pk]}, detail="advies ingezien om vrij te geven"
    )
    return render(
        request,
        "medisch/advies_release.html",
        {"advies": advies, "dossier": dossier, "form": form, "flagged": flagged},
    )


@gate(policies.may_enter)
def delegation_create(request, pk):
    dossier = queries.writable_dossier_for(request.user, pk)
    form = DelegationForm(posted(request), casemanagers=queries.casemanagers_for(dossier))
    if request.method == "POST" and form.is_valid():
        dossier_actions.delegate(
            by=request.user, dossier=dossier, request=request, **form.cleaned_data
        )
        messages.success(request, "De taakdelegatie is vastgelegd.")
        return redirect("medisch:dossier", pk=dossier.pk)
    return render(request, "medisch/delegation_form.html", {"form": form, "dossier": dossier})


@gate(policies.may_enter)
@require_POST
def delegation_revoke(request, pk):
    delegation = queries.delegation_for(request.user, pk)
    dossier_actions.revoke_delegation(by=request.user, delegation=delegation, request=request)
    messages.success(request, "De taakdelegatie is ingetrokken.")
    return redirect("medisch:dossier", pk=delegation.dossier_id)
