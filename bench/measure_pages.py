"""Page ratios (issue 8, item 2): each pair measured side by side in one run, median of repeats.

    .venv/bin/python -m bench.measure_pages [--repeats N] [--json PATH]

Three comparisons, each a `Ratio` (bench/ratios.py):

1. The employer's case list (/verzuim/meldingen/) — first page, filtered pages and a search — as
   HR of the largest employer in `vk_bench` (100k employees) against HR of the largest employer
   in `vk_bench_small` (1k employees): bar <= 1.2x per page, plus the query count per page
   (both aliases, `default` and `medisch`): constant and <= 10.
2. A case page (/verzuim/meldingen/<id>/) with the audit write against the same page with
   `privacy.audit.record`/`record_many` stubbed out, alternating per sample: bar <= 1.15x.
3. The doctor's dossier page with 50 encrypted consults (`big_dossier`, as `arts-1`) against
   the same page with decryption replaced by a dict lookup of the plaintext precomputed from the
   same ciphertexts, alternating per sample: bar <= 1.2x.

How: one worker subprocess per database (`python -m bench.measure_pages --worker DB`) with the
application's production environment from `bench.common.env_from_manifest` (the app and medisch
login roles, DB_SET_ROLE=false, VK_ENVIRONMENT=production) and the settings of the load run
(`bench/load/vk_load_settings.py`: production settings with STATIC_ROOT in a temporary
directory that this run fills with `collectstatic`, as the manifest storage needs). Each worker
logs its users in with Django's test Client (`force_login` plus the verified TOTP device in the
session, as tests/conftest.py's `verified_client`) and answers commands on a pipe; the parent
alternates the two workers for item 1, so both databases are measured in the same minutes.
Within a sample each page is requested several times after a warm-up and the median taken.

Writes only what the page requests write: audit rows and sessions (and the database cache's
throttle entries, if any).

Importable without Django; the worker (bench/pages_worker.py) is imported after setting it up.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

if __package__ in (None, ""):  # run as a file: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common
from bench.ratios import Figure, Ratio, to_json

BIG, SMALL = common.DEFAULT_DB, common.DEFAULT_SMALL_DB
LIST_BAR, DETAIL_BAR, DOSSIER_BAR = 1.2, 1.15, 1.2
MAX_QUERIES = 10
# Per sample: ROUNDS x PER_ROUND requests of each variant, interleaved.
ROUNDS, PER_ROUND, WARMUP = 5, 4, 5
STUB_ROUNDS = 30  # items 2 and 3: pairs (real, stubbed) per sample, in one process
SETTINGS_MODULE = "bench.load.vk_load_settings"


# --- The parent: workers, alternation, ratios ------------------------------------------------


class Worker:
    """A subprocess with Django set up against one database; JSON lines over a pipe."""

    def __init__(self, db: str, static_root: str, copy_of: str | None = None):
        self.db = copy_of or db  # the data set's name: the key of the results
        manifest = {**common.load_manifest(self.db), "db": db}
        env = common.env_from_manifest(manifest)
        env.update({"DJANGO_SETTINGS_MODULE": SETTINGS_MODULE, "VK_LOAD_STATIC_ROOT": static_root})
        self.proc = subprocess.Popen(  # noqa: S603  # nosec B603 — our own module
            [sys.executable, "-m", "bench.measure_pages", "--worker", self.db],
            cwd=common.ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.info = self.call("setup")

    def call(self, cmd: str, **args) -> dict:
        self.proc.stdin.write(json.dumps({"cmd": cmd, **args}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"worker {self.db} ended (exit {self.proc.wait()})")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"worker {self.db}: {answer['error']}")
        return answer

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _ms(values) -> float:
    return round(statistics.median(values) * 1000, 2)


def _collectstatic(static_root: str) -> None:
    env = common.env_from_manifest(common.load_manifest(SMALL))
    env.update({"DJANGO_SETTINGS_MODULE": SETTINGS_MODULE, "VK_LOAD_STATIC_ROOT": static_root})
    common.manage(env, "collectstatic", "--no-input", "-v", "0")


def _list_ratios(big: Worker, small: Worker, repeats: int) -> list[Ratio]:
    pages = big.info["list_pages"]
    results = []
    for name in pages:
        samples, big_ms, small_ms = [], [], []
        queries = {BIG: set(), SMALL: set()}
        for _ in range(repeats):
            times = {BIG: [], SMALL: []}
            for worker in (big, small):
                worker.call("warm", page=name, n=WARMUP)
            for n in range(ROUNDS):
                # Alternate which database goes first, so neither always follows the other.
                for worker in (big, small) if n % 2 == 0 else (small, big):
                    answer = worker.call("list", page=name, n=PER_ROUND)
                    times[worker.db] += answer["times"]
                    q = answer["queries"]
                    queries[worker.db].add((q["queries"], q["statements"]))
            samples.append(statistics.median(times[BIG]) / statistics.median(times[SMALL]))
            big_ms.append(_ms(times[BIG]))
            small_ms.append(_ms(times[SMALL]))
        counts = sorted(queries[BIG] | queries[SMALL])  # (queries, statements) seen
        constant = len(counts) == 1
        ratio = Ratio(
            name=f"verzuimoverzicht {name}: 100k / 1k werknemers",
            samples=[round(s, 3) for s in samples],
            bar=LIST_BAR,
            detail={
                "url": pages[name]["url"],
                "search": bool(pages[name]["search"]),
                "median_ms_100k": big_ms,
                "median_ms_1k": small_ms,
                "queries_100k": sorted(q for q, _ in queries[BIG]),
                "queries_1k": sorted(q for q, _ in queries[SMALL]),
                "statements_100k": sorted(s for _, s in queries[BIG]),
                "statements_1k": sorted(s for _, s in queries[SMALL]),
                "queries_constant": constant,
                "queries_ok": constant and max(q for q, _ in counts) <= MAX_QUERIES,
                "rows_100k": big.info["list_pages"][name]["rows"],
                "rows_1k": small.info["list_pages"][name]["rows"],
            },
            note=f"HR of the largest employer; {ROUNDS}x{PER_ROUND} requests per variant per "
            f"sample, alternating databases; queries (both aliases, without BEGIN/COMMIT) "
            f"<= {MAX_QUERIES} and equal in both required; statements = with BEGIN/COMMIT",
        )
        if not ratio.detail["queries_ok"]:
            ratio.note += f" — QUERY COUNT FAILS: {counts}"
        results.append(ratio)
    return results


def _stub_ratio(worker: Worker, cmd: str, name: str, bar: float, note: str, repeats) -> Ratio:
    samples, on_ms, off_ms, queries = [], [], [], []
    for _ in range(repeats):
        answer = worker.call(cmd, rounds=STUB_ROUNDS, warmup=WARMUP)
        samples.append(answer["median_on"] / answer["median_off"])
        on_ms.append(round(answer["median_on"] * 1000, 2))
        off_ms.append(round(answer["median_off"] * 1000, 2))
        if answer["queries"] not in queries:
            queries.append(answer["queries"])
    return Ratio(
        name=name,
        samples=[round(s, 3) for s in samples],
        bar=bar,
        detail={
            "url": worker.info[cmd]["url"],
            "median_ms_real": on_ms,
            "median_ms_stubbed": off_ms,
            "queries": queries,
            **worker.info[cmd].get("extra", {}),
        },
        note=note,
    )


def measure(repeats: int = 3, big_db: str | None = None) -> list[Ratio | Figure]:
    """`big_db`: a copy of vk_bench to measure instead (same roles and manifest), e.g. to try
    a migration without touching the shared database."""
    repeats = max(1, repeats)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="vk-measure-pages-") as tmp:
        static_root = str(Path(tmp) / "static")
        common.log("collectstatic (manifest storage, temporary STATIC_ROOT)")
        _collectstatic(static_root)
        workers = []
        try:
            common.log(f"workers for {BIG} and {SMALL}")
            big = Worker(big_db or BIG, static_root, copy_of=BIG if big_db else None)
            workers.append(big)
            small = Worker(SMALL, static_root)
            workers.append(small)
            common.log("verzuimoverzicht: 100k against 1k")
            results: list[Ratio | Figure] = _list_ratios(big, small, repeats)
            common.log("casuspagina: audit on against stubbed")
            results.append(
                _stub_ratio(
                    big,
                    "detail",
                    "casuspagina: met auditregel / auditschrijven gestubd (1M auditregels)",
                    DETAIL_BAR,
                    "vk_bench, HR of the largest employer, an open case; privacy.audit.record "
                    "and record_many replaced by no-ops in the same process, alternating per "
                    "request",
                    repeats,
                )
            )
            common.log("dossierpagina: decryption against plaintext lookup")
            results.append(
                _stub_ratio(
                    big,
                    "dossier",
                    "dossierpagina 50 consulten: ontsleutelen / klaartekst",
                    DOSSIER_BAR,
                    "vk_bench, arts-1 on big_dossier; the field's decrypt replaced by a dict "
                    "lookup of the plaintext of the same tokens, alternating per request",
                    repeats,
                )
            )
        finally:
            for worker in workers:
                worker.close()
    results.append(
        Figure(
            name="duur van de meting",
            samples=[round(time.monotonic() - started, 1)],
            unit="s",
            detail={"repeats": repeats, "rounds": ROUNDS, "per_round": PER_ROUND},
        )
    )
    return results


def _table(results) -> str:
    lines = []
    for r in results:
        if isinstance(r, Ratio):
            status = "PASS" if r.passed else "FAIL"
            lines.append(f"{status}  {r.median:6.3f} {r.op} {r.bar}  {r.name}")
            d = r.detail
            if "median_ms_100k" in d:
                lines.append(
                    f"        ms 100k {d['median_ms_100k']}  1k {d['median_ms_1k']}  "
                    f"queries 100k {d['queries_100k']} 1k {d['queries_1k']} "
                    f"(statements {d['statements_100k']}/{d['statements_1k']})  "
                    f"{'ok' if d['queries_ok'] else 'QUERIES FAIL'}  {d['url']}"
                )
            else:
                lines.append(
                    f"        ms real {d['median_ms_real']}  stubbed {d['median_ms_stubbed']}  "
                    f"queries {d['queries']}  {d['url']}"
                )
        else:
            lines.append(f"        {r.name}: {r.median} {r.unit}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", help="also write the results as JSON to this file")
    parser.add_argument(
        "--big-db",
        help="measure a copy of vk_bench with this name instead (the copy has vk_bench's "
        "roles and manifest)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        django.setup()
        # After django.setup(): the worker module imports the application at its top.
        from bench.pages_worker import serve

        serve(args.worker)
        return 0
    results = measure(args.repeats, big_db=args.big_db)
    print(_table(results))
    if args.json:
        Path(args.json).write_text(to_json(results) + "\n")
    ratios = [r for r in results if isinstance(r, Ratio)]
    ok = all(r.passed for r in ratios) and all(r.detail.get("queries_ok", True) for r in ratios)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
