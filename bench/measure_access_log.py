"""The employee's access log ("who read my data", AV-6 over the SE-7 audit log) at 10M audit rows
against 1M (issue 20, item 3): the same person's page, the same rows about them, a table ten
times bigger. Bar: <= 1.2x.

    .venv/bin/python -m bench.measure_access_log [--repeats 5] [--small 1000000] [--big 10000000]

Its own two databases, `vk_bench_access_small` and `vk_bench_access_big` (dropped and made again
at every run; never vk_bench, vk_bench_small or vk_bench_audit):

1. the small one is migrated as the owner and filled in the database itself (`generate_series`):
   three of four rows a single-subject entry, one of four a list page view of five people
   (`subjects` parallel to `object_ids`, as `record_reads` writes them), a third of them medical,
   over two years, about 100,000 people and 500 actors; then the person the page is for (a
   pseudonym outside that pool): 150 single entries and 150 list views they appeared in, by 20
   actors over 300 days;
2. the big one is a copy of the small one (`CREATE DATABASE ... TEMPLATE`) with the other 9M
   generic rows added, so both hold the very same rows about that person;
3. `VACUUM ANALYZE` on both.

Then one worker process per database (Django set up against it) answers "go" with the median
time of 10 calls of `privacy.access_log.access_log_page([person], viewer=None)` (page 1, its
groups and the actors' names resolved). The two alternate, which goes first flips per repeat;
ratio = big ÷ small. Each worker prints the plan of the person's rows (`events_about(...)
.explain(analyze=True)`) once at the end.

Importable without Django; the worker processes set it up.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from psycopg import sql

from bench import common
from bench.ratios import Ratio, to_json

SMALL_DB = "vk_bench_access_small"
BIG_DB = "vk_bench_access_big"
BAR = 1.2
CALLS = 10
CHUNK = 1_000_000  # rows per INSERT ... SELECT
PERSON = "7e3a5c1e-0000-4000-8000-00000000a001"  # outside the generated pool (md5-derived)

_GENERIC = """
INSERT INTO privacy_auditevent (occurred_at, action, subject, subjects, actor, actor_role,
                                on_behalf_of, ip_address, object_type, object_ids, detail)
SELECT now() - ((g * 7919) %% 1051200) * interval '1 minute',
       'read',
       CASE WHEN g %% 4 <> 0 THEN md5('p' || (g %% 100000))::uuid END,
       CASE WHEN g %% 4 = 0
            THEN ARRAY[md5('p' || (g %% 100000))::uuid, md5('p' || ((g + 1) %% 100000))::uuid,
                       md5('p' || ((g + 2) %% 100000))::uuid, md5('p' || ((g + 3) %% 100000))::uuid,
                       md5('p' || ((g + 4) %% 100000))::uuid]
            ELSE '{}'::uuid[] END,
       md5('a' || (g %% 500))::uuid,
       'hr', NULL, '10.0.0.1',
       CASE WHEN g %% 3 = 0 THEN 'medisch.consult' ELSE 'verzuim.ziekmelding' END,
       CASE WHEN g %% 4 = 0 THEN '["1", "2", "3", "4", "5"]'::jsonb ELSE '["1"]'::jsonb END,
       'ingezien'
  FROM generate_series(%s::bigint, %s::bigint) AS g
"""

_PERSON = """
INSERT INTO privacy_auditevent (occurred_at, action, subject, subjects, actor, actor_role,
                                on_behalf_of, ip_address, object_type, object_ids, detail)
SELECT now() - (g %% 300) * interval '1 day' - (g %% 7) * interval '1 hour',
       'read',
       CASE WHEN g <= 150 THEN %(person)s::uuid END,
       CASE WHEN g > 150
            THEN ARRAY[md5('q' || g)::uuid, %(person)s::uuid, md5('r' || g)::uuid]
            ELSE '{}'::uuid[] END,
       md5('a' || (g %% 20))::uuid,
       'bedrijfsarts', NULL, '10.0.0.2',
       'medisch.consult',
       CASE WHEN g > 150 THEN '["7", "8", "9"]'::jsonb ELSE '["8"]'::jsonb END,
       CASE WHEN g > 150 THEN 'dossieroverzicht' ELSE 'consult ingezien' END
  FROM generate_series(1, 300) AS g
