"""State changes of verzuim: every write goes through here — atomic, validated, audited
(SE-7: a ziekmelding is health data, so every create, change and recovery is logged).

Validation raises django ValidationError with field names, so forms show it at the field and the
API answers 400 with the same messages. Concurrent edits are refused by version (optimistic
locking): a stale save raises Conflict (accounts.errors).
"""

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

# Conflict is also read as verzuim.actions.Conflict (views, tests).
from accounts.errors import Conflict
from accounts.input_guard import first_bad_line
from privacy import audit
from privacy.actions import toestemming
from privacy.models import AuditAction, ConsentKind
from retention import registry as retention_registry

from . import policies
from .deadlines import refresh_next_deadline
from .models import (
    DeadlineCompletion,
    HerstelKind,
    Herstelmelding,
    Noodinformatie,
    Werknemer,
    Ziekmelding,
)
from .poortwachter import SAMENTELLING_DAYS

WERKNEMER_FIELDS = [
    "first_name",
    "last_name",
    "personnel_number",
    "date_of_birth",
    "email",
    "phone",
    "address",
    "postcode",
    "city",
    "employment_start",
    "employment_end",
    "department",
]
ZIEKMELDING_FIELDS = [
    "first_day",
    "percentage",
    "phone",
    "care_address",
    "expected_duration",
    "lopende_afspraken",
    "vangnet",
    "arbeidsongeval",
    "regres",
]
ZIEKMELDING_EDITABLE = [f for f in ZIEKMELDING_FIELDS if f != "first_day"]

REPORT_KEY = "ziekmelding_arbodienst"
NOODINFORMATIE_CONSENT_VERSION = "2026-11"
NOODINFORMATIE_CONSENT_TEXT = (
    "Ik geef deze informatie uit eigen beweging, zodat collega's in een noodgeval weten wat ze "
    "moeten doen. Mijn werkgever mag precies deze tekst vastleggen en tonen aan collega's die "
    "dat nodig hebben. Ik kan haar op elk moment intrekken; dan wordt ze direct verwijderd."
)


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _log(action, zm_or_wn, request, detail, *, by=None):
    werknemer = zm_or_wn.werknemer if isinstance(zm_or_wn, Ziekmelding) else zm_or_wn
    audit.record(
        action,
        f"verzuim.{type(zm_or_wn).__name__.lower()}",
        [zm_or_wn.pk],
        subject=werknemer.pseudonym,
        detail=detail,
        request=request,
        actor=by,
    )


# --- Werknemers -------------------------------------------------------------------------------


def _check_employment(data):
    start, end = data.get("employment_start"), data.get("employment_end")
    if start and end and end < start:
        raise ValidationError({"employment_end": "De uitdienstdatum ligt vóór de indienstdatum."})
    birth = data.get("date_of_birth")
    if birth and start and birth >= start:
        raise ValidationError({"date_of_birth": "De geboortedatum ligt na de indienstdatum."})


def create_werknemer(*, by, organisation, request=None, **data) -> Werknemer:
    _require(policies.can_manage_werknemers(by) and organisation.pk == by.organisation_id)
    _check_employment(data)
    if Werknemer.objects.filter(
        organisation=organisation, personnel_number=data["personnel_number"]
    ).exists():
        raise ValidationError({"personnel_number": "Dit personeelsnummer bestaat al."})
    with transaction.atomic():
        werknemer = Werknemer.objects.create(organisation=organisation, **data)
        _log(AuditAction.CREATE, werknemer, request, "werknemer aangemaakt", by=by)
    return werknemer


def update_werknemer(*, by, werknemer, version, request=None, **data) -> Werknemer:
    _require(policies.can_manage_werknemers(by) and werknemer.organisation_id == by.organisation_id)
    merged = {f: data.get(f, getattr(werknemer, f)) for f in WERKNEMER_FIELDS}
    _check_employment(merged)
    clash = Werknemer.objects.filter(
        organisation_id=werknemer.organisation_id, personnel_number=merged["personnel_number"]
    ).exclude(pk=werknemer.pk)
    if clash.exists():
        raise ValidationError({"personnel_number": "Dit personeelsnummer bestaat al."})
    with transaction.atomic():
        updated = Werknemer.objects.filter(pk=werknemer.pk, version=version).update(
            **{k: v for k, v in data.items() if k in WERKNEMER_FIELDS},
            version=version + 1,
            updated_at=timezone.now(),
        )
        if not updated:
            raise Conflict
        werknemer.refresh_from_db()
        _log(AuditAction.UPDATE, werknemer, request, "werknemer gewijzigd", by=by)
        retention_registry.changed(werknemer)  # RT-1: employment end starts the clock
    for zm in werknemer.ziekmeldingen.filter(recovered_on__isnull=True):
        refresh_next_deadline(zm)
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
    _require(policies.can_manage_werknemers(by) and organisation.pk == by.organisation_id)
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
                    detail="werknemer geïmporteerd",
                )
                for w in created
            ],
            request=request,
            actor=by,
        )
    return created, []


