"""What every Poortwachter document carries (RI-12, DG-2): the employee's name and BSN, the
employer and the arbodienst, the document's title, version and date — the `doc` the page and
its PDF (templates/pdf/base.html) show. The page shows the BSN masked; only the PDF prints it in
full (`doc.bsn` is filled for the PDF alone).

Sources (RI-12): UWV, "Het re-integratieverslag indienen" (uwv.nl/werkgevers/overige-
onderwerpen/een-re-integratieverslag-opsturen/…): each uploaded document is identified by the
employee's burgerservicenummer and the date it was signed, PDF is accepted, at most 10 MB per
document; the employee gets copies of every document, and the medical information goes from the
bedrijfsarts to the employee, who sends it to UWV ("medisch geheim"). The verslag's parts: the
probleemanalyse, the plan van aanpak with every evaluation and bijstelling, the
eerstejaarsevaluatie, the actueel oordeel and the eindevaluatie, with the employee's own view
(RULES.md RI-12; Regeling procesgang eerste en tweede ziektejaar).
"""

from django.urls import reverse

from accounts.models import Organisation
from accounts.roles import OrganisationKind, Role

from .models import DocumentKind, EvaluatieKind, Zienswijze


def arbodienst_name(organisation_id) -> str:
    """The arbodienst whose bedrijfsarts serves this employer ("" when none is assigned)."""
    return (
        Organisation.objects.filter(
            kind=OrganisationKind.ARBODIENST,
            members__role=Role.BEDRIJFSARTS,
            members__assignments__organisation_id=organisation_id,
        )
        .order_by("name")
        .values_list("name", flat=True)
        .first()
        or ""
    )


def header(werknemer, *, titel, versie, datum, pdf=False) -> dict:
    """The `doc` of a document page (pdf=False: BSN masked) or its PDF (pdf=True: in full)."""
    known = bool(werknemer.bsn_last3)
    return {
        "naam": werknemer.full_name,
        "bsn": (werknemer.bsn if pdf else werknemer.bsn_masked) if known else "",
        "bsn_masked": werknemer.bsn_masked if known else "",
        "werkgever": werknemer.organisation.name,
        "arbodienst": arbodienst_name(werknemer.organisation_id),
        "titel": titel,
        "versie": versie,
        "datum": datum,
    }


# --- What each document's page and PDF show (the views and the bundle share them) ------------


def plan_version_context(plan, versie, *, pdf=False, own=False) -> dict:
    """RI-3, RI-12: one version of the plan van aanpak with every evaluation and bijstelling, the
    employee's response to this version and their zienswijze."""
    number = versie.number
    response = None
    if plan.employee_response_version == number:
        response = plan.get_employee_response_display()
        if plan.employee_remark:
            response = f"{response}: {plan.employee_remark}"
    return {
        "plan": plan,
        "versie": versie,
        "versies": list(plan.versies.order_by("number")),
        "evaluaties": list(plan.evaluaties.order_by("date", "pk")),
        "response": response,
        "zienswijzen": list(
            Zienswijze.objects.filter(
                document_kind=DocumentKind.PLAN, document_id=plan.pk, document_version=number
            )
        ),
        "zienswijze_url": reverse("reintegratie:mijn_zienswijze", args=["plan", plan.pk])
        + f"?versie={number}"
        if own
        else "",
        "pdf_url": reverse("reintegratie:plan_version_pdf", args=[plan.pk, number]),
        "doc": header(
            plan.werknemer, titel="Plan van aanpak", versie=number, datum=versie.saved_at, pdf=pdf
        ),
    }


def evaluatie_context(item, *, pdf=False, own=False) -> dict:
    """RI-1, RI-12: one evaluation (the eerstejaars- and eindevaluatie with what UWV asks)."""
    plan = item.plan
    return {
        "evaluatie": item,
        "plan": plan,
        "is_year_or_end": item.kind in (EvaluatieKind.EERSTEJAARS, EvaluatieKind.EINDEVALUATIE),
        "activiteiten": list(plan.activiteiten.all()),
        "zienswijzen": list(
            Zienswijze.objects.filter(document_kind=DocumentKind.EVALUATIE, document_id=item.pk)
        ),
        "zienswijze_url": reverse("reintegratie:mijn_zienswijze", args=["evaluatie", item.pk])
        if own
        else "",
        "pdf_url": reverse("reintegratie:evaluatie_pdf", args=[item.pk]),
        "doc": header(
            plan.werknemer,
            titel=item.get_kind_display().capitalize(),
            versie=plan.version,
            datum=item.date,
            pdf=pdf,
        ),
    }


def oordeel_context(zm, document, *, pdf=False) -> dict:
    """RI-2, RI-12, MD-5: a released document of the doctor (medisch.public.ReleasedDocument)."""
    return {
        "zm": zm,
        "document": document,
        "pdf_url": reverse("reintegratie:oordeel_pdf", args=[zm.pk, document.id]),
        "doc": header(
            zm.werknemer, titel=document.title, versie=document.id, datum=document.date, pdf=pdf
        ),
    }


def verslag_context(verslag, *, pdf=False, own=False, can_give=False, zm=None) -> dict:
    """RI-4, RI-12: the employer's part of the re-integratieverslag as it was generated."""
    return {
        "verslag": verslag,
        "s": verslag.snapshot,
        "can_give": can_give,
        "zm": zm,
        "zienswijzen": list(
            Zienswijze.objects.filter(document_kind=DocumentKind.VERSLAG, document_id=verslag.pk)
        ),
        "zienswijze_url": reverse("reintegratie:mijn_zienswijze", args=["verslag", verslag.pk])
        if own
        else "",
        "pdf_url": reverse("reintegratie:verslag_pdf", args=[verslag.pk]),
        "doc": header(
            verslag.werknemer,
            titel="Re-integratieverslag (deel werkgever)",
            versie=verslag.pk,
            datum=verslag.generated_at,
            pdf=pdf,
        ),
    }
