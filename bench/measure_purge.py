"""Issue 8, item 2: the purge ratio and the purge's peak memory (bench/README.md, "Purge").

Per repeat, two copies of the synthetic database (`vk_bench`, bench/generate.py):

- copy A: the real task, `retention.tasks.purge_expired.apply()` — the Celery task itself, run
  in-process (eager) in a fresh `python` subprocess with the production environment of
  `bench.common.env_from_manifest` pointed at the copy: the app and medisch login roles of
  vk_bench (their grants come with the template), DB_SET_ROLE=false. Not through a worker: a
  worker adds broker latency and its pool, not purge work, and the subprocess's own peak RSS is
  then the purge's (resource.getrusage). Timed around `apply()` only (not interpreter start-up
  or `django.setup()`).
- copy B: the same rows removed by raw SQL: `DELETE ... WHERE id = ANY(%s)` for the roots A
  removed (the pk sets of the root tables of A and B differ by exactly those) and their members
  (herstelmeldingen, the case's deadline rows when no period of the case remains, the
  employee's noodinformatie and doelgroep records), in one transaction, timed BEGIN..COMMIT.

Afterwards the row counts of every table of A and B must be equal (A has one PurgeRun more).
Ratio = task seconds / raw seconds, bar <= 2. A Figure gives the task process's peak RSS, and
the same on a copy of `vk_bench_small` (1 % of the expired records) shows it does not grow with
the number of records.

    .venv/bin/python -m bench.measure_purge [--repeats N] [--json PATH]

Copies: `vk_bench_purge_tpl` (made once from vk_bench — CREATE DATABASE ... TEMPLATE needs a
moment without other connections to vk_bench, so that is retried; the per-repeat copies then
never wait for other users of vk_bench), `vk_bench_purge_a`/`_b`, all dropped at the end.
Importable without Django.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import common, purge_sql
from bench.purge_children import CHILD, EXPLAIN_CHILD
from bench.ratios import Figure, Ratio, to_json

SOURCE = common.DEFAULT_DB
SMALL_SOURCE = common.DEFAULT_SMALL_DB
TEMPLATE = "vk_bench_purge_tpl"
COPY_A, COPY_B, COPY_C = "vk_bench_purge_a", "vk_bench_purge_b", "vk_bench_purge_c"
SMALL_COPY = "vk_bench_purge_small"
EXPLAIN_COPY = "vk_bench_purge_explain"
OWN_DBS = (TEMPLATE, COPY_A, COPY_B, COPY_C, SMALL_COPY, EXPLAIN_COPY)
BAR = 2.0
RUN_TABLE = "retention_purgerun"  # the task writes one row; the raw side none


# --- the two sides -------------------------------------------------------------------------------


def _run_child(manifest: dict, db: str, files_root: str, script: str, **extra: str):
    """`script` in a fresh interpreter as the app roles of the manifest, pointed at `db`; the
    JSON of its last line of output."""
    env = common.env_from_manifest(
        {**manifest, "db": db},
        MEDICAL_FILES_ROOT=files_root,
        REDIS_URL="redis://127.0.0.1:6379/7",
        **extra,
    )
    done = subprocess.run(  # noqa: S603  # nosec B603 — our interpreter, our fixed script
        [sys.executable, "-c", script],
        cwd=common.ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_task(manifest: dict, db: str, files_root: str, *, what_if: bool = False) -> dict:
    """The real task on `db` in a fresh subprocess, as the app roles of the manifest."""
    extra = {"VK_BENCH_WHAT_IF_COMPUTE_MANY": "1"} if what_if else {}
    return _run_child(manifest, db, files_root, CHILD, **extra)


def _fold(match) -> str:
    """A literal array of a chunk's ids in a plan, shortened to its length."""
    return f"'{{…{match.group(0).count(',') + 1} waarden…}}'"


