"""The doelgroep administration per person (DG-1..5, DG-8): the overview, the record of one
werknemer, the register check of a werknemer or an applicant, the BSN reveal and the one BSN
export the law requires, the no-riskpolis, VOG and support measures. Every page sits behind the
confidentiality gate (DG-6); every view of doelgroep or BSN data is audited (SE-7)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.gates import gate
from accounts.viewhelpers import posted
from doelgroep import policies, queries
from doelgroep.actions import maatregelen, registratie
from doelgroep.actions import noriskpolis as noriskpolis_actions
from doelgroep.actions import vog as vog_actions
from doelgroep.forms import (
    KandidaatForm,
    MaatregelForm,
    NoRiskPolisForm,
    RegistercheckForm,
    VogForm,
)
from doelgroep.models import (
    Bezwaar,
    CheckedVia,
    Geboorteland,
    NoRiskPolis,
    Ondersteuningsmaatregel,
    Registercheck,
    Vog,
)
from privacy import audit, csv_export
from privacy.models import AuditAction

from .common import form_page, render_gate, werknemer_form_page

# DG-2: the one export that may carry the BSN — the list of numbers an employer checks against
# the doelgroepregister in UWV's werkgeversportaal (Wet banenafspraak; Wabb art. 10). Nothing
# else the system produces contains a BSN.
BSN_EXPORT_KIND = "uwv_doelgroepregister_controle"
REGISTERCHECK_SAVED = "De controle van het doelgroepregister is vastgelegd."


@gate(policies.gate_refusal, refusal=render_gate)
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
            "beleid": queries.active_beleid(request.user.organisation_id),
        },
    )


@gate(policies.gate_refusal, refusal=render_gate)
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
        "beleid": queries.active_beleid(person.organisation_id),
        "question_from": noriskpolis_actions.noriskpolis_question_allowed_from(
            person.employment_start
        ),
    }
    polis = context["polis"]
    context["waits_13_weeks"] = bool(polis) and noriskpolis_actions.pays_only_after_13_weeks(
        category_56_plus_ww=polis.category_56_plus_ww, employment_start=person.employment_start
    )
    audit.record(
        AuditAction.READ,
        "doelgroep.werknemer",
        [person.pk],
        subject=person.pseudonym,
        detail="doelgroepgegevens ingezien",
        request=request,
    )
    return render(request, "doelgroep/werknemer.html", context)


@gate(policies.gate_refusal, refusal=render_gate)
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
    return werknemer_form_page(
        request,
        person,
        RegistercheckForm(posted(request), initial=initial),
        title="Doelgroepregister",
        save=registratie.record_registercheck,
        success=REGISTERCHECK_SAVED,
    )


@gate(policies.gate_refusal, refusal=render_gate)
def kandidaat_create(request):
    return form_page(
        request,
        KandidaatForm(posted(request)),
        "doelgroep/form.html",
        {"title": "Sollicitant toevoegen"},
        lambda data: registratie.create_kandidaat(by=request.user, request=request, **data),
        success=None,
        target=lambda kandidaat: ("doelgroep:kandidaat_registercheck", kandidaat.pk),
    )


@gate(policies.gate_refusal, refusal=render_gate)
def kandidaat_registercheck(request, pk):
    kandidaat = queries.kandidaat_for(request.user, pk)
    return form_page(
        request,
        RegistercheckForm(posted(request), initial={"checked_via": CheckedVia.BSN}),
        "doelgroep/form.html",
        {"title": f"Doelgroepregister — sollicitant {kandidaat.name}"},
        lambda data: registratie.record_registercheck(
            by=request.user, kandidaat=kandidaat, request=request, **data
        ),
        success=REGISTERCHECK_SAVED,
        target=("doelgroep:index",),
    )


@gate(policies.gate_refusal, refusal=render_gate)
@require_POST
def bsn_reveal(request, pk):
    check = queries.registerchecks_for(request.user).filter(pk=pk).first()
    if check is None or not check.bsn_last3:
        raise Http404
    bsn = registratie.reveal_bsn(by=request.user, check=check, request=request)
    response = render(
        request,
        "doelgroep/bsn.html",
        {"check": check, "bsn": bsn, "subject": check.werknemer or check.kandidaat},
    )
    response["Cache-Control"] = "no-store"
    return response


@gate(policies.gate_refusal, refusal=render_gate)
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


@gate(policies.gate_refusal, refusal=render_gate)
def noriskpolis(request, pk):
    person = queries.werknemer_for(request.user, pk)
    allowed_from = noriskpolis_actions.noriskpolis_question_allowed_from(person.employment_start)
    existing = NoRiskPolis.objects.filter(werknemer=person).first()
    initial = {}
    if existing:
        initial = {
            "asked_on": existing.asked_on,
            "applies": "ja" if existing.applies else "nee",
            "category_56_plus_ww": existing.category_56_plus_ww,
            "wia_decision_on": existing.wia_decision_on,
        }
    return werknemer_form_page(
        request,
        person,
        NoRiskPolisForm(posted(request), initial=initial),
        title="No-riskpolis",
        intro="Deze vraag mag pas na meer dan twee maanden dienstverband worden gesteld: "
        f"vanaf {allowed_from:%d-%m-%Y}. Leg alleen ja of nee vast.",
        save=noriskpolis_actions.record_noriskpolis,
        success="De no-riskpolis is vastgelegd.",
    )


@gate(policies.gate_refusal, refusal=render_gate)
def vog(request, pk):
    person = queries.werknemer_for(request.user, pk)
    return werknemer_form_page(
        request,
        person,
        VogForm(posted(request)),
        title="VOG",
        save=vog_actions.record_vog,
        success="De VOG is vastgelegd.",
    )


# --- DG-5: support measures -----------------------------------------------------------------------


@gate(policies.gate_refusal, refusal=render_gate)
def maatregel_create(request, pk):
    person = queries.werknemer_for(request.user, pk)
    return werknemer_form_page(
        request,
        person,
        MaatregelForm(posted(request)),
        title="Ondersteuningsmaatregel",
        save=maatregelen.add_maatregel,
        success="De ondersteuningsmaatregel is vastgelegd.",
    )


@gate(policies.gate_refusal, refusal=render_gate)
@require_POST
def maatregel_end(request, pk):
    maatregel = Ondersteuningsmaatregel.objects.filter(
        pk=pk, werknemer__in=queries.werknemers_for(request.user), end_on__isnull=True
    ).first()
    if maatregel is None:
        raise Http404
    try:
        maatregelen.end_maatregel(
            by=request.user, maatregel=maatregel, end_on=timezone.localdate(), request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "De maatregel is beëindigd.")
    return redirect("doelgroep:werknemer", maatregel.werknemer_id)
