"""Writing the plan (bench/generator/plan.py) as the owning login: the few hundred accounts,
organisations and TOTP devices with one `bulk_create` each (model defaults apply), every other
table with PostgreSQL COPY (psycopg 3 `cursor.copy()`). A row is a dict keyed by column name;
the model itself gives the columns, so no column list is written out here. The consult fields
are encrypted with the field's own `get_prep_value` (MD-3).

Imported after django.setup() (bench/generate.py)."""

from __future__ import annotations

import uuid
from itertools import chain
from operator import itemgetter

from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice
from psycopg import sql

from accounts.models import Assignment, EigenrisicodragerPeriode, Organisation, User
from accounts.roles import OrganisationKind

# The generator writes the medical tables as the owning login, like the tests that build
# medical fixtures, and encrypts with the module's own field (MD-3); it reads nothing back.
from medisch.models import Consult, Dossier
from privacy.models import AuditEvent
from verzuim.actions.termijnen import FILING_PROOF, REPORT_KEY
from verzuim.models import DeadlineCompletion, Herstelmelding, Werknemer, Ziekmelding

# Every table the fill writes, for resetting its id sequence afterwards.
MODELS = [
    Organisation,
    User,
    Assignment,
    TOTPDevice,
    Werknemer,
    Ziekmelding,
    Herstelmelding,
    DeadlineCompletion,
    Dossier,
    Consult,
    AuditEvent,
]


def copy_columns(model) -> list[str]:
    """The columns a COPY fills: every concrete one but the generated columns (Werknemer's
    *_upper), which PostgreSQL fills and COPY may not name."""
    return [f.column for f in model._meta.concrete_fields if not f.generated]


def copy_rows(conn, model, rows) -> int:
    """COPY rows (dicts keyed by column) into the model's table. A row must name every column of
    `copy_columns`: a field added by a later migration fails here instead of loading NULLs."""
    columns = copy_columns(model)
    rows = iter(rows)
    first = next(rows, None)
    if first is not None and sorted(first) != sorted(columns):
        raise RuntimeError(
            f"{model._meta.label}: columns {sorted(first)} != model {sorted(columns)}"
        )
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    values = itemgetter(*columns)
    count = 0
    with conn.cursor() as cur, cur.copy(statement) as copy:
        for row in chain([first], rows) if first is not None else ():
            copy.write_row(values(row))
            count += 1
    conn.commit()
    return count


def reset_sequences(conn) -> None:
    with conn.cursor() as cur:
        for model in MODELS:
            table = model._meta.db_table
            cur.execute(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    "coalesce((SELECT max(id) FROM {}), 0) + 1, false)"
                ).format(sql.Identifier(table)),
                [table],
            )
    conn.commit()


def write_accounts(plan, password: str) -> int:
    Organisation.objects.bulk_create(
        [
            Organisation(
                id=plan.arbodienst_id,
                name="Arbodienst Benchmark (synthetisch)",
                kind=OrganisationKind.ARBODIENST,
                is_synthetic=True,
            )
        ]
        + [
            Organisation(
                id=o.id,
                name=o.name,
                kind=OrganisationKind.WERKGEVER,
                is_synthetic=True,
            )
            for o in plan.orgs
        ]
    )
    # RT-2, RT-3: each eigenrisicodrager employer's status as one period for all time.
    EigenrisicodragerPeriode.objects.bulk_create(
        EigenrisicodragerPeriode(organisation_id=o.id, kind=kind)
        for o in plan.orgs
        for kind, on in (("zw", o.erd_zw), ("wga", o.erd_wga))
        if on
    )
    hashed = make_password(password)  # one PBKDF2 run for every synthetic account
    User.objects.bulk_create(
        User(
            id=u.id,
            email=u.email,
            full_name=u.full_name,
            role=u.role,
            organisation_id=u.organisation_id,
            pseudonym=uuid.UUID(u.pseudonym),
            is_synthetic=True,
            password=hashed,
            date_joined=plan.at(plan.window_start, 9 * 60),
        )
        for u in plan.users_
    )
    Assignment.objects.bulk_create(
        Assignment(user_id=plan.doctor_of[o.id].id, organisation_id=o.id) for o in plan.orgs
    )
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user_id=u.id, name="default", confirmed=True, key=plan.totp_keys[u.id])
        for u in plan.users_
    )
    return len(plan.users_)


