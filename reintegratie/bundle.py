"""The re-integratieverslag for UWV as one PDF (RI-12, RI-4): which documents it holds, in which
order, rendered from the documents' own templates (core/pdf.py) and joined into one file.

The order (UWV's): after a cover page that lists the parts and their pages,

    1. the probleemanalyse (the employer part, as the bedrijfsarts released it)
    2. the plan van aanpak, every version in turn (each bijstelling is a version)
    3. the periodic evaluations of the plan, oldest first
    4. the eerstejaarsevaluatie
    5. the actueel oordeel of the bedrijfsarts (the functional part he released)
    6. the eindevaluatie
    7. the employer's part of the verslag (the summary of the dossier, signed by both sides)

Sources: Beleidsregels vorm- en herkenbaarheidsvereisten reïntegratieverslagen (BWBR0015184)
art. 2 lid 2 — probleemanalyse, plan van aanpak with its bijstellingen, actueel oordeel,
eindevaluatie; Regeling procesgang eerste en tweede ziektejaar art. 7 for the
eerstejaarsevaluatie; UWV, "Het re-integratieverslag indienen": PDF, identified by the
employee's BSN, at most 10 MB per document (`settings.UWV_MAX_UPLOAD_BYTES`); the medical
information goes from the bedrijfsarts to the employee and never through the employer, so it is
no part of this file (RI-4) — the employee sends it to UWV with their application; the employee
gets a copy of every document (art. 25 lid 3 WIA; row `kopie_werknemer` of the Poortwachter table,
week 91): the bundle is put in their portal the moment it is made.

Why written here: joining PDFs is pypdf's (`PdfWriter.append`, with a bookmark per part); the
choice and order of documents is the law's, and no library knows it.

A bundle is current while the documents it was made from are unchanged: `fingerprint` hashes
every part's identity and the SHA-256 of its signed content (reintegratie/signing.py) and the
employee's zienswijzen; the WIA step (`wia_requirement`) asks for a current bundle.
"""

import hashlib
import io
import json
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from core.pdf import render_pdf_bytes
from medisch import public as medisch_public  # MD-2: the one face of the medical module

from . import completeness, documents, signing
from .models import (
    DocumentType,
    EvaluatieKind,
    PlanVanAanpak,
    Reintegratieverslag,
    Verslagbundel,
    Zienswijze,
)

COVER_TEMPLATE = "reintegratie/bundel_voorblad.html"
TITLE = "Re-integratieverslag voor UWV"


@dataclass(frozen=True)
class PartRef:
    """One document of the bundle: what it is and exactly which version (no content)."""

    key: str  # the completeness part it belongs to
    label: str
    type: str  # "advies", or a signing.DocumentType value
    id: int
    version: int
    content: str  # the SHA-256 of the content as signed; for the doctor's documents id:date


def _of_kind(evaluations, kind):
    return [e for e in evaluations if e.kind == kind]


def refs(zm) -> list[PartRef]:
    """The documents of the case's bundle in UWV's order (no content read, nothing audited)."""
    docs = medisch_public.verslag_documents(zm.case_id)
    plan = PlanVanAanpak.objects.filter(case_id=zm.case_id).select_related("werknemer").first()
    verslag = (
        Reintegratieverslag.objects.filter(case_id=zm.case_id)
        .order_by("-generated_at", "-pk")
        .first()
    )
    # Every evaluation in one query, split by kind below.
    evaluations = list(plan.evaluaties.order_by("date", "pk")) if plan is not None else []
    out = []
    if docs.probleemanalyse_id:
        out.append(
            PartRef(
                "probleemanalyse",
                "Probleemanalyse (deel voor de werkgever)",
                "advies",
                docs.probleemanalyse_id,
                1,
                f"{docs.probleemanalyse_id}:{docs.probleemanalyse_on}",
            )
        )
    if plan is not None:
        for versie in plan.versies.order_by("number"):
            label = "Plan van aanpak" if versie.number == 1 else "Plan van aanpak, bijstelling"
            out.append(
                PartRef(
                    "plan_van_aanpak",
                    f"{label} (versie {versie.number})",
                    DocumentType.PLANVERSIE,
                    versie.pk,
                    versie.number,
                    signing.content_hash(DocumentType.PLANVERSIE, versie),
                )
            )
        for key, kind in (
            ("evaluaties", EvaluatieKind.PERIODIEK),
            ("eerstejaarsevaluatie", EvaluatieKind.EERSTEJAARS),
        ):
            out.extend(_evaluation_ref(key, e) for e in _of_kind(evaluations, kind))
    if docs.actueel_oordeel_id:
        out.append(
            PartRef(
                "actueel_oordeel",
                "Actueel oordeel van de bedrijfsarts (functioneel deel)",
                "advies",
                docs.actueel_oordeel_id,
                1,
                f"{docs.actueel_oordeel_id}:{docs.actueel_oordeel_on}",
            )
        )
    if plan is not None:
        out.extend(
            _evaluation_ref("eindevaluatie", e)
            for e in _of_kind(evaluations, EvaluatieKind.EINDEVALUATIE)
        )
    if verslag is not None:
        out.append(
            PartRef(
                "verslag_werkgever",
                "Re-integratieverslag (deel werkgever)",
                DocumentType.VERSLAG,
                verslag.pk,
                1,
                signing.content_hash(DocumentType.VERSLAG, verslag),
            )
        )
    return out


def _evaluation_ref(key, evaluatie) -> PartRef:
    name = (
        "Evaluatie"
        if evaluatie.kind == EvaluatieKind.PERIODIEK
        else evaluatie.get_kind_display().capitalize()
    )
    return PartRef(
        key,
        f"{name} van {evaluatie.date:%d-%m-%Y}",
        DocumentType.EVALUATIE,
        evaluatie.pk,
        1,
        signing.content_hash(DocumentType.EVALUATIE, evaluatie),
    )


