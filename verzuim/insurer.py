"""MD-6: the export for the verzuimverzekeraar (absence insurer), per case, with exactly the items
the AP allows for claim assessment — and nothing else. The column list below IS the rule; a test
compares it with MD-6 item by item.

Values the system does not hold (wage data, wage suspension, interventions) are exported empty
rather than guessed. The incapacity percentage comes from the doctor's released advice
(medisch/public.py), the only medical-side value that may leave.
"""

import io
import json

from medisch.public import released_advice
from privacy import audit, csv_export, flows
from privacy.models import AuditAction, LegalBasis, Recipient

from . import deadlines
from .models import Ziekmelding
from .poortwachter import format_date

# (column, MD-6 item it answers)
MD6_COLUMNS = [
    ("naam", "naam- en adresgegevens"),
    ("adres", "naam- en adresgegevens"),
    ("loongegevens", "loongegevens"),
    ("eerste_verzuimdag", "eerste verzuimdag"),
    ("datum_herstel", "datum (gedeeltelijk) herstel"),
    ("verwachte_duur", "(verwachte) duur"),
    ("arbeidsongeschiktheidspercentage", "arbeidsongeschiktheidspercentage of loonwaarde"),
    ("percentage_uren_werk", "percentage uren eigen of passend werk"),
    ("startdatum_opbouw", "startdatum opbouwschema"),
    ("vergoeding_ontvangen", "vergoeding ontvangen (vangnet of regres), ja/nee"),
    ("loon_opgeschort_of_gestopt", "loon opgeschort of stopgezet"),
    ("interventie_gestart", "of een interventie is gestart"),
    ("interventie_datum", "wanneer een interventie is gestart"),
    ("plan_van_aanpak_aanwezig", "of er een plan van aanpak is"),
    ("activiteiten_tijdig_uitgevoerd", "of de activiteiten (tijdig) worden uitgevoerd"),
    ("reintegratie_tijdig", "tijdigheid van de re-integratie-inspanningen"),
]
COLUMNS = [name for name, _ in MD6_COLUMNS]


def _yes_no(value):
    return "ja" if value else "nee"


def export_row(zm: Ziekmelding, *, request=None) -> dict:
    werknemer = zm.werknemer
    herstel = list(zm.herstelmeldingen.order_by("date"))
    partial = [h for h in herstel if h.kind == "gedeeltelijk"]
    advice = released_advice(zm.case_id, subject=werknemer.pseudonym, request=request)
    timeline = deadlines.deadlines_for(zm)
    overdue = any(d.state == "overdue" for d in timeline)
    plan_done = any(d.key == "plan_van_aanpak" and d.state == "done" for d in timeline)
    address = " ".join(p for p in (werknemer.address, werknemer.postcode, werknemer.city) if p)
    recovered = zm.recovered_on or (herstel[-1].date if herstel else None)
    return {
        "naam": werknemer.full_name,
        "adres": address,
        "loongegevens": "",
        "eerste_verzuimdag": format_date(zm.first_day),
        "datum_herstel": format_date(recovered) if recovered else "",
        "verwachte_duur": zm.get_expected_duration_display(),
        "arbeidsongeschiktheidspercentage": advice[0].incapacity_percentage if advice else "",
        "percentage_uren_werk": 100 - partial[-1].absence_percentage if partial else "",
        "startdatum_opbouw": format_date(partial[0].date) if partial else "",
        "vergoeding_ontvangen": _yes_no(zm.vangnet or zm.regres),
        "loon_opgeschort_of_gestopt": "",
        "interventie_gestart": "",
        "interventie_datum": "",
        "plan_van_aanpak_aanwezig": _yes_no(plan_done),
        "activiteiten_tijdig_uitgevoerd": _yes_no(not overdue),
        "reintegratie_tijdig": _yes_no(not overdue),
    }


def export(zm: Ziekmelding, fmt: str, *, request=None) -> tuple[str, str]:
    """(content, content type). Audited as an export (SE-7)."""
    row = export_row(zm, request=request)
    audit.record(
        AuditAction.EXPORT,
        "verzuim.ziekmelding",
        [zm.pk],
        subject=zm.werknemer.pseudonym,
        # MD-6 (named in words in the text people read)
        detail="export verzuimverzekeraar",
        request=request,
    )
    # RI-9: the export is an outgoing flow; the insurer's claim assessment rests on the
    # employer's legitimate interest, never on the employee's consent.
    flows.record_flow(
        # MD-6 (named in words in the text people read)
        kind="export verzuimverzekeraar",
        recipient=Recipient.VERZEKERAAR,
        legal_basis=LegalBasis.GERECHTVAARDIGD_BELANG,
        object_type="verzuim.ziekmelding",
        object_id=zm.pk,
        subject=zm.werknemer.pseudonym,
        actor=getattr(request, "user", None),
    )
    if fmt == "json":
        return json.dumps(row, ensure_ascii=False, indent=2), "application/json"
    # SE-6: the shared writer neutralises a name or address that starts like a formula; the
    # columns stay exactly COLUMNS, in that order (MD-6).
    buffer = io.StringIO()
    csv_export.write_rows(buffer, COLUMNS, [[row[column] for column in COLUMNS]])
    return buffer.getvalue(), csv_export.CONTENT_TYPE
