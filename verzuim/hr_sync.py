"""Keeping the staff list in step with the HR or payroll system (issue 23): one engine for the CSV
import page and the sync API.

1. **Read** what the HR system sends into `Incoming` rows: `read_csv` for a file (`;` or `,`,
   UTF-8 with or without BOM or Windows-1252, Dutch or ISO dates, Dutch or English column names
   in any case), the API serializer for JSON. A column that is not in the file is left alone; a
   column that is there but empty clears an optional field.
2. **Plan** (`plan_sync`): keyed on the personnel number within the organisation, what applying
   would do — new employees, changed fields (old → new, per employee), and for a complete staff
   list (the file) the employees still employed here but missing from it, offered as "uit dienst
   per …" and never deleted; every error by line; which changes touch an employee with an open
   sick case (their retention dates and Poortwachter deadlines move: RT-1, RI-1); and whether the
   mass-change guard asks for confirmation (more than `HR_SYNC_GUARD_SHARE` of the staff leaving
   or renamed at once). Planning writes nothing.
3. **Apply** (`apply_sync`): the plan again, inside one transaction with the organisation's
   employees locked, compared with what was previewed (its fingerprint), then every change at
   once: created in bulk, changed in bulk, each with its audit row (SE-7), retention dates and
   deadlines recomputed for the employment changes, and a `WerknemerSync` summary (who, when,
   counts; no personal data). Applying the same rows again plans nothing and changes nothing.

Written here rather than taken from a library: django-import-export and tablib parse and write
rows, but the upsert rules that matter here — the missing employees, the open-case flags, the
guard, the fingerprint between preview and apply, the domain's own audit and retention hooks —
are this domain's; the parsing itself is Python's csv module.
"""

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.errors import require
from accounts.input_guard import first_bad_line
from privacy import audit
from privacy.models import AuditAction
from retention import registry as retention_registry
from verzuim import policies
from verzuim.actions.werknemer import bulk_create_werknemers, check_employment
from verzuim.deadlines import refresh_cases_of
from verzuim.models import WERKNEMER_DATA_FIELDS, Werknemer, WerknemerSync, Ziekmelding

REQUIRED_FIELDS = (
    "personnel_number",
    "first_name",
    "last_name",
    "date_of_birth",
    "employment_start",
)
DATE_FIELDS = ("date_of_birth", "employment_start", "employment_end")
NAME_FIELDS = ("first_name", "last_name")
# The column names HR and payroll systems export, Dutch and English; compared after
# `_column_key` (lower case, spaces and hyphens as underscores). The first is the one we write.
COLUMNS = {
    "personnel_number": (
        "personeelsnummer",
        "personeelsnr",
        "personnel_number",
        "employee_number",
        "employee_id",
        "employeeid",
        "employee_no",
        "staff_number",
    ),
    "first_name": ("voornaam", "roepnaam", "first_name", "firstname", "given_name"),
    "last_name": ("achternaam", "last_name", "lastname", "surname", "family_name"),
    "date_of_birth": ("geboortedatum", "date_of_birth", "birth_date", "birthdate", "dob"),
    "employment_start": (
        "in_dienst",
        "indienst",
        "datum_in_dienst",
        "in_dienst_per",
        "employment_start",
        "start_date",
        "hire_date",
        "date_of_hire",
    ),
    "employment_end": (
        "uit_dienst",
        "uitdienst",
        "datum_uit_dienst",
        "uit_dienst_per",
        "employment_end",
        "end_date",
        "termination_date",
        "date_of_termination",
    ),
    "department": ("afdeling", "department", "dept", "cost_center"),
    "email": ("email", "e_mail", "e_mailadres", "emailadres", "email_address", "work_email"),
    "phone": ("telefoon", "telefoonnummer", "phone", "phone_number", "telephone", "mobile"),
    "address": ("adres", "straat", "address", "street", "street_address"),
    "postcode": ("postcode", "zip", "zipcode", "zip_code", "postal_code", "postalcode"),
    "city": ("woonplaats", "plaats", "city", "town"),
}
ALIASES = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
CSV_HEADER = [aliases[0] for aliases in COLUMNS.values()]

_NL_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.+Z-]*)?")


@dataclass
class Problem:
    line: int  # the file's line (the header is 1) or the API page's index
    reason: str
    field: str = ""


@dataclass
class Incoming:
    """One employee as the HR system sends it: only the fields it sends."""

    line: int
    data: dict


@dataclass
class FieldChange:
    field: str
    label: str
    old: object
    new: object


@dataclass
class Change:
    werknemer_id: int
    personnel_number: str
    name: str
    changes: list[FieldChange]
    open_case: bool