def fingerprint(zm, parts: list[PartRef] | None = None) -> str:
    """The SHA-256 of what the bundle of this case would be made of now."""
    parts = refs(zm) if parts is None else parts
    views = list(
        Zienswijze.objects.filter(case_id=zm.case_id).order_by("pk").values_list("pk", "text")
    )
    body = {"parts": [asdict(p) for p in parts], "zienswijzen": views}
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def lacking(zm, *, today=None, checked=None) -> list[str]:
    """RI-12: what stops the bundle being made (empty: it can be made) — the verslag's
    completeness (`checked`: that answer when the caller has it already) and the BSN every page
    must carry (DG-2: recorded for UWV's documents)."""
    checked = checked or completeness.check(zm, today=today)
    missing = list(checked.lacking)
    if not zm.werknemer.bsn_last3:
        missing.append(
            "BSN van de werknemer: nog niet vastgelegd; UWV herkent elk document aan het BSN"
        )
    return missing


def newest(zm) -> Verslagbundel | None:
    return (
        Verslagbundel.objects.filter(case_id=zm.case_id)
        .defer("pdf_encrypted")
        .order_by("-made_at", "-pk")
        .first()
    )


def is_current(bundle, zm) -> bool:
    return bundle is not None and bundle.fingerprint == fingerprint(zm)


def wia_requirement(ziekmelding, today) -> list[str]:
    """RI-12: recording the WIA application requires the bundle, made from the documents as they
    are now (registered with verzuim.actions.termijnen.register_step_requirement)."""
    bundle = newest(ziekmelding)
    if bundle is None:
        return ["het re-integratieverslag voor UWV (de bundel): nog niet gemaakt"]
    if not is_current(bundle, ziekmelding):
        return [
            f"het re-integratieverslag voor UWV van {bundle.made_at:%d-%m-%Y}: een document is "
            "sindsdien gewijzigd; maak de bundel opnieuw"
        ]
    return []


# --- Rendering --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    parts: list[dict]  # each PartRef as a dict with its first page and page count in the file


def _part_pdf(ref: PartRef, zm, request) -> bytes:
    """The PDF of one part, from its own page's template (the same the browser shows)."""
    if ref.type == "advies":
        released = medisch_public.released_document(
            zm.case_id, ref.id, subject=zm.werknemer.pseudonym, request=request
        )
        context = documents.oordeel_context(zm, released, pdf=True)
        template = "reintegratie/oordeel.html"
    else:
        record = signing.load(ref.type, ref.id)
        if ref.type == DocumentType.PLANVERSIE:
            context = documents.plan_version_context(record.plan, record, pdf=True)
            template = "reintegratie/plan_version.html"
        elif ref.type == DocumentType.EVALUATIE:
            context = documents.evaluatie_context(record, pdf=True)
            template = "reintegratie/evaluatie.html"
        else:
            context = documents.verslag_context(record, pdf=True)
            template = "reintegratie/verslag.html"
    return render_pdf_bytes(template, context, request)


def _pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def _cover(zm, rows, number, made_on, request) -> bytes:
    context = {
        "zm": zm,
        "rows": rows,
        "number": number,
        "doc": documents.header(zm.werknemer, titel=TITLE, versie=number, datum=made_on, pdf=True),
        "verify_url": request.build_absolute_uri(reverse("reintegratie:verify"))
        if request is not None
        else settings.SITE_URL.rstrip("/") + reverse("reintegratie:verify"),
    }
    return render_pdf_bytes(COVER_TEMPLATE, context, request)


def render(zm, parts: list[PartRef], *, number: int, made_on, request=None) -> Rendered:
    """The bundle's PDF: a cover with the table of contents, then every part, each with a
    bookmark. Raises ValidationError when the file would exceed UWV's upload limit."""
    rendered = [(ref, _part_pdf(ref, zm, request)) for ref in parts]
    counts = [_pages(data) for _ref, data in rendered]
    cover_pages = 1
    for _attempt in range(3):  # the table of contents may itself take more than a page
        rows, first = [], cover_pages + 1
        for (ref, _data), count in zip(rendered, counts, strict=True):
            rows.append({**asdict(ref), "first_page": first, "page_count": count})
            first += count
        cover = _cover(zm, rows, number, made_on, request)
        if _pages(cover) == cover_pages:
            break
        cover_pages = _pages(cover)
    writer = PdfWriter()
    writer.append(io.BytesIO(cover), import_outline=False)
    writer.add_outline_item(title="Inhoud", page_number=0)
    for row, (_ref, data) in zip(rows, rendered, strict=True):
        writer.append(io.BytesIO(data), import_outline=False)
        writer.add_outline_item(title=row["label"], page_number=row["first_page"] - 1)
    writer.add_metadata({"/Title": f"{TITLE} — {zm.werknemer.full_name}"})
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    limit = settings.UWV_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise ValidationError(
            f"Het re-integratieverslag wordt {len(data) / 1_048_576:.1f} MB; UWV neemt per "
            f"document hoogstens {limit / 1_048_576:.0f} MB aan."
        )
    return Rendered(pdf=data, pages=first - 1, parts=rows)


def pdf_response(bundle) -> HttpResponse:
    """The stored file as a download, never cached (it carries the full BSN, DG-2)."""
    stored = Verslagbundel.objects.only("token", "pdf_encrypted").get(pk=bundle.pk)
    response = HttpResponse(stored.pdf(), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="re-integratieverslag-uwv-{bundle.pk}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response
