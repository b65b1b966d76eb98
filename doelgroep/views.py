"""Pages of the doelgroep administration (DG-1..4, DG-6..8): the confidentiality statement, the
overview, the record per person, the BSN reveal and the one BSN export the law requires, the
voorkeursbeleid, and the employee's own page with the objection.

Every page behind the gate (DG-6) answers 403 with the reason and where to sign; every view of
doelgroep or BSN data is written to the audit log (SE-7).
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.roles import Role
from accounts.viewhelpers import apply_errors as _apply_errors
from accounts.viewhelpers import posted as _posted
from privacy import audit, csv_export
from privacy.models import AuditAction
from verzuim.models import Werknemer

from . import actions, policies, queries
from .forms import (
    GeboortelandForm,
    KandidaatForm,
    NoRiskPolisForm,
    RegistercheckForm,
    SignForm,
    VogForm,
    VoorkeursbeleidForm,
)
from .models import (
    Bezwaar,
    CheckedVia,
    Geboorteland,
    Geheimhoudingsverklaring,
    NoRiskPolis,
    Registercheck,
    Vog,
    Voorkeursbeleid,
)

# DG-2: the one export that may carry the BSN — the list of numbers an employer checks against
# the doelgroepregister in UWV's werkgeversportaal (Wet banenafspraak; Wabb art. 10). Nothing
# else the system produces contains a BSN.
BSN_EXPORT_KIND = "uwv_doelgroepregister_controle"


def gate_response(request, reason):
    return render(
        request,
        "doelgroep/gate.html",
        {"reason": reason, "may_sign": policies.may_sign(request.user)},
        status=403,
    )


def gated(view):
    """DG-6: the view runs only for a role that needs it AND has signed; else 403 saying why."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        reason = policies.gate_refusal(request.user)
        if reason:
            return gate_response(request, reason)
        return view(request, *args, **kwargs)

    return wrapper


def _audit(request, obj_type, ids, subject, detail, action=AuditAction.READ):
    audit.record(action, obj_type, ids, subject=subject, detail=detail, request=request)


# --- DG-6: the statement --------------------------------------------------------------------------


def verklaring(request):
    if not policies.may_sign(request.user):
        raise PermissionDenied
    signature = policies.current_signature(request.user)
    form = SignForm(_posted(request))
    if request.method == "POST" and signature is None and form.is_valid():
        try:
            actions.sign_statement(by=request.user, request=request)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "U hebt de geheimhoudingsverklaring ondertekend.")
            return redirect("doelgroep:index")
    return render(
        request,
        "doelgroep/verklaring.html",
        {
            "form": form,
            "signature": signature,
            "withdrawn": policies.is_withdrawn(request.user),
            "text": policies.STATEMENT_TEXT,
            "version": policies.STATEMENT_VERSION,
        },
    )


def verklaringen(request):
    if not policies.can_manage_statements(request.user):
        raise PermissionDenied
    rows = Geheimhoudingsverklaring.objects.select_related("user", "organisation", "withdrawn_by")
    return render(request, "doelgroep/verklaringen.html", {"rows": rows})


@require_POST
def verklaring_intrekken(request, pk):
    if not policies.can_manage_statements(request.user):
        raise PermissionDenied
    statement = Geheimhoudingsverklaring.objects.filter(pk=pk).select_related("user").first()
    if statement is None:
        raise Http404
    if actions.withdraw_statement(by=request.user, statement=statement, request=request):
        messages.success(request, f"De toegang van {statement.user.full_name} is ingetrokken.")
    return redirect("doelgroep:verklaringen")


# --- The administration ---------------------------------------------------------------------------


@gated
def index(request):
    werknemers = list(queries.werknemers_for(request.user).order_by("last_name", "first_name"))
    checks = {
        c.werknemer_id: c
        for c in queries.registerchecks_for(request.user).filter(werknemer__isnull=False)
    }
    kandidaten = list(queries.kandidaten_for(request.user).select_related("registercheck"))
    pseudonyms = {w.pk: w.pseudonym for w in werknemers}
    audit.record_reads(
        [checks[w.pk] for w in werknemers if w.pk in checks],
        object_type="doelgroep.registercheck",
        subject_of=lambda check: pseudonyms[check.werknemer_id],
        detail="doelgroepoverzicht",
        request=request,
    )
    return render(
        request,
        "doelgroep/index.html",
        {
            "rows": [(w, checks.get(w.pk)) for w in werknemers],
            "kandidaten": kandidaten,
            "beleid": actions.active_beleid(request.user.organisation_id),
        },
    )


