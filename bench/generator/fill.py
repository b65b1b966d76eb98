"""`bench/generate.py --stage fill`, as the owning login: the plan (bench/generator/plan.py)
written to the database (bench/generator/write.py, audit.py), then the manifest completed with
what the benchmarks need — counts, the benchmark accounts and their TOTP keys, the big dossier,
timings, the records the purge must find.

Imported after django.setup() (bench/generate.py)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.utils import timezone

from bench import common
from bench.generator.audit import write_audit
from bench.generator.plan import Plan
from bench.generator.shape import FULL, SMALL
from bench.generator.timer import Timer
from bench.generator.write import COPIES, copy_rows, reset_sequences, write_accounts
from retention.rules import RULES


def fill(args) -> None:
    manifest = common.load_manifest(args.db)
    shape = SMALL if args.small else FULL
    tz = ZoneInfo(settings.TIME_ZONE)
    today = date.fromisoformat(args.today) if args.today else timezone.localdate()
    # Every timestamp lies before the generation moment: noon of `today` when it is given.
    now = (
        datetime(today.year, today.month, today.day, 12, tzinfo=tz).astimezone(UTC)
        if args.today
        else timezone.now()
    )
    timer = Timer()
    t0 = time.monotonic()
    plan = Plan(shape, args.seed, today, now, tz)
    plan.rules = RULES
    common.log(f"plan: seed {args.seed}, peildatum {today}, {shape}", "generate")
    timer.run("plan: organisaties", plan.organisations)
    timer.run("plan: gebruikers", plan.users)
    timer.run("plan: werknemers", plan.werknemers)
    timer.run("plan: ziekmeldingen", plan.ziekmeldingen)
    timer.run("plan: bewaartermijnen en Poortwachter", plan.retention_and_deadlines)
    timer.run("plan: dossiers en consulten", plan.dossiers)

    conn = common.connect(args.db, autocommit=False)
    conn.execute("SET synchronous_commit = off")
    conn.execute("SET maintenance_work_mem = '256MB'")
    conn.commit()
    timer.run(
        "schrijf: organisaties, gebruikers, toewijzingen, TOTP",
        write_accounts,
        plan,
        manifest["password"],
    )
    for label, model, rows in COPIES:
        timer.run(label, copy_rows, conn, model, rows(plan))
    audit_count = timer.run("schrijf: privacy_auditevent (hashketen)", write_audit, plan, conn)
    timer.run("sequences", reset_sequences, conn)
    conn.close()

    def analyze():
        with common.connect(args.db) as c:  # autocommit: VACUUM cannot run in a transaction
            c.execute("VACUUM (ANALYZE)")

    timer.run("VACUUM ANALYZE", analyze)
    connection.close()
    fill_seconds = round(time.monotonic() - t0, 1)
    common.log(f"vullen klaar in {fill_seconds} s", "generate")
    manifest.update(describe(plan, audit_count))
    manifest["timings"] = {**timer.times, "fill_total": fill_seconds}
    common.write_manifest(manifest)


def describe(plan, audit_count: int) -> dict:
    """The manifest's account of the written data set."""
    today = plan.today
    counts = {
        "organisations (employers)": len(plan.orgs),
        "users": len(plan.users_),
        "werknemers": len(plan.wn),
        "werknemers employed / left >2y / left <2y": [
            sum(1 for w in plan.wn if w.end is None),
            sum(1 for w in plan.wn if w.keep_until and w.keep_until < today),
            sum(1 for w in plan.wn if w.keep_until and w.keep_until >= today),
        ],
        "ziekmeldingen": len(plan.zm),
        "ziekmeldingen open": len(plan.open_zm),
        "cases (case_id)": len(plan.cases),
        "herstelmeldingen": sum(len(z.herstel) for z in plan.zm),
        "deadline completions": len(plan.cases),
        "dossiers": len(plan.dossier_list),
        "consults": sum(len(d.consults) for d in plan.dossier_list),
        "audit events": audit_count,
    }
    sizes = sorted(plan.orgs, key=lambda o: -o.size)
    hr_users = [u for u in plan.users_ if u.role == "hr" and u.bench]
    return {
        "today": today.isoformat(),
        "generated_at": plan.now.isoformat(),
        "shape": plan.shape.__dict__,
        "counts": counts,
        "expected_expired": plan.expected_expired(),
        "organisations": [
            {
                "id": o.id,
                "name": o.name,
                "employees": o.size,
                "eigenrisicodrager_zw": o.erd_zw,
                "eigenrisicodrager_wga": o.erd_wga,
                "open_ziekmeldingen": sum(1 for z in plan.open_zm if z.w.org is o),
            }
            for o in plan.bench_orgs
        ],
        "largest_organisation_ids": [o.id for o in sizes[:3]],
        "hr": [
            {
                "username": u.email,
                "user_id": u.id,
                "organisation_id": u.organisation_id,
                "totp_key": plan.totp_keys[u.id],
            }
            for u in hr_users
        ],
        "doctors": [
            {
                "username": u.email,
                "user_id": u.id,
                "totp_key": plan.totp_keys[u.id],
                "organisation_ids": [o.id for o in plan.orgs if plan.doctor_of[o.id] is u],
            }
            for u in plan.doctors
        ],
        "big_dossier": {
            "dossier_id": plan.big_dossier.id,
            "werknemer_id": plan.big_dossier.w.id,
            "organisation_id": plan.big_dossier.w.org.id,
            "consults": len(plan.big_dossier.consults),
            "doctor": plan.big_dossier.doctor.email,
        },
        "other_users": "one HR user per other employer (hr-<n>-1@…), same password; TOTP "
        "keys in otp_totp_totpdevice",
    }
