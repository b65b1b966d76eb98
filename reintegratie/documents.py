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

from accounts.models import Organisation
from accounts.roles import OrganisationKind, Role


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