def explain(path: Path) -> None:
    """--explain: the plans of every statement shape of the purge on a copy of vk_bench."""
    manifest = common.load_manifest(SOURCE)
    with tempfile.TemporaryDirectory(prefix="vk-purge-files-") as files_root:
        try:
            purge_sql.copy(SOURCE, EXPLAIN_COPY)
            shapes = _run_child(manifest, EXPLAIN_COPY, files_root, EXPLAIN_CHILD)
        finally:
            purge_sql.drop(EXPLAIN_COPY)
    lines = []
    for entry in shapes:
        plan = [re.sub(r"'\{(?:[^{}']*,){8,}[^{}']*\}'", _fold, line) for line in entry["plan"]]
        lines += [f"-- {entry['alias']}, ran {entry['count']}x", entry["sql"], *plan, ""]
    path.write_text("\n".join(lines))
    common.log(f"plannen in {path}", "purge")


def what_if_run(manifest: dict, files_root: str) -> dict:
    """The task with the what-if compute_many on a third copy (see CHILD)."""
    purge_sql.copy(TEMPLATE, COPY_C)
    try:
        task = run_task(manifest, COPY_C, files_root, what_if=True)
        common.log(f"what-if compute_many: {task['seconds']:.1f} s", "purge")
        return task
    finally:
        purge_sql.drop(COPY_C)


def one_repeat(manifest: dict, files_root: str, index: int, what_if: bool = False) -> dict:
    common.log(f"herhaling {index}: kopieën {COPY_A} en {COPY_B}", "purge")
    purge_sql.copy(TEMPLATE, COPY_A)
    purge_sql.copy(TEMPLATE, COPY_B)
    try:
        task = run_task(manifest, COPY_A, files_root)
        common.log(
            f"taak: {task['seconds']:.1f} s, {sum(task['counts'].values())} records, "
            f"{task['queries']} queries, piek {task['peak_rss_mb']:.0f} MB",
            "purge",
        )
        gone = {}
        for root in purge_sql.ROOTS:
            gone[root] = sorted(purge_sql.pks(COPY_B, root) - purge_sql.pks(COPY_A, root))
        for key, table in (
            ("verzuim.ziekmelding", "verzuim_ziekmelding"),
            ("verzuim.werknemer", "verzuim_werknemer"),
        ):
            assert len(gone[table]) == task["counts"].get(key, 0), (key, len(gone[table]))
        assert sum(task["counts"].values()) == sum(len(v) for v in gone.values()), task["counts"]
        raw = purge_sql.raw_delete(COPY_B, gone)
        common.log(f"raw SQL: {raw:.1f} s", "purge")
        extra = what_if_run(manifest, files_root) if what_if else None
        counts_a, counts_b = purge_sql.table_counts(COPY_A), purge_sql.table_counts(COPY_B)
        counts_b[RUN_TABLE] += 1  # the PurgeRun the task wrote
        differ = {t: (counts_a[t], counts_b[t]) for t in counts_a if counts_a[t] != counts_b[t]}
        assert not differ, f"tabellen van A en B verschillen: {differ}"
        return {
            "task_seconds": task["seconds"],
            "raw_seconds": raw,
            "records": sum(task["counts"].values()),
            "counts": task["counts"],
            "queries": task["queries"],
            "rss_before_mb": task["rss_before_mb"],
            "peak_rss_mb": task["peak_rss_mb"],
            "rows": counts_a,
            "what_if_seconds": extra["seconds"] if extra else None,
            "what_if_queries": extra["queries"] if extra else None,
        }
    finally:
        purge_sql.drop(COPY_A)
        purge_sql.drop(COPY_B)