# --- Ziekmelding ------------------------------------------------------------------------------


def _validate_first_day(werknemer, first_day, *, today):
    if first_day > today:
        raise ValidationError({"first_day": "De eerste verzuimdag kan niet in de toekomst liggen."})
    if first_day < werknemer.employment_start:
        raise ValidationError(
            {
                "first_day": "De eerste verzuimdag ligt vóór de indienstdatum "
                f"({werknemer.employment_start:%d-%m-%Y})."
            }
        )
    if werknemer.employment_end and first_day > werknemer.employment_end:
        raise ValidationError({"first_day": "De werknemer is op die dag niet meer in dienst."})


def meld_ziek(*, by, werknemer, request=None, today=None, **data) -> Ziekmelding:
    """File a ziekmelding with exactly the ZM-1 items. A report within 28 days of the previous
    full recovery continues that case (samentelling, ZM-5)."""
    _require(policies.can_file_ziekmelding(by) and werknemer.organisation_id == by.organisation_id)
    today = today or timezone.localdate()
    unknown = set(data) - set(ZIEKMELDING_FIELDS)
    if unknown:  # ZM-2: nothing beyond the ZM-1 items can be stored
        raise ValidationError(f"Onbekende velden: {', '.join(sorted(unknown))}")
    _validate_first_day(werknemer, data["first_day"], today=today)
    if werknemer.ziekmeldingen.filter(recovered_on__isnull=True).exists():
        raise ValidationError(
            {"first_day": "Deze werknemer heeft al een open ziekmelding; meld eerst herstel."}
        )
    previous = (
        werknemer.ziekmeldingen.filter(recovered_on__isnull=False).order_by("-recovered_on").first()
    )
    if previous and data["first_day"] < previous.recovered_on:
        raise ValidationError(
            {"first_day": "De eerste verzuimdag valt in een eerdere verzuimperiode."}
        )
    zm = Ziekmelding(
        werknemer=werknemer, organisation_id=werknemer.organisation_id, created_by=by, **data
    )
    if previous and (data["first_day"] - previous.recovered_on).days < SAMENTELLING_DAYS:
        zm.case_id = previous.case_id
    zm.full_clean(exclude=["werknemer", "organisation", "created_by"], validate_constraints=False)
    continues = previous is not None and zm.case_id == previous.case_id
    try:
        with transaction.atomic():
            zm.save()
            if not continues:
                # Filing here is the report to the arbodienst (RI-1, week 1).
                DeadlineCompletion.objects.get_or_create(
                    case_id=zm.case_id,
                    key=REPORT_KEY,
                    occurrence=1,
                    defaults={"completed_on": today, "completed_by": by},
                )
            _log(
                AuditAction.CREATE,
                zm,
                request,
                "ziekmelding (samentelling)" if continues else "ziekmelding",
                by=by,
            )
            # In the same transaction: a report is never committed without its next deadline.
            refresh_next_deadline(zm, today=today)
    except IntegrityError as error:  # a concurrent second report
        raise ValidationError(
            {"first_day": "Deze werknemer heeft al een open ziekmelding."}
        ) from error
    zm.refresh_from_db()
    return zm


def update_ziekmelding(*, by, ziekmelding, version, request=None, **data) -> Ziekmelding:
    _require(
        policies.can_file_ziekmelding(by) and ziekmelding.organisation_id == by.organisation_id
    )
    unknown = set(data) - set(ZIEKMELDING_EDITABLE)
    if unknown:
        raise ValidationError(
            f"Deze velden kunnen niet worden gewijzigd: {', '.join(sorted(unknown))}"
        )
    for field, value in data.items():
        setattr(ziekmelding, field, value)
    ziekmelding.full_clean(
        exclude=["werknemer", "organisation", "created_by"], validate_constraints=False
    )
    with transaction.atomic():
        updated = Ziekmelding.objects.filter(pk=ziekmelding.pk, version=version).update(
            **data, version=version + 1, updated_at=timezone.now()
        )
        if not updated:
            raise Conflict
        _log(AuditAction.UPDATE, ziekmelding, request, "ziekmelding gewijzigd", by=by)
    ziekmelding.refresh_from_db()
    return ziekmelding


