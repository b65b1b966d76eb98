"""The doctor's pages (MD-1, MD-4, MD-5). Layer 1 of MD-2: every view passes `medical_view`,
which admits only the medical roles; each object then goes through medisch.queries and
medisch.policies. Every read and write is audited (SE-7); a casemanager's access is logged on
behalf of the delegating doctor."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.roles import Role
from accounts.viewhelpers import posted as _posted
from privacy import audit
from privacy.models import AuditAction
from verzuim import queries as verzuim_queries

from . import actions, policies, queries
from .forms import AdviesForm, ConsultForm, DelegationForm
from .models import Delegation, TrajectNotitie


def medical_view(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not policies.may_enter(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _on_behalf(request, dossier):
    delegation = policies.active_delegation(request.user, dossier)
    if delegation is None:
        return None
    doctor = User.objects.filter(pk=delegation.created_by_id).first()
    return doctor.pseudonym if doctor else None


@medical_view
def index(request):
    if request.user.role == Role.BEDRIJFSARTS:
        werknemers = (
            verzuim_queries.werknemers_visible_to(request.user)
            .select_related("organisation")
            .order_by("last_name")[:200]
        )
    else:
        werknemers = []
    dossiers = {d.werknemer_id: d for d in queries.dossiers_visible_to(request.user)}
    audit.record(
        AuditAction.SEARCH,
        "medisch.dossier",
        [d.pk for d in dossiers.values()],
        detail="overzicht medische dossiers",
        request=request,
    )
    return render(request, "medisch/index.html", {"werknemers": werknemers, "dossiers": dossiers})


@medical_view
@require_POST
def open_dossier(request, werknemer_pk):
    werknemer = verzuim_queries.werknemers_visible_to(request.user).filter(pk=werknemer_pk).first()
    if werknemer is None:
        raise Http404
    if not policies.is_doctor_for(request.user, werknemer.organisation_id):
        raise PermissionDenied
    dossier = actions.open_dossier(by=request.user, werknemer=werknemer, request=request)
    return redirect("medisch:dossier", pk=dossier.pk)


@medical_view
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
    ids = [f"consult:{c.pk}" for c in consults] + [f"advies:{a.pk}" for a in adviezen]
    ids += [f"document:{d.pk}" for d in documents]
    ids += [f"correspondentie:{c.pk}" for c in correspondence]
    ids += [f"probleemanalyse:{p.pk}" for p in probleemanalyses]
    ids += [f"verslag:{v.pk}" for v in verslag_delen]
    ids += [f"trajectnotitie:{n.pk}" for n in traject_notities]
    audit.record(
        AuditAction.READ,
        "medisch.dossier",
        [dossier.pk, *ids],
        subject=dossier.subject,
        detail="medisch dossier ingezien",
        request=request,
        on_behalf_of=_on_behalf(request, dossier),
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
        },
    )


def _writable(request, pk):
    dossier = queries.dossier_for(request.user, pk)
    if not policies.can_write(request.user, dossier):
        raise PermissionDenied
    return dossier


@medical_view
def consult_create(request, pk):
    dossier = _writable(request, pk)
    form = ConsultForm(_posted(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        actions.record_consult(
            by=request.user, dossier=dossier, request=request, **form.cleaned_data
        )
        messages.success(request, "Het consult is vastgelegd.")
        return redirect("medisch:dossier", pk=dossier.pk)
    return render(request, "medisch/consult_form.html", {"form": form, "dossier": dossier})


@medical_view
def advies_create(request, pk):
    dossier = _writable(request, pk)
    case = queries.current_case(request.user, dossier)
    if case is None:
        messages.error(request, "Er is geen verzuimmelding waarvoor een advies kan worden gegeven.")
        return redirect("medisch:dossier", pk=dossier.pk)
    form = AdviesForm(_posted(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("release", "confirm_terms")}
        actions.record_advies(
            by=request.user,
            dossier=dossier,
            case_id=case.case_id,
            release=form.cleaned_data["release"],
            request=request,
            **data,
        )
        messages.success(request, "Het advies is vastgelegd.")
        return redirect("medisch:dossier", pk=dossier.pk)
    return render(
        request,
        "medisch/advies_form.html",
        {"form": form, "dossier": dossier, "flagged": getattr(form, "flagged_terms", [])},
    )


@medical_view
def delegation_create(request, pk):
    dossier = _writable(request, pk)
    casemanagers = User.objects.filter(
        role=Role.CASEMANAGER, is_active=True, assignments__organisation_id=dossier.organisation_id
    )
    form = DelegationForm(_posted(request), casemanagers=casemanagers)
    if request.method == "POST" and form.is_valid():
        actions.delegate(
            by=request.user,
            dossier=dossier,
            request=request,
            delegate=form.cleaned_data["delegate"],
            parts=form.cleaned_data["parts"],
            valid_from=form.cleaned_data["valid_from"],
            valid_until=form.cleaned_data["valid_until"],
        )
        messages.success(request, "De taakdelegatie is vastgelegd.")
        return redirect("medisch:dossier", pk=dossier.pk)
    return render(request, "medisch/delegation_form.html", {"form": form, "dossier": dossier})


@medical_view
@require_POST
def delegation_revoke(request, pk):
    delegation = Delegation.objects.filter(
        pk=pk, dossier__in=queries.dossiers_visible_to(request.user)
    ).first()
    if delegation is None:
        raise Http404
    actions.revoke_delegation(by=request.user, delegation=delegation, request=request)
    messages.success(request, "De taakdelegatie is ingetrokken.")
    return redirect("medisch:dossier", pk=delegation.dossier_id)