@gated
def werknemer(request, pk):
    person = queries.werknemer_for(request.user, pk)
    check = Registercheck.objects.filter(werknemer=person).first()
    context = {
        "werknemer": person,
        "check": check,
        "polis": NoRiskPolis.objects.filter(werknemer=person).first(),
        "maatregelen": list(person.ondersteuningsmaatregelen.all()),
        "vog": Vog.objects.filter(werknemer=person).first(),
        "geboorteland": Geboorteland.objects.filter(werknemer=person).first(),
        "bezwaar": Bezwaar.objects.filter(werknemer=person).exists(),
        "beleid": actions.active_beleid(person.organisation_id),
        "question_from": actions.noriskpolis_question_allowed_from(person.employment_start),
    }
    polis = context["polis"]
    context["waits_13_weeks"] = bool(polis) and actions.pays_only_after_13_weeks(
        category_56_plus_ww=polis.category_56_plus_ww, employment_start=person.employment_start
    )
    _audit(
        request, "doelgroep.werknemer", [person.pk], person.pseudonym, "doelgroepgegevens ingezien"
    )
    return render(request, "doelgroep/werknemer.html", context)


def _form_page(request, form, template, context, save, success, target):
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(*target)
    return render(request, template, {"form": form, **context})


@gated
def registercheck(request, pk):
    person = queries.werknemer_for(request.user, pk)
    existing = Registercheck.objects.filter(werknemer=person).first()
    initial = {}
    if existing:
        initial = {
            "in_register": "ja" if existing.in_register else "nee",
            "checked_on": existing.checked_on,
            "checked_via": existing.checked_via,
        }
    form = RegistercheckForm(_posted(request), initial=initial)
    return _form_page(
        request,
        form,
        "doelgroep/form.html",
        {"title": f"Doelgroepregister — {person.full_name}", "back": person},
        lambda data: actions.record_registercheck(
            by=request.user, werknemer=person, request=request, **data
        ),
        "De controle van het doelgroepregister is vastgelegd.",
        ("doelgroep:werknemer", person.pk),
    )