@dataclass
class Missing:
    werknemer_id: int
    personnel_number: str
    name: str
    open_case: bool


@dataclass
class Plan:
    created: list[Incoming] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    staff: int = 0  # employees employed here now (the guard's base)

    @property
    def leaving(self) -> list:
        """Employees whose employment would end: an end date where there was none (a corrected
        end date is no leaver) — the missing ones are counted by `guard` when the caller chooses
        to end them."""
        return [
            c
            for c in self.changed
            if any(
                f.field == "employment_end" and f.old is None and f.new is not None
                for f in c.changes
            )
        ]

    @property
    def renamed(self) -> list:
        return [c for c in self.changed if any(f.field in NAME_FIELDS for f in c.changes)]

    @property
    def open_cases(self) -> int:
        return sum(c.open_case for c in self.changed) + sum(m.open_case for m in self.missing)

    def guard(self, *, end_missing: bool) -> list[str]:
        """Why this plan needs an explicit confirmation (empty: it does not)."""
        share = settings.HR_SYNC_GUARD_SHARE
        floor = settings.HR_SYNC_GUARD_MIN
        limit = max(share * self.staff, floor - 1)
        reasons = []
        leaving = len(self.leaving) + (len(self.missing) if end_missing else 0)
        if leaving > limit:
            reasons.append(
                f"{leaving} van de {self.staff} werknemers in dienst gaan uit dienst "
                f"(meer dan {share:.0%})"
            )
        if len(self.renamed) > limit:
            reasons.append(
                f"{len(self.renamed)} van de {self.staff} werknemers krijgen een andere naam "
                f"(meer dan {share:.0%})"
            )
        return reasons

    def fingerprint(self) -> str:
        """What applying would do, as a hash: apply refuses when it differs from the preview."""
        payload = {
            "created": [sorted(i.data.items()) for i in self.created],
            "changed": [
                [c.werknemer_id, [[f.field, f.old, f.new] for f in c.changes]] for c in self.changed
            ],
            "missing": [m.werknemer_id for m in self.missing],
        }
        blob = json.dumps(payload, default=str, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()


class ConfirmationRequired(Exception):
    def __init__(self, reasons):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class PlanChanged(Exception):
    """The employees changed between the preview and the apply: preview again."""


# --- reading --------------------------------------------------------------------------------


def _column_key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def parse_date(text: str) -> date | None:
    """dd-mm-jjjj (also d-m-jjjj, with / or .) or jjjj-mm-dd (a time after it is ignored)."""
    text = (text or "").strip()
    if not text:
        return None
    if match := _NL_DATE.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ValueError(f"ongeldige datum {text!r} (gebruik dd-mm-jjjj of jjjj-mm-dd)")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"ongeldige datum {text!r}: die dag bestaat niet") from None


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise ValueError("het bestand is geen tekst in UTF-8 of Windows-1252") from None