def werknemer_rows(plan):
    # No BSN anywhere in the synthetic data: the empty value a record without one has, encrypted
    # by the field itself as the ORM stores it (DG-2, verzuim migration 0006).
    no_bsn = Werknemer._meta.get_field("bsn").get_prep_value("")
    for w in plan.wn:
        yield {
            "id": w.id,
            "organisation_id": w.org.id,
            "first_name": w.first_name,
            "last_name": w.last_name,
            "personnel_number": w.personnel_number,
            "date_of_birth": w.dob,
            "email": w.email,
            "phone": w.phone,
            "address": w.address,
            "postcode": w.postcode,
            "city": w.city,
            "employment_start": w.start,
            "employment_end": w.end,
            "department": w.department,
            "bsn": no_bsn,
            "bsn_last3": "",
            "manager_id": None,
            "user_id": None,
            "pseudonym": w.pseudonym,
            "is_synthetic": True,
            "version": 2 if w.end else 1,
            "created_at": plan.at(max(w.start, plan.window_start), 9 * 60),
            "updated_at": plan.at(w.end or max(w.start, plan.window_start), 10 * 60),
            "keep_until": w.keep_until,
        }


def ziekmelding_rows(plan):
    for z in plan.zm:
        yield {
            "id": z.id,
            "werknemer_id": z.w.id,
            "organisation_id": z.w.org.id,
            "first_day": z.first_day,
            "percentage": z.percentage,
            "phone": z.w.phone,
            "care_address": "",
            "expected_duration": z.expected,
            "lopende_afspraken": z.afspraken,
            "vangnet": z.vangnet,
            "arbeidsongeval": z.ongeval,
            "regres": z.regres,
            "recovered_on": z.recovered_on,
            "case_id": z.case_id,
            "next_deadline_on": z.next_on,
            "next_deadline_key": z.next_key,
            "next_deadline_label": z.next_label,
            "adapted_work_since": None,
            "created_by_id": plan.hr_of[z.w.org.id][0].id,
            "created_at": z.created,
            "updated_at": z.herstel[-1][3] if z.herstel else z.created,
            "version": 1 + len(z.herstel),
            "keep_until": z.keep_until,
        }


def herstelmelding_rows(plan):
    herstel = ((z, *h) for z in plan.zm for h in z.herstel)
    for n, (z, kind, day, pct, at) in enumerate(herstel, start=1):
        yield {
            "id": n,
            "ziekmelding_id": z.id,
            "kind": kind,
            "date": day,
            "absence_percentage": pct,
            "created_by_id": plan.hr_of[z.w.org.id][0].id,
            "created_at": at,
        }


def completion_rows(plan):
    for n, (case_id, periods) in enumerate(plan.cases.items(), start=1):
        first = periods[0]
        yield {
            "id": n,
            "case_id": case_id,
            "key": REPORT_KEY,
            "occurrence": 1,
            "completed_on": first.first_day,
            "completed_by_id": plan.hr_of[first.w.org.id][0].id,
            "proof": FILING_PROOF,
            "recorded_at": first.created,
            "undone_at": None,
            "undone_by_id": None,
            "undo_reason": "",
        }


def dossier_rows(plan):
    for d in plan.dossier_list:
        yield {
            "id": d.id,
            "werknemer_id": d.w.id,
            "organisation_id": d.w.org.id,
            "subject": d.w.pseudonym,
            "opened_by_id": d.doctor.id,
            "opened_at": d.opened,
            "last_changed_at": d.last_changed,
            "occupational_exposure": d.exposure,
            "keep_until": d.keep_until,
        }


def consult_rows(plan):
    # The field's own encryption (MD-3): AES-GCM under the active key of
    # MEDICAL_ENCRYPTION_KEYS, associated data "medisch.consult.<field>".
    enc = {
        name: Consult._meta.get_field(name).get_prep_value
        for name in ("anamnesis", "findings", "diagnosis", "diagnosis_code", "policy")
    }
    for d in plan.dossier_list:
        for c in d.consults:
            yield {
                "id": c.id,
                "dossier_id": d.id,
                "date": c.date,
                "anamnesis": enc["anamnesis"](c.anamnesis),
                "findings": enc["findings"](c.findings),
                "diagnosis": enc["diagnosis"]("(synthetisch)"),
                "diagnosis_code": enc["diagnosis_code"](""),
                "policy": enc["policy"](c.policy),
                "created_by_id": d.doctor.id,
                "created_at": c.created,
            }


# (timer label, model, rows of the plan), in the order they are written.
COPIES = [
    ("schrijf: verzuim_werknemer", Werknemer, werknemer_rows),
    ("schrijf: verzuim_ziekmelding", Ziekmelding, ziekmelding_rows),
    ("schrijf: verzuim_herstelmelding", Herstelmelding, herstelmelding_rows),
    ("schrijf: verzuim_deadlinecompletion", DeadlineCompletion, completion_rows),
    ("schrijf: medisch_dossier", Dossier, dossier_rows),
    ("schrijf: medisch_consult (versleuteld)", Consult, consult_rows),
]