def meld_herstel(
    *, by, ziekmelding, kind, date: date, absence_percentage=0, request=None, today=None
) -> Herstelmelding:
    """ZM-5: full recovery closes the case period; partial recovery keeps it open at the new
    (lower) percentage."""
    _require(
        policies.can_file_ziekmelding(by) and ziekmelding.organisation_id == by.organisation_id
    )
    today = today or timezone.localdate()
    if not ziekmelding.is_open:
        raise ValidationError({"date": "Deze ziekmelding is al afgesloten."})
    if date <= ziekmelding.first_day:
        raise ValidationError(
            {
                "date": "De hersteldatum moet na de eerste verzuimdag liggen "
                f"({ziekmelding.first_day:%d-%m-%Y})."
            }
        )
    if date > today:
        raise ValidationError({"date": "De hersteldatum kan niet in de toekomst liggen."})
    last = ziekmelding.herstelmeldingen.order_by("-date").first()
    if last and date < last.date:
        raise ValidationError({"date": "De hersteldatum ligt vóór een eerdere herstelmelding."})
    if kind == HerstelKind.VOLLEDIG:
        absence_percentage = 0
    elif not (1 <= (absence_percentage or 0) <= 99):
        raise ValidationError(
            {
                "absence_percentage": "Geef bij gedeeltelijk herstel het "
                "resterende verzuimpercentage (1–99)."
            }
        )
    with transaction.atomic():
        herstel = Herstelmelding.objects.create(
            ziekmelding=ziekmelding,
            kind=kind,
            date=date,
            absence_percentage=absence_percentage,
            created_by=by,
        )
        if kind == HerstelKind.VOLLEDIG:
            Ziekmelding.objects.filter(pk=ziekmelding.pk).update(
                recovered_on=date, version=ziekmelding.version + 1, updated_at=timezone.now()
            )
        else:
            Ziekmelding.objects.filter(pk=ziekmelding.pk).update(
                percentage=absence_percentage,
                version=ziekmelding.version + 1,
                updated_at=timezone.now(),
            )
        _log(AuditAction.UPDATE, ziekmelding, request, f"herstelmelding ({kind})", by=by)
        # In the same transaction: a recovery is never committed with a stale next deadline or
        # retention date (the purge selects on the stored date: one left from the open case
        # would keep the record past its term, RT-6).
        ziekmelding.refresh_from_db()
        refresh_next_deadline(ziekmelding, today=today)
        retention_registry.changed(ziekmelding)  # RT-1/2/3: the end of the absence starts clocks
    return herstel


def complete_deadline(*, by, ziekmelding, key, occurrence=1, completed_on=None, request=None):
    _require(
        policies.can_file_ziekmelding(by) and ziekmelding.organisation_id == by.organisation_id
    )
    completed_on = completed_on or timezone.localdate()
    with transaction.atomic():
        DeadlineCompletion.objects.get_or_create(
            case_id=ziekmelding.case_id,
            key=key,
            occurrence=occurrence,
            defaults={"completed_on": completed_on, "completed_by": by},
        )
        _log(AuditAction.UPDATE, ziekmelding, request, f"termijn afgerond: {key}", by=by)
        refresh_next_deadline(ziekmelding)


# --- Noodinformatie (ZM-4) ----------------------------------------------------------------------


def save_noodinformatie(*, by, werknemer, text, request=None) -> Noodinformatie:
    _require(policies.can_write_noodinformatie(by, werknemer))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Vul in wat collega's in een noodgeval moeten weten."})
    with transaction.atomic():
        info, _ = Noodinformatie.objects.update_or_create(
            werknemer=werknemer,
            defaults={
                "text": text,
                "consent_text_version": NOODINFORMATIE_CONSENT_VERSION,
                "consent_text": NOODINFORMATIE_CONSENT_TEXT,
                "confirmed_at": timezone.now(),
            },
        )
        _log(
            AuditAction.UPDATE, werknemer, request, "noodinformatie bevestigd door werknemer", by=by
        )
        toestemming.record(
            kind=ConsentKind.NOODINFORMATIE,
            subject=werknemer.pseudonym,
            by=by,
            given=True,
            text_version=NOODINFORMATIE_CONSENT_VERSION,
            text=NOODINFORMATIE_CONSENT_TEXT,
            scope="deze noodinformatie, voor collega's die haar in een noodgeval nodig hebben",
            obj=info,
        )
    return info


def withdraw_noodinformatie(*, by, werknemer, request=None) -> bool:
    _require(policies.can_write_noodinformatie(by, werknemer))
    with transaction.atomic():
        info = Noodinformatie.objects.filter(werknemer=werknemer).first()
        if info is not None:
            toestemming.withdraw(kind=ConsentKind.NOODINFORMATIE, obj=info)
        deleted, _ = Noodinformatie.objects.filter(werknemer=werknemer).delete()
        if deleted:
            _log(
                AuditAction.DELETE,
                werknemer,
                request,
                "noodinformatie ingetrokken en verwijderd",
                by=by,
            )
    return bool(deleted)
