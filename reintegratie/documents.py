"""What every Poortwachter document carries (RI-12, DG-2): the employee's name and BSN, the
employer and the arbodienst, the document's title, version and date — the `doc` the page and
its PDF (templates/pdf/base.html) show. The page shows the BSN masked; only the PDF prints it in
full (`doc.bsn` is filled for the PDF alone).

UWV, "Re-integratieverslag" (uwv.nl, werkgevers → WIA-aanvraag): every page of the verslag
carries the employee's name and BSN; the documents are the probleemanalyse, the plan van aanpak
with its evaluations and bijstellingen, the eerstejaarsevaluatie, the actueel oordeel and the
eindevaluatie.
"""

from accounts.models import Organisation
from accounts.roles import OrganisationKind, Role

from .models import UwvBsn


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
    record = UwvBsn.objects.filter(werknemer=werknemer).first()
    return {
        "naam": werknemer.full_name,
        "bsn": (record.bsn if pdf else record.bsn_masked) if record else "",
        "bsn_masked": record.bsn_masked if record else "",
        "werkgever": werknemer.organisation.name,
        "arbodienst": arbodienst_name(werknemer.organisation_id),
        "titel": titel,
        "versie": versie,
        "datum": datum,
    }
