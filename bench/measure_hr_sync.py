"""The staff-list sync with the HR system at 20,000 employees (issue 23): a file's preview and
apply (verzuim/hr_sync.py) against a plain insert of the same rows, month on month, and the
peak memory.

    .venv/bin/python -m bench.measure_hr_sync [--repeats N] [--rows 20000] [--json PATH]
    .venv/bin/python -m bench.measure_hr_sync --profile      # one repeat under cProfile
    .venv/bin/python bench/run.py --only hr_sync

Its own database, `vk_syncbench` (dropped and re-created, migrated as the owner, dropped again at
the end), never the generated vk_bench/vk_bench_small. The staff file is synthetic: Faker nl_NL
with a fixed seed, personnel numbers `S000001`…, e-mail addresses on `.example`, no BSN; it is
written in the import's own format (the Dutch header `personeelsnummer;voornaam;…;woonplaats`,
`;`, dd-mm-jjjj dates, UTF-8) to a temporary directory, removed at the end.

Each repeat is one fresh worker process (so its max RSS is its own) with Django set up against
vk_syncbench, two fresh organisations and an HR user; it ends by deleting both organisations'
employees and sync rows, so every repeat starts from the same table sizes. In the worker:

1. *warm-up*: a 20-row file planned and applied into a third organisation (imports, caches,
   connections), then deleted;
2. *first import* (empty organisation): `plan_file` of the 20k file (the upload's preview: read
   the CSV, plan, check every row as the form does) and `apply_sync` of its rows with the
   preview's fingerprint (what the apply POST runs: lock, plan again, bulk create, one audit row
   each, the summary) — the max RSS of the process is read right after, with the RSS before the
   preview as its base;
3. *plain insert*: the same 20k rows as `Werknemer` instances, `Werknemer.objects.bulk_create` in
   one transaction into the second (empty) organisation — no CSV, no checks, no audit: the least
   any import of these rows must do. Building the instances from the generator's dicts is timed
   with it;
4. *month on month*: a second file from the first — 2 % of the employees changed (department,
   address or phone), 1 % new, 1 % missing (ended per the end of next month) — previewed and
   applied on the organisation of step 2; then the same second file once more (`plan_file` +
   `apply_sync`, nothing to change: it plans and writes only the summary row).

Why the comparison is fair: both variants write the same 20k rows into the same table of the same
database in the same process minutes apart, and each starts with the organisation empty; the
ratio therefore holds on a busy shared machine where absolute seconds drift. The sync does more by
design (parsing, the per-row checks, the audit row per employee (SE-7), the fingerprint, a second
plan under lock) — the ratio prices that extra work, not a different database. Bars:
preview+apply <= 5x the plain insert, preview <= 3x and apply <= 4x; the no-change re-apply <= 1.5x
its preview (it plans twice — the preview and the plan under lock — and writes one row).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common
from bench.ratios import Figure, Ratio, to_json

DB = "vk_syncbench"  # this module's own: dropped and re-created at every run, dropped at the end
ROWS = 20_000
SEED = 20261125
HEADER = (
    "personeelsnummer;voornaam;achternaam;geboortedatum;in_dienst;uit_dienst;afdeling;email;"
    "telefoon;adres;postcode;woonplaats"
)
DEPARTMENTS = ["Productie", "Logistiek", "Administratie", "Verkoop", "Techniek", "Klantenservice"]
DOMAIN = "sync.verzuimkluis.example"
BAR_TOTAL, BAR_PREVIEW, BAR_APPLY, BAR_NOOP = 5.0, 3.0, 4.0, 1.5
CHANGED, NEW, MISSING = 0.02, 0.01, 0.01


# --- the synthetic staff files ---------------------------------------------------------------


def staff(rows: int, seed: int = SEED) -> list[dict]:
    """`rows` synthetic employees (fixed seed): the import's fields, dates as `date`."""
    from faker import Faker

    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    today = date(2026, 11, 1)  # fixed, so the file does not depend on the day it is made
    people = []
    for n in range(1, rows + 1):
        birth = date(1960, 1, 1) + timedelta(days=rng.randrange(43 * 365))
        earliest = birth + timedelta(days=18 * 366)
        start = earliest + timedelta(days=rng.randrange(max(1, (today - earliest).days)))
        people.append(
            {
                "personnel_number": f"S{n:06d}",
                "first_name": fake.first_name(),
                "last_name": fake.last_name(),
                "date_of_birth": birth,
                "employment_start": start,
                "employment_end": None,
                "department": DEPARTMENTS[rng.randrange(len(DEPARTMENTS))],
                "email": f"werknemer-{n}@{DOMAIN}",
                "phone": f"06-{rng.randrange(10**8):08d}",
                "address": fake.street_address()[:200],
                "postcode": fake.postcode(),
                "city": fake.city()[:100],
            }
        )
    return people


