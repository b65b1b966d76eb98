"""DG-7: voorkeursbeleid — the organisation's documented policy, the country of birth recorded
under it, and the employee's own page where they see it and object (their data is deleted at
once and nothing more is recorded)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.gates import gate
from accounts.viewhelpers import posted
from doelgroep import policies, queries
from doelgroep.actions import voorkeursbeleid as beleid_actions
from doelgroep.forms import GeboortelandForm, VoorkeursbeleidForm
from doelgroep.models import Bezwaar, Geboorteland, Voorkeursbeleid
from privacy import audit
from privacy.models import AuditAction
from verzuim.models import Werknemer

from .common import form_page, render_gate, werknemer_form_page


@gate(policies.gate_refusal, refusal=render_gate)
def geboorteland(request, pk):
    person = queries.werknemer_for(request.user, pk)
    beleid = queries.active_beleid(person.organisation_id)
    return werknemer_form_page(
        request,
        person,
        GeboortelandForm(posted(request)),
        title="Geboorteland (voorkeursbeleid)",
        intro=(
            f"Voorkeursbeleid: {beleid.group_description}. De werknemer kan op elk moment "
            "bezwaar maken; dan worden deze gegevens direct verwijderd."
            if beleid
            else "Er is geen voorkeursbeleid vastgelegd: geboorteland mag niet worden vastgelegd."
        ),
        save=beleid_actions.record_geboorteland,
        success="Het geboorteland is vastgelegd.",
    )


@gate(policies.gate_refusal, refusal=render_gate)
def voorkeursbeleid(request):
    organisation_id = request.user.organisation_id
    return form_page(
        request,
        VoorkeursbeleidForm(posted(request)),
        "doelgroep/voorkeursbeleid.html",
        {
            "beleid": Voorkeursbeleid.objects.filter(organisation_id=organisation_id),
            "active": queries.active_beleid(organisation_id),
        },
        lambda data: beleid_actions.record_voorkeursbeleid(
            by=request.user, request=request, **data
        ),
        success="Het voorkeursbeleid is vastgelegd.",
        target=("doelgroep:voorkeursbeleid",),
    )


@gate(policies.gate_refusal, refusal=render_gate)
@require_POST
def voorkeursbeleid_end(request, pk):
    beleid = Voorkeursbeleid.objects.filter(
        pk=pk, organisation_id=request.user.organisation_id, ended_on__isnull=True
    ).first()
    if beleid is None:
        raise Http404
    deleted = beleid_actions.end_voorkeursbeleid(
        by=request.user, beleid=beleid, ended_on=timezone.localdate(), request=request
    )
    messages.success(
        request, f"Het voorkeursbeleid is beëindigd; {deleted} registraties zijn verwijderd."
    )
    return redirect("doelgroep:voorkeursbeleid")


# --- The employee's own page ----------------------------------------------------------------------


def _own_werknemer(request) -> Werknemer:
    """The logged-in employee's own record; 404 for every other role and for a login without
    one."""
    if not policies.is_werknemer(request.user):
        raise Http404
    person = Werknemer.objects.filter(user=request.user).first()
    if person is None:
        raise Http404
    return person


def mijn(request):
    person = _own_werknemer(request)
    record = Geboorteland.objects.filter(werknemer=person).first()
    if record:
        audit.record(
            AuditAction.READ,
            "doelgroep.geboorteland",
            [record.pk],
            subject=person.pseudonym,
            detail="eigen gegevens voorkeursbeleid ingezien",
            request=request,
        )
    return render(
        request,
        "doelgroep/mijn.html",
        {
            "werknemer": person,
            "record": record,
            "bezwaar": Bezwaar.objects.filter(werknemer=person).first(),
            "beleid": queries.active_beleid(person.organisation_id),
        },
    )


@require_POST
def bezwaar(request):
    person = _own_werknemer(request)
    beleid_actions.object_to_voorkeursbeleid(by=request.user, werknemer=person, request=request)
    messages.success(
        request,
        "Uw bezwaar is vastgelegd. Uw gegevens voor het voorkeursbeleid zijn verwijderd en er "
        "wordt niets meer over u vastgelegd.",
    )
    return redirect("doelgroep:mijn")
