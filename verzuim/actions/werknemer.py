"""Werknemers: create, update, end the employment, import a CSV file (all or nothing).
Audited (SE-7); a stale save raises Conflict (optimistic locking)."""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.errors import Conflict, require
from accounts.input_guard import first_bad_line
from privacy import audit
from privacy.models import AuditAction
from retention import registry as retention_registry
from verzuim import policies
from verzuim.deadlines import refresh_cases_of
from verzuim.models import WERKNEMER_DATA_FIELDS, Werknemer

from .common import log_change


def _check_employment(data):
    start, end = data.get("employment_start"), data.get("employment_end")
    if start and end and end < start:
        raise ValidationError({"employment_end": "De uitdienstdatum ligt vóór de indienstdatum."})
    birth = data.get("date_of_birth")
    if birth and start and birth >= start:
        raise ValidationError({"date_of_birth": "De geboortedatum ligt na de indienstdatum."})


def create_werknemer(*, by, organisation, request=None, **data) -> Werknemer:
    require(policies.can_manage_werknemers(by) and organisation.pk == by.organisation_id)
    _check_employment(data)
    if Werknemer.objects.filter(
        organisation=organisation, personnel_number=data["personnel_number"]
    ).exists():
        raise ValidationError({"personnel_number": "Dit personeelsnummer bestaat al."})
    with transaction.atomic():
        werknemer = Werknemer.objects.create(organisation=organisation, **data)
        log_change(AuditAction.CREATE, werknemer, request, "werknemer aangemaakt", by=by)
    return werknemer


def update_werknemer(*, by, werknemer, version, request=None, **data) -> Werknemer:
    require(policies.can_manage_werknemers(by) and werknemer.organisation_id == by.organisation_id)
    merged = {f: data.get(f, getattr(werknemer, f)) for f in WERKNEMER_DATA_FIELDS}
    _check_employment(merged)
    clash = Werknemer.objects.filter(
        organisation_id=werknemer.organisation_id, personnel_number=merged["personnel_number"]
    ).exclude(pk=werknemer.pk)
    if clash.exists():
        raise ValidationError({"personnel_number": "Dit personeelsnummer bestaat al."})
    with transaction.atomic():
        updated = Werknemer.objects.filter(pk=werknemer.pk, version=version).update(
            **{k: v for k, v in data.items() if k in WERKNEMER_DATA_FIELDS},
            version=version + 1,
            updated_at=timezone.now(),
        )
        if not updated:
            raise Conflict
        werknemer.refresh_from_db()
        log_change(AuditAction.UPDATE, werknemer, request, "werknemer gewijzigd", by=by)
        retention_registry.changed(werknemer)  # RT-1: employment end starts the clock
        # In the same transaction (RI-1, RI-11): the end of employment moves deadlines (the
        # ziek-uit-dienstmelding, not applicable after it).
        refresh_cases_of(werknemer)
    return werknemer


def end_employment(*, by, werknemer, end_date, request=None) -> Werknemer:
    return update_werknemer(
        by=by,
        werknemer=werknemer,
        version=werknemer.version,
        request=request,
        employment_end=end_date,
    )


@dataclass
class ImportProblem:
    line: int
    reason: str


CSV_COLUMNS = [
    "personeelsnummer",
    "voornaam",
    "achternaam",
    "geboortedatum",
    "in_dienst",
    "uit_dienst",
    "afdeling",
    "email",
    "telefoon",
    "adres",
    "postcode",
    "woonplaats",
]
REQUIRED_COLUMNS = ["personeelsnummer", "voornaam", "achternaam", "geboortedatum", "in_dienst"]


def _parse_date(text):
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%d-%m-%Y", "%Y-%m-%d"):
        try:
            return timezone.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"ongeldige datum {text!r} (gebruik dd-mm-jjjj)")


def import_werknemers_csv(*, by, organisation, content: bytes, request=None):
    """Validate every row; import nothing unless the whole file is clean (no half import).
    Returns (created, problems). Columns: CSV_COLUMNS (header row required; ; or , separated)."""
    require(policies.can_manage_werknemers(by) and organisation.pk == by.organisation_id)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [ImportProblem(0, "het bestand is geen UTF-8-tekst")]
    bad_line = first_bad_line(text)
    if bad_line is not None:  # SE-6: a NUL never reaches the database (it would refuse it)
        return [], [ImportProblem(bad_line, "bevat een teken dat niet is toegestaan (NUL-teken)")]
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=";,")
    except csv.Error:
        pass
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if missing or unknown:
        reasons = []
        if missing:
            reasons.append("ontbrekende kolommen: " + ", ".join(missing))
        if unknown:
            reasons.append("onbekende kolommen: " + ", ".join(unknown))
        return [], [ImportProblem(1, "; ".join(reasons))]
    reader.fieldnames = header
    problems, rows = [], []
    seen = set()
    existing = set(
        Werknemer.objects.filter(organisation=organisation).values_list(
            "personnel_number", flat=True
        )
    )
    for line, raw in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        try:
            for column in REQUIRED_COLUMNS:
                if not row.get(column):
                    raise ValueError(f"{column} is leeg")
            number = row["personeelsnummer"]
            if number in seen:
                raise ValueError(f"personeelsnummer {number} staat twee keer in het bestand")
            if number in existing:
                raise ValueError(f"personeelsnummer {number} bestaat al")
            data = {
                "personnel_number": number,
                "first_name": row["voornaam"],
                "last_name": row["achternaam"],
                "date_of_birth": _parse_date(row["geboortedatum"]),
                "employment_start": _parse_date(row["in_dienst"]),
                "employment_end": _parse_date(row.get("uit_dienst")),
                "department": row.get("afdeling", ""),
                "email": row.get("email", ""),
                "phone": row.get("telefoon", ""),
                "address": row.get("adres", ""),
                "postcode": row.get("postcode", ""),
                "city": row.get("woonplaats", ""),
            }
            try:
                _check_employment(data)
            except ValidationError as error:
                raise ValueError("; ".join(error.messages)) from error
            candidate = Werknemer(organisation=organisation, **data)
            candidate.full_clean(
                exclude=["organisation", "manager", "user"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            problems.append(
                ImportProblem(
                    line,
                    "; ".join(
                        f"{Werknemer._meta.get_field(f).verbose_name}: {' '.join(m)}"
                        for f, m in error.message_dict.items()
                    ),
                )
            )
            continue
        except ValueError as error:
            problems.append(ImportProblem(line, str(error)))
            continue
        seen.add(number)
        rows.append(candidate)
    if problems:
        return [], problems
    if not rows:
        return [], [ImportProblem(1, "het bestand bevat geen werknemers")]
    with transaction.atomic():
        created = bulk_create_werknemers(
            rows, by=by, detail="werknemer geïmporteerd", request=request
        )
    return created, []


def bulk_create_werknemers(rows, *, by, detail, request=None) -> list:
    """Many employees at once (the CSV import, the demo): what `post_save` and the per-row audit
    would do for each, done for all — the retention date (RT-1) and one audit entry each
    (SE-7). Inside the caller's transaction."""
    created = Werknemer.objects.bulk_create(rows)
    for werknemer in created:
        if werknemer.employment_end:  # bulk_create sends no post_save (RT-1)
            retention_registry.changed(werknemer)
    audit.record_many(
        [
            audit.Entry(
                AuditAction.CREATE,
                "verzuim.werknemer",
                [w.pk],
                subject=w.pseudonym,
                detail=detail,
            )
            for w in created
        ],
        request=request,
        actor=by,
    )
    return created