def next_month(people: list[dict], seed: int = SEED) -> list[dict]:
    """The next month's export: CHANGED of them changed, MISSING left out, NEW added."""
    rng = random.Random(seed + 1)
    n = len(people)
    missing = set(rng.sample(range(n), int(n * MISSING)))
    changed = rng.sample(sorted(set(range(n)) - missing), int(n * CHANGED))
    out = [dict(p) for i, p in enumerate(people) if i not in missing]
    by_number = {p["personnel_number"]: p for p in out}
    for k, i in enumerate(changed):
        person = by_number[people[i]["personnel_number"]]
        if k % 3 == 0:
            person["department"] = DEPARTMENTS[(DEPARTMENTS.index(person["department"]) + 1) % 6]
        elif k % 3 == 1:
            person["address"] = f"Nieuwe Laan {k + 1}"
        else:
            person["phone"] = f"06-{rng.randrange(10**8):08d}"
    out += staff(int(n * NEW), seed=seed + 2)
    for k, person in enumerate(out[-int(n * NEW) :]):
        person["personnel_number"] = f"N{k + 1:06d}"
        person["email"] = f"nieuw-{k + 1}@{DOMAIN}"
    return out


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    return str(value)


def to_csv(people: list[dict]) -> bytes:
    order = [
        "personnel_number",
        "first_name",
        "last_name",
        "date_of_birth",
        "employment_start",
        "employment_end",
        "department",
        "email",
        "phone",
        "address",
        "postcode",
        "city",
    ]
    lines = [HEADER] + [";".join(_cell(p[f]) for f in order) for p in people]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def files(rows: int, folder: Path) -> tuple[Path, Path, Path]:
    """Write (once per run) the month-1 and month-2 files and the month-1 rows as JSON."""
    first = folder / f"hr_sync_{rows}_maand1.csv"
    second = folder / f"hr_sync_{rows}_maand2.csv"
    plain = folder / f"hr_sync_{rows}_maand1.json"
    if not (first.exists() and second.exists() and plain.exists()):
        people = staff(rows)
        first.write_bytes(to_csv(people))
        second.write_bytes(to_csv(next_month(people)))
        plain.write_text(json.dumps(people, default=str))
    return first, second, plain


