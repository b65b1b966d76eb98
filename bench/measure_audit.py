"""The audit log's write path under concurrency (issue 20, item 3): audited inserts per second
with 1, 4 and 16 concurrent writer processes against plain INSERTs of the same rows into an
unaudited table of the same shape, measured alternately in the same run.

    .venv/bin/python -m bench.measure_audit [--repeats N] [--seconds S] [--json PATH]

Its own database, `vk_bench_audit` (dropped and re-created, migrated as the owner), never the
generated vk_bench/vk_bench_small. Each sample, for each writer count n:

- *audited*: n processes, each with Django set up against vk_bench_audit, write one entry per
  "page view" exactly as a list page does (`privacy.audit.record_reads` of 25 rows, each its own
  subject) in its own transaction, as fast as they can for S seconds; one more process runs the
  chainer (`privacy.audit.chain_pending`) every second, as the beat task does, so its cost is
  paid in the same minutes;
- *plain*: n processes INSERT the same row (same columns, same values) into
  `bench_plain_auditevent` — `CREATE TABLE ... (LIKE privacy_auditevent INCLUDING ALL)`: the same
  indexes, no trigger, no chain — each in its own transaction.

The two variants alternate (which goes first flips every sample). Ratio = audited ÷ plain rows
per second; the bar at 16 writers is >= 0.5x (before issue 20 every audited insert queued
behind one advisory lock). The table of chained rows is verified at the end (`verify`).

Importable without Django; the worker processes set it up.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from psycopg import sql

from bench import common
from bench.ratios import Ratio, to_json

DB = "vk_bench_audit"  # this module's own: dropped and re-created at every run
WRITERS = (1, 4, 16)
BAR_16 = 0.5
ROWS_PER_VIEW = 25
PLAIN_TABLE = "bench_plain_auditevent"


def prepare() -> None:
    """Drop and create vk_bench_audit, migrate it, and add the unaudited twin table."""
    common.log(f"{DB}: drop, create, migrate")
    common.fresh_owner_database(DB)
    common.pg(
        sql.SQL("CREATE TABLE {} (LIKE privacy_auditevent INCLUDING ALL)").format(
            sql.Identifier(PLAIN_TABLE)
        ),
        db=DB,
    )


# --- the worker processes ------------------------------------------------------------------------


def _worker(kind: str, seconds: float) -> None:
    """Print "ready", wait for "go" on stdin, write for `seconds`, print the rows written."""
    import django

    django.setup()
    import json
    from types import SimpleNamespace

    from django.db import connection, transaction

    from privacy import audit

    actor = SimpleNamespace(pseudonym=uuid.uuid4(), role="hr")
    rows = [SimpleNamespace(pk=100_000 + i, subject=uuid.uuid4()) for i in range(ROWS_PER_VIEW)]
    plain_sql = (
        "INSERT INTO bench_plain_auditevent (occurred_at, action, subject, subjects, actor, "
        "actor_role, on_behalf_of, ip_address, object_type, object_ids, detail) "
        "VALUES (now(), 'read', NULL, %s::uuid[], %s, 'hr', NULL, '10.0.0.1', "
        "'verzuim.ziekmelding', %s::jsonb, 'verzuimoverzicht')"
    )
    plain_params = [
        [r.subject for r in rows],
        actor.pseudonym,
        json.dumps([str(r.pk) for r in rows]),
    ]
    connection.ensure_connection()
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.monotonic()
    end = started + seconds
    written = 0
    if kind == "chainer":
        while time.monotonic() < end:
            written += audit.chain_pending()
            time.sleep(1.0)
    else:
        while time.monotonic() < end:
            with transaction.atomic():
                if kind == "audited":
                    audit.record_reads(
                        rows,
                        object_type="verzuim.ziekmelding",
                        subject_of=lambda row: row.subject,
                        detail="verzuimoverzicht",
                        actor=actor,
                    )
                else:
                    with connection.cursor() as cursor:
                        cursor.execute(plain_sql, plain_params)
            written += 1
    # Each process's own rate: its rows over its own writing time (start-up and exit excluded).
    print(written, time.monotonic() - started, flush=True)


def _run(kind: str, writers: int, seconds: float) -> tuple[float, int]:
    """`writers` processes of `kind` (plus the chainer for "audited"), started together; answer
    rows per second and the rows the chainer chained."""
    kinds = [kind] * writers + (["chainer"] if kind == "audited" else [])
    procs = [
        subprocess.Popen(  # noqa: S603  # nosec B603 — our own module, our own arguments
            [sys.executable, "-m", "bench.measure_audit", "--worker", k, "--seconds", str(seconds)],
            cwd=common.ROOT,
            env=common.owner_test_env(DB),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for k in kinds
    ]
    for p in procs:
        if p.stdout.readline().strip() != "ready":
            raise RuntimeError("worker did not start")
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    reports = [p.stdout.readline().split() for p in procs]
    for p in procs:
        p.wait()
    rate = sum(int(n) / float(t) for n, t in reports[:writers])
    chained = int(reports[-1][0]) if kind == "audited" else 0
    return rate, chained


def _verify() -> str:
    result = subprocess.run(  # noqa: S603  # nosec B603 — our manage.py, fixed arguments
        [sys.executable, "manage.py", "verify_audit_log"],
        cwd=common.ROOT,
        env=common.owner_test_env(DB),
        capture_output=True,
        text=True,
    )
    lines = (result.stdout + result.stderr).splitlines()
    found = [line for line in lines if line.startswith("Auditlog")]
    return found[-1] if found else f"exit {result.returncode}"


def measure(repeats: int = 3, seconds: float = 4.0) -> list[Ratio]:
    prepare()
    samples: dict[int, list[float]] = {n: [] for n in WRITERS}
    rates: dict[int, dict[str, list[float]]] = {n: {"audited": [], "plain": []} for n in WRITERS}
    chained: dict[int, list[int]] = {n: [] for n in WRITERS}
    for i in range(repeats):
        for n in WRITERS:
            order = ("audited", "plain") if (i + n) % 2 == 0 else ("plain", "audited")
            got = {}
            for kind in order:
                got[kind], chained_now = _run(kind, n, seconds)
                if kind == "audited":
                    chained[n].append(chained_now)
            rates[n]["audited"].append(got["audited"])
            rates[n]["plain"].append(got["plain"])
            samples[n].append(got["audited"] / got["plain"])
            common.log(
                f"sample {i + 1}, {n} writer(s): audited {got['audited']:.0f}/s, "
                f"plain {got['plain']:.0f}/s, ratio {samples[n][-1]:.2f}",
                prefix="audit",
            )
    verified = _verify()
    results = []
    for n in WRITERS:
        results.append(
            Ratio(
                name=f"auditlog inserts/s, {n} schrijver(s): audited / plain",
                samples=samples[n],
                bar=BAR_16 if n == 16 else 0.0,
                op=">=",
                detail={
                    "audited_per_s": [round(r) for r in rates[n]["audited"]],
                    "plain_per_s": [round(r) for r in rates[n]["plain"]],
                    "audited_median": round(statistics.median(rates[n]["audited"])),
                    "plain_median": round(statistics.median(rates[n]["plain"])),
                    "chained_during_the_run": chained[n],
                    "verify_audit_log": verified,
                },
                note=(
                    f"one transaction per page view of {ROWS_PER_VIEW} rows (record_reads), "
                    f"{seconds:.0f} s per variant, the chainer running every second"
                ),
            )
        )
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--json")
    parser.add_argument("--worker", choices=["audited", "plain", "chainer"])
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker, args.seconds)
        return 0
    results = measure(args.repeats, args.seconds)
    from bench.run import table

    print(table(results))
    if args.json:
        Path(args.json).write_text(to_json(results) + "\n")
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