@gated
def kandidaat_create(request):
    form = KandidaatForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            kandidaat = actions.create_kandidaat(
                by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect("doelgroep:kandidaat_registercheck", kandidaat.pk)
    return render(request, "doelgroep/form.html", {"form": form, "title": "Sollicitant toevoegen"})


@gated
def kandidaat_registercheck(request, pk):
    kandidaat = queries.kandidaat_for(request.user, pk)
    form = RegistercheckForm(_posted(request), initial={"checked_via": CheckedVia.BSN})
    return _form_page(
        request,
        form,
        "doelgroep/form.html",
        {"title": f"Doelgroepregister — sollicitant {kandidaat.name}"},
        lambda data: actions.record_registercheck(
            by=request.user, kandidaat=kandidaat, request=request, **data
        ),
        "De controle van het doelgroepregister is vastgelegd.",
        ("doelgroep:index",),
    )


@gated
@require_POST
def bsn_reveal(request, pk):
    check = queries.registerchecks_for(request.user).filter(pk=pk).first()
    if check is None or not check.bsn_last3:
        raise Http404
    bsn = actions.reveal_bsn(by=request.user, check=check, request=request)
    response = render(
        request,
        "doelgroep/bsn.html",
        {"check": check, "bsn": bsn, "subject": check.werknemer or check.kandidaat},
    )
    response["Cache-Control"] = "no-store"
    return response


@gated
def bsn_export(request):
    """DG-2: the one export with BSNs (see BSN_EXPORT_KIND): the numbers to check at UWV."""
    checks = list(
        queries.registerchecks_for(request.user)
        .filter(checked_via=CheckedVia.BSN)
        .select_related("werknemer", "kandidaat")
    )
    audit.record_reads(
        checks,
        object_type="doelgroep.registercheck",
        subject_of=lambda check: (check.werknemer or check.kandidaat).pseudonym,
        detail=f"BSN-export: {BSN_EXPORT_KIND}",
        action=AuditAction.EXPORT,
        request=request,
    )
    # SE-6: through the shared writer, like every CSV (a BSN is digits, but a stored value is not
    # trusted to be).
    response = csv_export.csv_response(
        "uwv-controle-doelgroepregister.csv", ["bsn"], ([check.bsn] for check in checks)
    )
    response["Cache-Control"] = "no-store"
    return response


@gated
def noriskpolis(request, pk):
    person = queries.werknemer_for(request.user, pk)
    allowed_from = actions.noriskpolis_question_allowed_from(person.employment_start)
    existing = NoRiskPolis.objects.filter(werknemer=person).first()
    initial = {}
    if existing:
        initial = {
            "asked_on": existing.asked_on,
            "applies": "ja" if existing.applies else "nee",
            "category_56_plus_ww": existing.category_56_plus_ww,
            "wia_decision_on": existing.wia_decision_on,
        }
    form = NoRiskPolisForm(_posted(request), initial=initial)
    return _form_page(
        request,
        form,
        "doelgroep/form.html",
        {
            "title": f"No-riskpolis — {person.full_name}",
            "back": person,
            "intro": "Deze vraag mag pas na meer dan twee maanden dienstverband worden gesteld: "
            f"vanaf {allowed_from:%d-%m-%Y}. Leg alleen ja of nee vast.",
        },
        lambda data: actions.record_noriskpolis(
            by=request.user, werknemer=person, request=request, **data
        ),
        "De no-riskpolis is vastgelegd.",
        ("doelgroep:werknemer", person.pk),
    )


@gated
def vog(request, pk):
    person = queries.werknemer_for(request.user, pk)
    form = VogForm(_posted(request))
    return _form_page(
        request,
        form,
        "doelgroep/form.html",
        {"title": f"VOG — {person.full_name}", "back": person},
        lambda data: actions.record_vog(by=request.user, werknemer=person, request=request, **data),
        "De VOG is vastgelegd.",
        ("doelgroep:werknemer", person.pk),
    )


@gated
def geboorteland(request, pk):
    person = queries.werknemer_for(request.user, pk)
    form = GeboortelandForm(_posted(request))
    beleid = actions.active_beleid(person.organisation_id)
    return _form_page(
        request,
        form,
        "doelgroep/form.html",
        {
            "title": f"Geboorteland (voorkeursbeleid) — {person.full_name}",
            "back": person,
            "intro": (
                f"Voorkeursbeleid: {beleid.group_description}. De werknemer kan op elk moment "
                "bezwaar maken; dan worden deze gegevens direct verwijderd."
                if beleid
                else "Er is geen voorkeursbeleid vastgelegd: geboorteland mag niet worden "
                "vastgelegd."
            ),
        },
        lambda data: actions.record_geboorteland(
            by=request.user, werknemer=person, request=request, **data
        ),
        "Het geboorteland is vastgelegd.",
        ("doelgroep:werknemer", person.pk),
    )


@gated
def voorkeursbeleid(request):
    form = VoorkeursbeleidForm(_posted(request))
    beleid = Voorkeursbeleid.objects.filter(organisation_id=request.user.organisation_id)
    return _form_page(
        request,
        form,
        "doelgroep/voorkeursbeleid.html",
        {"beleid": beleid, "active": actions.active_beleid(request.user.organisation_id)},
        lambda data: actions.record_voorkeursbeleid(by=request.user, request=request, **data),
        "Het voorkeursbeleid is vastgelegd.",
        ("doelgroep:voorkeursbeleid",),
    )


@gated
@require_POST
def voorkeursbeleid_end(request, pk):
    beleid = Voorkeursbeleid.objects.filter(
        pk=pk, organisation_id=request.user.organisation_id, ended_on__isnull=True
    ).first()
    if beleid is None:
        raise Http404
    from django.utils import timezone

    deleted = actions.end_voorkeursbeleid(
        by=request.user, beleid=beleid, ended_on=timezone.localdate(), request=request
    )
    messages.success(
        request, f"Het voorkeursbeleid is beëindigd; {deleted} registraties zijn verwijderd."
    )
    return redirect("doelgroep:voorkeursbeleid")


# --- DG-7: the employee's own page ----------------------------------------------------------------


def _own_werknemer(request) -> Werknemer:
    if request.user.role != Role.WERKNEMER:
        raise Http404
    person = Werknemer.objects.filter(user=request.user).first()
    if person is None:
        raise Http404
    return person


def mijn(request):
    person = _own_werknemer(request)
    record = Geboorteland.objects.filter(werknemer=person).first()
    if record:
        _audit(
            request,
            "doelgroep.geboorteland",
            [record.pk],
            person.pseudonym,
            "eigen gegevens voorkeursbeleid ingezien",
        )
    return render(
        request,
        "doelgroep/mijn.html",
        {
            "werknemer": person,
            "record": record,
            "bezwaar": Bezwaar.objects.filter(werknemer=person).first(),
            "beleid": actions.active_beleid(person.organisation_id),
        },
    )


@require_POST
def bezwaar(request):
    person = _own_werknemer(request)
    actions.object_to_voorkeursbeleid(by=request.user, werknemer=person, request=request)
    messages.success(
        request,
        "Uw bezwaar is vastgelegd. Uw gegevens voor het voorkeursbeleid zijn verwijderd en er "
        "wordt niets meer over u vastgelegd.",
    )
    return redirect("doelgroep:mijn")