# --- the worker process ------------------------------------------------------------------------


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _worker(rows: int, repeat: int, profile: bool, folder: Path) -> None:
    """One repeat; prints one JSON line of seconds and KiB."""
    import django

    django.setup()
    import resource
    import time

    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.actions import issue_account
    from accounts.models import Organisation
    from accounts.roles import OrganisationKind, Role
    from verzuim import hr_sync
    from verzuim.models import Werknemer, WerknemerSync

    first_path, second_path, plain_path = files(rows, folder)
    first, second = first_path.read_bytes(), second_path.read_bytes()
    plain_rows = json.loads(plain_path.read_text())

    def org(label):
        return Organisation.objects.create(
            name=f"Synchronisatieproef {label} {repeat} (synthetisch)",
            kind=OrganisationKind.WERKGEVER,
            is_synthetic=True,
        )

    def hr_of(organisation):
        return issue_account(
            by=None,
            system=True,
            email=f"hr-{organisation.pk}@{DOMAIN}",
            full_name="HR Synchronisatieproef",
            role=Role.HR,
            organisation=organisation,
            is_synthetic=True,
        )

    def preview(organisation, content):
        t = time.perf_counter()
        got_rows, plan = hr_sync.plan_file(organisation=organisation, content=content)
        plan.previewed = plan.fingerprint()  # the upload keeps it with the preview (`stage`)
        assert not plan.problems, plan.problems[:5]
        return time.perf_counter() - t, got_rows, plan

    def apply(organisation, by, got_rows, plan, end_on=None):
        t = time.perf_counter()
        applied, _ = hr_sync.apply_sync(
            by=by,
            organisation=organisation,
            rows=got_rows,
            complete=True,
            source=WerknemerSync.Source.FILE,
            fingerprint=plan.previewed,
            end_missing_on=end_on if plan.missing else None,
            confirm=False,
        )
        return time.perf_counter() - t, applied

    def wipe(orgs):
        ids = [o.pk for o in orgs]
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM verzuim_werknemer WHERE organisation_id = ANY(%s)", [ids])
        WerknemerSync.objects.filter(organisation_id__in=ids).delete()

    # 1. warm-up
    warm = org("opwarmen")
    warm_hr = hr_of(warm)
    small = b"\r\n".join(first.split(b"\r\n")[:21]) + b"\r\n"
    _, r, p = preview(warm, small)
    apply(warm, warm_hr, r, p)
    wipe([warm])

    sync_org, plain_org = org("sync"), org("plain")
    by = hr_of(sync_org)
    out = {}
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    # 2. first import; max RSS right after it
    rss_before = _rss_kib()
    out["preview"], got_rows, plan = preview(sync_org, first)
    out["apply"], applied = apply(sync_org, by, got_rows, plan)
    out["maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out["rss_before_kib"] = rss_before
    if profiler is not None:
        profiler.disable()
    assert len(applied.created) == rows and Werknemer.objects.filter(organisation=sync_org).count()
    del got_rows, plan, applied

    # 3. plain insert of the same rows
    t = time.perf_counter()
    with transaction.atomic():
        Werknemer.objects.bulk_create(
            [
                Werknemer(
                    organisation=plain_org,
                    **{
                        k: (date.fromisoformat(v) if k in hr_sync.DATE_FIELDS and v else v)
                        for k, v in person.items()
                    },
                )
                for person in plain_rows
            ]
        )
    out["plain"] = time.perf_counter() - t

    # 4. month on month, then the same file again
    today = timezone.localdate()
    end_on = (today.replace(day=1) + timedelta(days=62)).replace(day=1) - timedelta(days=1)
    out["month_preview"], got_rows, plan = preview(sync_org, second)
    out["month_counts"] = [len(plan.created), len(plan.changed), len(plan.missing), plan.unchanged]
    out["month_apply"], _ = apply(sync_org, by, got_rows, plan, end_on)
    out["noop_preview"], got_rows, plan = preview(sync_org, second)
    out["noop_counts"] = [len(plan.created), len(plan.changed), len(plan.missing), plan.unchanged]
    out["noop_apply"], _ = apply(sync_org, by, got_rows, plan, end_on)

    wipe([sync_org, plain_org])
    if profiler is not None:
        import pstats

        for key in ("cumulative", "tottime"):
            stats = pstats.Stats(profiler, stream=sys.stderr).strip_dirs().sort_stats(key)
            stats.print_stats(30)
    print(json.dumps(out), flush=True)


def _run_worker(rows: int, repeat: int, folder: Path, profile: bool = False) -> dict:
    args = [sys.executable, "-m", "bench.measure_hr_sync", "--worker", str(repeat)]
    args += ["--folder", str(folder)]
    args += ["--rows", str(rows)] + (["--profile"] if profile else [])
    result = subprocess.run(  # noqa: S603  # nosec B603 — our own module, our own arguments
        args,
        cwd=common.ROOT,
        env=common.owner_test_env(DB),
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- the figures -------------------------------------------------------------------------------


def _median(samples, key):
    return round(statistics.median(s[key] for s in samples), 2)


def figures(samples: list[dict], rows: int) -> list:
    def ratio(name, num, den, bar, note):
        return Ratio(
            name=name,
            samples=[sum(s[k] for k in num) / s[den] for s in samples],
            bar=bar,
            detail={
                "numerator_s": [round(sum(s[k] for k in num), 2) for s in samples],
                "denominator_s": [round(s[den], 2) for s in samples],
            },
            note=note,
        )

    k = f"{rows // 1000}k"
    results = [
        ratio(
            f"sync {k} eerste import: preview / plain insert",
            ["preview"],
            "plain",
            BAR_PREVIEW,
            "plan_file (read, plan, check each row) vs bulk_create",
        ),
        ratio(
            f"sync {k} eerste import: apply / plain insert",
            ["apply"],
            "plain",
            BAR_APPLY,
            "apply_sync (lock, plan again, bulk_create, audit) vs bulk_create",
        ),
        ratio(
            f"sync {k} eerste import: preview+apply / plain",
            ["preview", "apply"],
            "plain",
            BAR_TOTAL,
            "the upload and the apply POST together vs bulk_create",
        ),
        ratio(
            f"sync {k} zelfde bestand opnieuw: apply / preview",
            ["noop_apply"],
            "noop_preview",
            BAR_NOOP,
            "nothing to change: plans under lock, writes the summary",
        ),
    ]
    for name, key in (
        (f"sync {k} eerste import: preview", "preview"),
        (f"sync {k} eerste import: apply", "apply"),
        (f"sync {k} plain insert (bulk_create)", "plain"),
        (f"sync {k} maand op maand: preview", "month_preview"),
        (f"sync {k} maand op maand: apply", "month_apply"),
        (f"sync {k} zelfde bestand opnieuw: preview", "noop_preview"),
        (f"sync {k} zelfde bestand opnieuw: apply", "noop_apply"),
    ):
        results.append(Figure(name=name, samples=[round(s[key], 2) for s in samples], unit="s"))
    results.append(
        Figure(
            name=f"sync {k} preview+apply: max RSS van het proces",
            samples=[round(s["maxrss_kib"] / 1024, 1) for s in samples],
            unit="MiB",
            detail={
                "rss_before_preview_mib": [round(s["rss_before_kib"] / 1024, 1) for s in samples],
                "month_counts_new_changed_missing_unchanged": samples[0]["month_counts"],
                "noop_counts_new_changed_missing_unchanged": samples[0]["noop_counts"],
            },
            note="ru_maxrss after the first import; RSS before the preview in detail",
        )
    )
    return results


def measure(repeats: int = 3, rows: int = ROWS, profile: bool = False) -> list:
    common.log(f"{DB}: drop, create, migrate", prefix="hr_sync")
    common.fresh_owner_database(DB)
    folder = Path(tempfile.mkdtemp(prefix="vk_syncbench-"))
    try:
        common.log(f"{rows} synthetic employees written to {folder}", prefix="hr_sync")
        files(rows, folder)
        samples = []
        for i in range(repeats):
            got = _run_worker(rows, i + 1, folder, profile=profile and i == 0)
            samples.append(got)
            common.log(
                f"repeat {i + 1}: preview {got['preview']:.1f} s, apply {got['apply']:.1f} s, "
                f"plain {got['plain']:.2f} s; month {got['month_preview']:.1f} + "
                f"{got['month_apply']:.1f} s {got['month_counts']}; same file "
                f"{got['noop_preview']:.1f} + {got['noop_apply']:.1f} s; "
                f"max RSS {got['maxrss_kib'] / 1024:.0f} MiB "
                f"(before {got['rss_before_kib'] / 1024:.0f})",
                prefix="hr_sync",
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        common.drop_database(DB, roles=())
    return figures(samples, rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--json")
    parser.add_argument("--profile", action="store_true", help="cProfile the first repeat")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        _worker(args.rows, args.worker, args.profile, Path(args.folder))
        return 0
    results = measure(args.repeats, args.rows, args.profile)
    from bench.run import table

    print(table(results))
    if args.json:
        Path(args.json).write_text(to_json(results) + "\n")
    return 0 if all(r.passed is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