def measure(repeats: int = 3, what_if: bool = False) -> list[Ratio | Figure]:
    manifest = common.load_manifest(SOURCE)
    small_manifest = common.load_manifest(SMALL_SOURCE)
    results = []
    with tempfile.TemporaryDirectory(prefix="vk-purge-files-") as files_root:
        try:
            common.log(f"sjabloon {TEMPLATE} uit {SOURCE}", "purge")
            purge_sql.copy(SOURCE, TEMPLATE)
            before = purge_sql.table_counts(TEMPLATE)
            for i in range(1, repeats + 1):
                results.append(one_repeat(manifest, files_root, i, what_if))
            purge_sql.drop(TEMPLATE)
            common.log(f"kleine kopie {SMALL_COPY} uit {SMALL_SOURCE}", "purge")
            purge_sql.copy(SMALL_SOURCE, SMALL_COPY)
            small = run_task(small_manifest, SMALL_COPY, files_root)
        finally:
            for name in OWN_DBS:
                purge_sql.drop(name)

    def med(key):
        return statistics.median(r[key] for r in results)

    last = results[-1]
    changed = {
        table: {"before": before[table], "after": last["rows"][table]}
        for table in before
        if before[table] != last["rows"][table]
    }
    ratio = Ratio(
        name=f"purge van ~{last['records']:,} verlopen records: Celery-taak / raw SQL DELETE",
        samples=[round(r["task_seconds"] / r["raw_seconds"], 2) for r in results],
        bar=BAR,
        detail={
            "task_seconds_median": round(med("task_seconds"), 2),
            "raw_seconds_median": round(med("raw_seconds"), 2),
            "task_seconds": [round(r["task_seconds"], 2) for r in results],
            "raw_seconds": [round(r["raw_seconds"], 2) for r in results],
            "records": last["records"],
            "records_per_category": last["counts"],
            "queries_task": [r["queries"] for r in results],
            "rows_per_table_changed (template -> after, A == B)": changed,
        },
        note="taak: retention.tasks.purge_expired.apply() (in-process, eager) in een subprocess "
        "als de app-rollen van vk_bench op een kopie; raw: DELETE ... = ANY(ids) van dezelfde "
        "roots en leden in één transactie op een tweede kopie; rijen per tabel gelijk",
    )
    memory = Figure(
        name="piekgeheugen (max RSS) van het proces dat de purge draait",
        samples=[round(r["peak_rss_mb"], 1) for r in results],
        unit="MB",
        detail={
            "records": last["records"],
            "rss_before_task_mb": round(med("rss_before_mb"), 1),
            "small_copy_records": sum(small["counts"].values()),
            "small_copy_peak_rss_mb": round(small["peak_rss_mb"], 1),
            "small_copy_rss_before_task_mb": round(small["rss_before_mb"], 1),
        },
        note="ru_maxrss van het subprocess; ter vergelijking dezelfde taak op een kopie van "
        "vk_bench_small (1 % van de records)",
    )
    out = [ratio, memory]
    if what_if:
        out.append(
            Figure(
                name="what-if (niet het productiepad): taak met een set-based compute_many voor "
                "verzuim.ziekmelding / raw SQL DELETE",
                samples=[round(r["what_if_seconds"] / r["raw_seconds"], 2) for r in results],
                unit="x",
                detail={
                    "task_seconds": [round(r["what_if_seconds"], 2) for r in results],
                    "queries_task": [r["what_if_queries"] for r in results],
                },
                note="--what-if: derde kopie per herhaling; de hook hoort in verzuim/retention.py",
            )
        )
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the results as JSON here too")
    parser.add_argument(
        "--what-if",
        action="store_true",
        help="also time the task with a set-based compute_many for verzuim.ziekmelding "
        "(a third copy per repeat; not the production path)",
    )
    parser.add_argument(
        "--explain",
        type=Path,
        metavar="PATH",
        help="only write EXPLAIN (ANALYZE, BUFFERS) of every statement shape of the purge here",
    )
    args = parser.parse_args(argv)
    if args.explain:
        explain(args.explain)
        return 0
    results = measure(args.repeats, args.what_if)
    text = to_json(results)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    for r in results:
        verdict = {True: "PASS", False: "FAIL", None: "—"}[r.passed]
        print(f"{verdict}  {r.name}: median {r.median} {r.unit} (samples {r.samples})")
    return 0 if all(r.passed is not False for r in results) else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())
