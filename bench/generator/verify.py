"""`bench/generate.py --stage verify`, through the application as its roles (the app and
medisch logins): ORM reads, decryption, the benchmark accounts, a sample of stored `keep_until`
and next deadlines recomputed through the registry and the engine, the roles' separation (MD-2),
`retention.purge.dry_run` against the plan's own count; then `manage.py check` and
`verify_audit_log`. The checks go into the manifest.

Imported after django.setup() (bench/generate.py)."""

from __future__ import annotations

import random
import time
from datetime import date

from django.db import connections
from django.db.utils import ProgrammingError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from bench import common
from bench.generator.timer import Timer

# Proves its own synthetic consults decrypt, through the medisch alias and role.
from medisch.models import Consult, Dossier
from retention import registry
from retention.purge import dry_run
from verzuim import deadlines
from verzuim.models import Werknemer, Ziekmelding


def verify(args) -> None:
    manifest = common.load_manifest(args.db)
    today = date.fromisoformat(manifest["today"])
    rng = random.Random(args.seed + 2)
    timer = Timer()
    t0 = time.monotonic()
    checks = {}

    def reads():
        app_user = connections["default"].cursor()
        app_user.execute("SELECT current_user")
        med_user = connections["medisch"].cursor()
        med_user.execute("SELECT current_user")
        checks["roles"] = [app_user.fetchone()[0], med_user.fetchone()[0]]
        werknemer = Werknemer.objects.select_related("organisation").get(
            pk=manifest["big_dossier"]["werknemer_id"]
        )
        zm = Ziekmelding.objects.filter(werknemer=werknemer).order_by("-first_day").first()
        herstel = list(
            Ziekmelding.objects.filter(recovered_on__isnull=False)[:1][0].herstelmeldingen.all()
        )
        dossier = Dossier.objects.get(pk=manifest["big_dossier"]["dossier_id"])
        consults = list(Consult.objects.filter(dossier=dossier))
        decrypted = all(c.anamnesis.startswith("(synthetisch) anamnese") for c in consults)
        checks["reads"] = {
            "werknemer": f"{werknemer.pk} {werknemer.organisation.name}",
            "ziekmelding": f"{zm.pk} first_day {zm.first_day} open {zm.is_open}",
            "herstelmelding of a closed case": [h.kind for h in herstel],
            "dossier consults": len(consults),
            "consults decrypt": decrypted,
        }
        if len(consults) != manifest["big_dossier"]["consults"] or not decrypted:
            raise RuntimeError(f"medisch reads wrong: {checks['reads']}")
        # The benchmark accounts: the shared password, a confirmed TOTP device with the
        # manifest's key (no token is verified here: that would burn the current code).
        for entry in [*manifest["hr"][:1], *manifest["doctors"][:1]]:
            user = User.objects.get(email=entry["username"])
            device = TOTPDevice.objects.get(user=user, confirmed=True)
            if not user.check_password(manifest["password"]) or device.key != entry["totp_key"]:
                raise RuntimeError(f"account {entry['username']} does not match the manifest")
        checks["accounts: password and TOTP key match the manifest"] = True
        # MD-2: the application's role is refused on a medical table.
        try:
            with connections["default"].cursor() as cur:
                cur.execute("SELECT count(*) FROM medisch_consult")
            refused = False
        except ProgrammingError:
            refused = True
        connections["default"].close()
        checks["app role refused on medisch_consult"] = refused
        if not refused:
            raise RuntimeError("the app role can read medisch_consult (MD-2)")

    timer.run("ORM-lezingen als app- en medisch-rol", reads)

    def sample():
        mismatches = []
        n = 0
        for key, model in (
            ("verzuim.ziekmelding", Ziekmelding),
            ("verzuim.werknemer", Werknemer),
            ("medisch.dossier", Dossier),
        ):
            cat = registry.category(key)
            top = model.objects.order_by("-pk").values_list("pk", flat=True).first()
            ids = rng.sample(range(1, top + 1), min(200, top))
            # Half of the ziekmeldingen sample among rows with a date (ended employments).
            if model is Ziekmelding:
                dated = list(
                    model.objects.filter(keep_until__isnull=False)
                    .order_by("?")
                    .values_list("pk", flat=True)[:100]
                )
                ids = ids[:100] + dated
            for root in model.objects.filter(pk__in=ids):
                n += 1
                computed, _rule = cat.compute(root)
                if computed != root.keep_until:
                    mismatches.append((key, root.pk, str(root.keep_until), str(computed)))
        open_ids = list(
            Ziekmelding.objects.filter(recovered_on__isnull=True)
            .order_by("?")
            .values_list("pk", flat=True)[:200]
        )
        for zm in Ziekmelding.objects.filter(pk__in=open_ids).select_related("werknemer"):
            n += 1
            chain = list(Ziekmelding.objects.filter(case_id=zm.case_id))
            upcoming = deadlines.next_open(deadlines.deadlines_for(zm, today=today), chain)
            if (upcoming.due if upcoming else None) != zm.next_deadline_on:
                mismatches.append(("next_deadline", zm.pk, str(zm.next_deadline_on), str(upcoming)))
        checks["recomputed"] = {"rows": n, "mismatches": mismatches[:20]}
        if mismatches:
            raise RuntimeError(f"stored dates differ from the registry/engine: {mismatches[:5]}")
        return n

    timer.run("steekproef keep_until en Poortwachter herberekend", sample)

    def retention_counts():
        rows = dry_run(today)
        manifest["retention_dry_run"] = {r.key: r.count for r in rows}
        manifest["retention_dry_run_total"] = sum(r.count for r in rows)
        return manifest["retention_dry_run_total"]

    timer.run("retention.purge.dry_run", retention_counts)
    expected = dict(manifest["expected_expired"])
    with_dossier = expected.pop("werknemers expired but for their medical dossier")
    got = manifest["retention_dry_run"]
    differ = {k: (got.get(k), n) for k, n in expected.items() if got.get(k) != n}
    if (
        list(differ) == ["verzuim.werknemer"]
        and got["verzuim.werknemer"] == expected["verzuim.werknemer"] + with_dossier
    ):
        # Known application issue (bench/README.md): retention.purge._blocking_relations reads
        # Werknemer._meta.related_objects, which leaves out hidden reverse relations — and
        # Dossier.werknemer has related_name="+", so a medical dossier does not hold back the
        # purge of its employee. Counted and reported, not a generator error.
        checks["dossier does not block the employee's purge (application issue)"] = with_dossier
        differ = {}
    checks["dry_run equals the generator's own count"] = not differ
    for conn in connections.all():
        conn.close()
    env = common.env_from_manifest(manifest)
    timer.run("manage.py check", lambda: common.manage(env, "check", capture=True))
    result = timer.run(
        "manage.py verify_audit_log", lambda: common.manage(env, "verify_audit_log", capture=True)
    )
    checks["verify_audit_log"] = result.stdout.strip().splitlines()[-1]
    manifest["checks"] = checks
    manifest["timings"]["verify"] = timer.times
    manifest["timings"]["verify_total"] = round(time.monotonic() - t0, 1)
    common.write_manifest(manifest)
    if differ:
        raise RuntimeError(f"dry_run (got, expected) per category: {differ}")
