"""`python bench/run.py` — every figure of the performance benchmark in one command (issue 8).

Each figure is a ratio of two variants measured side by side in the same minutes (a shared
2-core machine drifts; two variants drift together), repeated, reported as the median, with
its bar and PASS/FAIL. It prints one table and writes bench/results.json.

    .venv/bin/python bench/generate.py && .venv/bin/python bench/generate.py --small   # once
    .venv/bin/python bench/run.py [--repeats 3] [--only purge,pages,server] [--skip-make-run]

The measurements live in their own modules, each runnable alone (`python -m bench.measure_x`):
- bench/measure_purge.py  — the Celery purge of ~100k expired records vs. a raw SQL DELETE of the
  same rows on copies of vk_bench; peak memory of the purge;
- bench/measure_pages.py  — the case list at 100k vs. 1k employees (query counts), a case page
  with the audit write vs. stubbed, a dossier with 50 encrypted consults vs. plaintext;
- bench/measure_server.py — case page vs. bare view throughput under wrk on one gunicorn, peak
  web-worker memory, `make run` on a fresh clone, cold and warm;
- bench/measure_audit.py  — audited inserts/s against plain INSERTs of the same rows with 1, 4 and
  16 concurrent writer processes, on its own database vk_bench_audit (issue 20, item 3);
- bench/measure_access_log.py — the employee's access-log page at 10M audit rows vs. 1M, on its
  own two databases (issue 20, item 3; ~10 min, most of it filling 10M rows);
- bench/measure_hr_sync.py — the staff-list sync of a 20,000-row file (preview, apply, month on
  month, the same file again) vs. a plain bulk_create of the same rows, and its peak memory, on
  its own database vk_syncbench (issue 23).
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import time
import traceback
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# After the path setup (this file runs as a script).
from bench import common  # noqa: E402
from bench.ratios import Figure, Ratio  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
MODULES = {
    "purge": "bench.measure_purge",
    "pages": "bench.measure_pages",
    "server": "bench.measure_server",
    "audit": "bench.measure_audit",
    "access": "bench.measure_access_log",
    "hr_sync": "bench.measure_hr_sync",
}
# The modules that measure the generated vk_bench/vk_bench_small (migrated first); "audit",
# "access" and "hr_sync" make their own databases.
ON_GENERATED = {"purge", "pages", "server"}


def _fmt(value: float, unit: str) -> str:
    if value != value:  # NaN: nothing measured
        return "—"
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:.1f} {unit}"


def _mark(passed) -> str:
    return {True: "PASS", False: "FAIL", None: "—"}[passed]


def table(results) -> str:
    width = max([len(r.name) for r in results] + [20])
    lines = [
        f"{'figure':<{width}}  {'median':>10}  {'bar':>10}  {'mark':<4}  samples",
        "-" * (width + 50),
    ]
    for r in results:
        bar = "" if r.bar is None else f"{r.op} {_fmt(r.bar, r.unit)}"
        samples = ", ".join(_fmt(s, r.unit) for s in r.samples)
        if "queries_100k" in r.detail:  # the list pages: the query count must stay constant
            samples += (
                f"  [queries 100k/1k: {r.detail['queries_100k'][0]}/{r.detail['queries_1k'][0]}"
                f", bar <= 10]"
            )
        lines.append(
            f"{r.name:<{width}}  {_fmt(r.median, r.unit):>10}  {bar:>10}  "
            f"{_mark(r.passed):<4}  {samples}"
        )
    return "\n".join(lines)


def bring_up_to_date() -> None:
    """The generated databases get the schema of the code being measured (new indexes
    included): `migrate` as the owner, as a deployment would."""
    for db in (common.DEFAULT_DB, common.DEFAULT_SMALL_DB):
        if not common.manifest_path(db).exists():
            raise SystemExit(
                f"{db} is missing: run bench/generate.py{' --small' * (db != common.DEFAULT_DB)}"
            )
        common.migrate(common.env_from_manifest(common.load_manifest(db), owner=True))


def run(repeats: int, only: list[str], skip_make_run: bool) -> list[Ratio | Figure]:
    if ON_GENERATED.intersection(only):
        bring_up_to_date()
    results: list[Ratio | Figure] = []
    for key in only:
        started = time.monotonic()
        print(f"[bench] {key}: {MODULES[key]} (repeats={repeats})", flush=True)
        try:
            module = importlib.import_module(MODULES[key])
            if key == "server":
                got = module.measure(repeats, make_run=not skip_make_run)
            else:
                got = module.measure(repeats)
        except Exception:  # noqa: BLE001 - one failing module must not hide the others
            traceback.print_exc()
            got = [Figure(name=f"{key}: measurement failed", samples=[], unit="", bar=0.0)]
        results.extend(got)
        print(f"[bench] {key}: {time.monotonic() - started:.0f} s", flush=True)
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", default=",".join(MODULES), help="comma-separated subset")
    parser.add_argument("--skip-make-run", action="store_true", help="skip the fresh-clone timing")
    parser.add_argument("--results", default=str(RESULTS))
    parser.add_argument(
        "--table", action="store_true", help="print the table of the last results file and stop"
    )
    args = parser.parse_args(argv)
    if args.table:
        saved = json.loads(Path(args.results).read_text())
        rows = []
        for item in saved["results"]:
            kind = Ratio if item["unit"] == "x" else Figure
            fields = {k: item[k] for k in kind.__dataclass_fields__ if k in item}
            rows.append(kind(**fields))
        print(f"bench/run.py {saved['started'][:16]} repeats={saved['repeats']}")
        print(table(rows))
        return 0
    only = [k.strip() for k in args.only.split(",") if k.strip()]
    unknown = [k for k in only if k not in MODULES]
    if unknown:
        parser.error(f"unknown: {', '.join(unknown)} (choose from {', '.join(MODULES)})")
    started = datetime.now().astimezone()
    results = run(args.repeats, only, args.skip_make_run)
    print()
    print(f"bench/run.py {started:%Y-%m-%d %H:%M} repeats={args.repeats} host={platform.node()}")
    print(table(results))
    Path(args.results).write_text(
        json.dumps(
            {
                "started": started.isoformat(),
                "repeats": args.repeats,
                "results": [r.as_dict() for r in results],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    print(f"\nresults: {args.results}")
    return 0 if all(r.passed is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