def read_csv(content: bytes) -> tuple[list[Incoming], list[Problem]]:
    """The rows of an HR export, or the problems that stop it (by line; the header is line 1)."""
    try:
        text = _decode(content)
    except ValueError as error:
        return [], [Problem(0, str(error))]
    bad_line = first_bad_line(text)
    if bad_line is not None:  # SE-6: a NUL never reaches the database (it would refuse it)
        return [], [Problem(bad_line, "bevat een teken dat niet is toegestaan (NUL-teken)")]
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return [], [Problem(1, "het bestand is leeg of heeft geen kopregel")]
    first = lines[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    fields, unknown, doubled = [], [], []
    for column in header:
        name = ALIASES.get(_column_key(column))
        if name is None:
            unknown.append(column.strip())
        elif name in fields:
            doubled.append(column.strip())
        fields.append(name)
    missing = [COLUMNS[f][0] for f in REQUIRED_FIELDS if f not in fields]
    reasons = []
    if missing:
        reasons.append("ontbrekende kolommen: " + ", ".join(missing))
    if unknown:
        reasons.append("onbekende kolommen: " + ", ".join(unknown))
    if doubled:
        reasons.append("dubbele kolommen: " + ", ".join(doubled))
    if reasons:
        return [], [Problem(1, "; ".join(reasons))]
    rows, problems = [], []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue  # an empty line (the last one of many exports)
        if len(values) != len(fields):
            problems.append(Problem(number, f"{len(values)} velden in plaats van {len(fields)}"))
            continue
        data, row_problems = {}, []
        for name, value in zip(fields, values, strict=True):
            value = value.strip()
            if name in DATE_FIELDS:
                try:
                    data[name] = parse_date(value)
                except ValueError as error:
                    row_problems.append(f"{COLUMNS[name][0]}: {error}")
            else:
                data[name] = value
        if row_problems:
            problems.append(Problem(number, "; ".join(row_problems)))
            continue
        rows.append(Incoming(number, data))
    if not rows and not problems:
        problems.append(Problem(1, "het bestand bevat geen werknemers"))
    return rows, problems


# --- planning -------------------------------------------------------------------------------


def _label(name: str) -> str:
    return str(Werknemer._meta.get_field(name).verbose_name)


def _check(data: dict, current: Werknemer | None) -> list[str]:
    """The record as it would be after the change, checked as the form checks one."""
    merged = {f: getattr(current, f) for f in WERKNEMER_DATA_FIELDS} if current else {}
    merged.update(data)
    reasons = [f"{COLUMNS[f][0]} is leeg" for f in REQUIRED_FIELDS if not merged.get(f)]
    if reasons:
        return reasons
    try:
        check_employment(merged)
    except ValidationError as error:
        reasons += error.messages
    candidate = Werknemer(**{f: merged.get(f) for f in WERKNEMER_DATA_FIELDS})
    for name in WERKNEMER_DATA_FIELDS:
        if merged.get(name) is None and name not in DATE_FIELDS:
            setattr(candidate, name, "")
    try:
        candidate.clean_fields(exclude=["organisation", "manager", "user", "bsn"])
    except ValidationError as error:
        reasons += [f"{_label(f)}: {' '.join(m)}" for f, m in error.message_dict.items()]
    return reasons


def _name(werknemer) -> str:
    return f"{werknemer.first_name} {werknemer.last_name}".strip()


def plan_sync(*, organisation, rows: list[Incoming], complete: bool, today=None) -> Plan:
    """What applying `rows` would do to the organisation's employees. `complete`: the rows are
    the whole staff list (a file), so an employee still employed here and not in them is missing;
    a page of the API is not complete. Writes nothing."""
    today = today or timezone.localdate()
    employees = Werknemer.objects.filter(organisation=organisation)
    # A page of the API loads only its own employees (a PUT of one is not a load of all 20,000);
    # the guard's base is counted in the database either way.
    wanted = employees
    if not complete:
        numbers = {(row.data.get("personnel_number") or "").strip() for row in rows}
        wanted = employees.filter(personnel_number__in=numbers)
    open_case = Exists(Ziekmelding.objects.filter(werknemer=OuterRef("pk"), recovered_on=None))
    existing = {w.personnel_number: w for w in wanted.annotate(open_case=open_case)}
    plan = Plan(
        staff=employees.filter(
            Q(employment_end__isnull=True) | Q(employment_end__gte=today)
        ).count()
    )
    seen = set()
    for row in rows:
        number = (row.data.get("personnel_number") or "").strip()
        if not number:
            plan.problems.append(Problem(row.line, "personeelsnummer is leeg", "personnel_number"))
            continue
        if number in seen:
            plan.problems.append(
                Problem(
                    row.line,
                    f"personeelsnummer {number} staat twee keer in het bestand",
                    "personnel_number",
                )
            )
            continue
        seen.add(number)
        current = existing.get(number)
        changes = []
        if current is not None:
            changes = [
                FieldChange(name, _label(name), getattr(current, name), _blank(name, value))
                for name, value in row.data.items()
                if name != "personnel_number" and getattr(current, name) != _blank(name, value)
            ]
            if not changes:  # as stored: nothing to check, nothing to do (most of a month)
                plan.unchanged += 1
                continue
        reasons = _check(row.data, current)
        if reasons:
            plan.problems.append(Problem(row.line, "; ".join(reasons)))
        elif current is None:
            plan.created.append(row)
        else:
            plan.changed.append(
                Change(current.pk, number, _name(current), changes, current.open_case)
            )
    if complete:
        plan.missing = [
            Missing(w.pk, number, _name(w), w.open_case)
            for number, w in sorted(existing.items())
            if number not in seen and w.employment_end is None
        ]
    return plan


def plan_file(*, organisation, content: bytes) -> tuple[list[Incoming], Plan]:
    """A whole staff-list file read and planned: its rows, and the plan whose problems are every
    error of the file by line (reading and checking alike)."""
    rows, problems = read_csv(content)
    plan = plan_sync(organisation=organisation, rows=rows, complete=True)
    plan.problems = sorted(problems + plan.problems, key=lambda p: p.line)
    return rows, plan


def _blank(name, value):
    """An empty optional text field is "" in the model; an empty date is None."""
    if value is None and name not in DATE_FIELDS:
        return ""
    return value


# --- applying -------------------------------------------------------------------------------


def stage(*, by, content: bytes, plan: Plan) -> WerknemerSync:
    """Keep a checked file as a preview (nothing about the employees changes yet); the counts
    are what it would do now."""
    require(policies.can_manage_werknemers(by))
    return WerknemerSync.objects.create(
        organisation_id=by.organisation_id,
        by=by,
        source=WerknemerSync.Source.FILE,
        content=content,
        fingerprint=plan.fingerprint(),
        created_count=len(plan.created),
        changed_count=len(plan.changed),
        ended_count=len(plan.missing),
        unchanged_count=plan.unchanged,
        open_cases_count=plan.open_cases,
    )


def apply_sync(
    *,
    by,
    organisation,
    rows: list[Incoming],
    complete: bool,
    source: str,
    fingerprint: str | None = None,
    end_missing_on: date | None = None,
    confirm: bool = False,
    request=None,
    sync: WerknemerSync | None = None,
) -> tuple[Plan, WerknemerSync]:
    """Plan again under lock and apply it whole. Refuses (nothing written) when the rows have an
    error (ValidationError), when the plan differs from the previewed `fingerprint` (PlanChanged)
    or when the guard asks for a confirmation that was not given (ConfirmationRequired)."""
    require(policies.can_manage_werknemers(by) and organisation.pk == by.organisation_id)
    today = timezone.localdate()
    with transaction.atomic():
        # One sync per organisation at a time, and no edit slipping in between plan and write.
        list(
            Werknemer.objects.filter(organisation=organisation)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        plan = plan_sync(organisation=organisation, rows=rows, complete=complete, today=today)
        if plan.problems:
            raise ValidationError([f"regel {p.line}: {p.reason}" for p in plan.problems])
        if fingerprint is not None and plan.fingerprint() != fingerprint:
            raise PlanChanged
        if end_missing_on is None:
            plan.missing = []  # offered, not chosen: they stay as they are
        reasons = plan.guard(end_missing=True)
        if reasons and not confirm:
            raise ConfirmationRequired(reasons)
        created = _create(plan, by=by, organisation=organisation, request=request)
        changed = _change(plan, by=by, end_missing_on=end_missing_on, request=request)
        summary = sync or WerknemerSync(organisation=organisation, by=by, source=source)
        summary.status = WerknemerSync.Status.APPLIED
        summary.applied_at = timezone.now()
        summary.content = b""
        summary.created_count = len(created)
        summary.changed_count = len(plan.changed)
        summary.ended_count = len(plan.leaving) + len(plan.missing)
        summary.unchanged_count = plan.unchanged
        summary.open_cases_count = plan.open_cases
        summary.confirmed = bool(reasons)
        summary.end_missing_on = end_missing_on if plan.missing else None
        summary.save()
        # RT-1, RI-1: an employment that ends (or ends no more) moves the retention dates and
        # the Poortwachter deadlines of that employee's cases, in the same transaction.
        for werknemer in changed:
            retention_registry.changed(werknemer)
            refresh_cases_of(werknemer)
    return plan, summary


def _create(plan, *, by, organisation, request):
    rows = [
        Werknemer(
            organisation=organisation,
            **{f: _blank(f, row.data.get(f)) for f in WERKNEMER_DATA_FIELDS},
        )
        for row in plan.created
    ]
    if not rows:
        return []
    return bulk_create_werknemers(rows, by=by, detail="werknemer geïmporteerd", request=request)


def _change(plan, *, by, end_missing_on, request) -> list[Werknemer]:
    """Every changed and every ended employee in a few bulk UPDATEs; one audit row each. Returns
    those whose employment dates moved (retention and deadlines follow)."""
    now = timezone.now()
    updates = {c.werknemer_id: {f.field: f.new for f in c.changes} for c in plan.changed}
    for missing in plan.missing:
        updates[missing.werknemer_id] = {"employment_end": end_missing_on}
    if not updates:
        return []
    werknemers = Werknemer.objects.in_bulk(list(updates))
    fields = set()
    for pk, values in updates.items():
        werknemer = werknemers[pk]
        for name, value in values.items():
            setattr(werknemer, name, value)
            fields.add(name)
        werknemer.version += 1
        werknemer.updated_at = now
    Werknemer.objects.bulk_update(
        list(werknemers.values()), [*sorted(fields), "version", "updated_at"], batch_size=1000
    )
    audit.record_many(
        [
            audit.Entry(
                AuditAction.UPDATE,
                "verzuim.werknemer",
                [pk],
                subject=werknemers[pk].pseudonym,
                detail="werknemer gewijzigd via synchronisatie (" + ", ".join(sorted(values)) + ")",
            )
            for pk, values in updates.items()
        ],
        request=request,
        actor=by,
    )
    moved = {"employment_start", "employment_end"}
    return [werknemers[pk] for pk, values in updates.items() if moved & set(values)]