"""


def _fill(db: str, first: int, last: int) -> None:
    for start in range(first, last + 1, CHUNK):
        end = min(start + CHUNK - 1, last)
        common.pg(_GENERIC, [start, end], db=db)
        common.log(f"{db}: rows {start:,}..{end:,}", prefix="access")


def prepare(small: int, big: int) -> None:
    common.pg(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BIG_DB)))
    common.log(f"{SMALL_DB}: migrate", prefix="access")
    common.fresh_owner_database(SMALL_DB)
    # The generic rows reach two years back: their months first, or they all land in the
    # default partition (privacy/partitions.py) and the figure measures something else.
    common.pg(
        "SELECT privacy_audit_ensure_partitions((now() - interval '25 months')::date, now()::date)",
        db=SMALL_DB,
    )
    _fill(SMALL_DB, 1, small)
    common.pg(_PERSON, {"person": PERSON}, db=SMALL_DB)
    common.pg("VACUUM ANALYZE privacy_auditevent", db=SMALL_DB)
    common.pg(
        sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(BIG_DB), sql.Identifier(SMALL_DB)
        )
    )
    _fill(BIG_DB, small + 1, big)
    common.pg("VACUUM ANALYZE privacy_auditevent", db=BIG_DB)


def _worker() -> None:
    """Print "ready"; per "go" line the median ms of CALLS page builds; "plan" the plan."""
    import django

    django.setup()
    from privacy.access_log import access_log_page, events_about

    def once() -> float:
        started = time.perf_counter()
        page = access_log_page([PERSON], viewer=None)
        assert page.object_list, "no rows about the person"
        return (time.perf_counter() - started) * 1000

    once()  # connection, caches
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "plan":
            plan = events_about([PERSON], viewer=None).explain(analyze=True)
            print(json.dumps(plan), flush=True)
            return
        print(statistics.median(once() for _ in range(CALLS)), flush=True)


class _Worker:
    def __init__(self, db: str):
        self.db = db
        self.process = subprocess.Popen(  # noqa: S603  # nosec B603 — this module, fixed arguments
            [sys.executable, "-m", "bench.measure_access_log", "--worker"],
            cwd=common.ROOT,
            env=common.owner_test_env(db),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"

    def ask(self, line: str) -> str:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def close(self) -> str:
        plan = json.loads(self.ask("plan"))
        self.process.wait(timeout=60)
        return plan


def _rows(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n:,}"


def measure(repeats: int = 5, small: int = 1_000_000, big: int = 10_000_000) -> list[Ratio]:
    prepare(small, big)
    workers = {"small": _Worker(SMALL_DB), "big": _Worker(BIG_DB)}
    times: dict[str, list[float]] = {"small": [], "big": []}
    samples = []
    for i in range(repeats):
        order = ("small", "big") if i % 2 == 0 else ("big", "small")
        for key in order:
            times[key].append(float(workers[key].ask("go")))
        samples.append(times["big"][-1] / times["small"][-1])
        common.log(
            f"repeat {i + 1}: small {times['small'][-1]:.2f} ms, big {times['big'][-1]:.2f} ms, "
            f"ratio {samples[-1]:.2f}",
            prefix="access",
        )
    plans = {key: worker.close() for key, worker in workers.items()}
    return [
        Ratio(
            name=f"inzagelog werknemer: {_rows(big)} / {_rows(small)} auditregels",
            samples=samples,
            bar=BAR,
            op="<=",
            detail={
                "ms_small": [round(t, 2) for t in times["small"]],
                "ms_big": [round(t, 2) for t in times["big"]],
                "rows_about_the_person": 300,
                "plan_big": plans["big"],
            },
            note=f"access_log_page, page 1, median of {CALLS} calls per sample",
        )
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--small", type=int, default=1_000_000)
    parser.add_argument("--big", type=int, default=10_000_000)
    parser.add_argument("--json")
    parser.add_argument("--worker", action="store_true")
    args = parser.parse_args(argv)
    if args.worker:
        _worker()
        return 0
    results = measure(args.repeats, args.small, args.big)
    from bench.run import table

    print(table(results))
    print(results[0].detail["plan_big"])
    if args.json:
        Path(args.json).write_text(to_json(results) + "\n")
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
