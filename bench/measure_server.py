"""Server figures of issue 8 (bench/README.md, "Server"): throughput of the case page against a
bare Django view, the web worker's peak memory at full scale, and `make run` from a fresh clone.

    .venv/bin/python -m bench.measure_server                   # all three (~10 min)
    .venv/bin/python -m bench.measure_server --skip-make-run   # throughput and memory (~2 min)

1. Throughput (Ratio, bar >= 0.5x). gunicorn as in the Dockerfile (sync workers, 3 by default)
   against `vk_bench` (bench/generate.py) with production settings (bench/common.py app_env:
   VK_ENVIRONMENT=production, the app and medisch roles logging in themselves, HTTPS=false on
   loopback, Redis as cache) and `bench.bare_settings`: the project's URLs plus `/bench/bare/`
   (bench/bare.py: the whole middleware stack, `SELECT 1`, three bytes). One HR user of the
   largest employer logs in through the real two-factor wizard (password, then a TOTP code from
   the manifest's key); wrk then requests, with that session cookie, `/verzuim/meldingen/<id>/`
   (an open case of that employer) and `/bench/bare/` with identical settings (threads = cores,
   2 connections per core, 10 s), alternately, `repeats` times. Ratio per repeat = case-page
   req/s / bare req/s. A wrk Lua script counts status codes: anything but 200 fails the run.
2. Peak memory (Figure, MB): VmHWM of each gunicorn worker (/proc/<pid>/status) after the last
   repeat; the largest.
3. `make run` (Figures, bars 180 s cold / 30 s warm; bench/make_run.py): a fresh clone of this
   checkout's HEAD in /tmp/vk_makerun with a clean environment and an empty pip cache, timed
   until `GET /account/login/` answers 200, stopped with Ctrl-C; then again, warm.

Writes nothing to vk_bench but what the page requests write (sessions, audit rows, axes).
Importable without Django.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import redis

from bench import common, web
from bench.make_run import measure_make_run
from bench.ratios import Figure, Ratio, to_json

DB = common.DEFAULT_DB
# Not db 5 (bench/load); emptied afterwards if it was empty before.
REDIS_URL = "redis://127.0.0.1:6379/8"
THROUGHPUT_BAR = 0.5
WRK = shutil.which("wrk") or "/usr/bin/wrk"

# Counts status codes across wrk's threads and prints latency percentiles (microseconds → ms).
WRK_LUA = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do total[k] = (total[k] or 0) + v end
  end
  for k, v in pairs(total) do io.write(string.format("STATUS %d %d\n", k, v)) end
  for _, p in ipairs({50, 90, 99}) do
    io.write(string.format("LATENCY p%d %.2f\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("LATENCY max %.2f\n", latency.max / 1000))
  io.write(string.format("TOTAL %d %d\n", summary.requests, summary.duration))
end
"""


def log(message: str) -> None:
    common.log(message, "server")


# --- gunicorn and wrk ----------------------------------------------------------------------------


def pick_case(manifest: dict) -> tuple[int, int, int]:
    """(organisation id, ziekmelding id, reports in its case): the largest employer's open case
    with the longest samentelling chain (ties: lowest id). Read-only, as the owner."""
    org = manifest["largest_organisation_ids"][0]
    rows = common.pg(
        "SELECT z.id, (SELECT count(*) FROM verzuim_ziekmelding c WHERE c.case_id = z.case_id) "
        "FROM verzuim_ziekmelding z WHERE z.organisation_id = %s AND z.recovered_on IS NULL "
        "ORDER BY 2 DESC, 1 LIMIT 1",
        [org],
        db=manifest["db"],
        fetch=True,
    )
    return org, rows[0][0], rows[0][1]


def wrk(url: str, cookie: str, script: Path, *, seconds: int, threads: int, connections: int):
    """One wrk run; returns req/s, latency percentiles (ms) and status counts."""
    proc = subprocess.run(  # noqa: S603 — the system's wrk, arguments we build
        [
            WRK,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(script),
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = proc.stdout
    statuses = {int(k): int(v) for k, v in re.findall(r"^STATUS (\d+) (\d+)$", out, re.M)}
    latency = {k: float(v) for k, v in re.findall(r"^LATENCY (\w+) ([\d.]+)$", out, re.M)}
    requests, duration_us = (int(x) for x in re.search(r"^TOTAL (\d+) (\d+)$", out, re.M).groups())
    socket_errors = re.search(r"Socket errors: (.*)$", out, re.M)
    return {
        "rps": requests / (duration_us / 1e6),
        "requests": requests,
        "latency_ms": latency,
        "statuses": statuses,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def worker_memory(master: int) -> dict:
    """VmHWM / VmRSS (MB) of the gunicorn master's children (the workers) and of the master."""

    def status(pid: int) -> dict:
        fields = {}
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmHWM", "VmRSS"):
                fields[name] = round(int(value.split()[0]) / 1024, 1)
        return fields

    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {"master": status(master), "workers": {int(pid): status(int(pid)) for pid in children}}


def measure_throughput(
    repeats: int,
    *,
    seconds: int = 10,
    workers: int = 3,
    warmup: int = 3,
) -> list[Ratio | Figure]:
    manifest = common.load_manifest(DB)
    cores = os.cpu_count() or 2
    threads, connections = cores, 2 * cores
    org, case_id, case_size = pick_case(manifest)
    account = [h for h in manifest["hr"] if h["organisation_id"] == org][-1]
    tmp = Path(tempfile.mkdtemp(prefix="vk-server-"))
    script = tmp / "status.lua"
    script.write_text(WRK_LUA)
    env = common.env_from_manifest(
        manifest,
        REDIS_URL=REDIS_URL,
        DJANGO_SETTINGS_MODULE="bench.bare_settings",
        VK_BENCH_STATIC_ROOT=str(tmp / "static"),
    )
    port = web.free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = None
    redis_was_empty = False
    gunicorn_log = (tmp / "gunicorn.log").open("w")
    try:
        redis_was_empty = redis.Redis.from_url(REDIS_URL).dbsize() == 0
        common.manage(env, "collectstatic", "--no-input", "-v", "0")
        gunicorn = web.start_gunicorn(env, port, workers, gunicorn_log)
        web.wait_ready(base, gunicorn)
        log(f"gunicorn ({workers} sync workers) on {base}, settings bench.bare_settings, {DB}")
        cookie, opener = web.login(
            base, account["username"], manifest["password"], account["totp_key"], log
        )
        log(f"logged in as {account['username']} (employer {org}); case {case_id}")
        case_url, bare_url = f"{base}/verzuim/meldingen/{case_id}/", f"{base}/bench/bare/"
        status, page = web.fetch(opener, case_url)
        if status != 200 or "<h1" not in page:
            raise RuntimeError(f"case page: HTTP {status}")
        status, body = web.fetch(opener, bare_url)
        if status != 200 or body != "ok\n":
            raise RuntimeError(f"bare view: HTTP {status}")
        page_kb = round(len(page.encode()) / 1024, 1)

        def run(url: str, duration: int) -> dict:
            result = wrk(
                url, cookie, script, seconds=duration, threads=threads, connections=connections
            )
            bad = {k: v for k, v in result["statuses"].items() if k != 200}
            if bad or result["socket_errors"] or not result["requests"]:
                raise RuntimeError(
                    f"{url}: statuses {result['statuses']} {result['socket_errors']}".strip()
                )
            return result

        log(f"warm-up: {warmup} s each")
        run(case_url, warmup)
        run(bare_url, warmup)
        case_runs, bare_runs, ratios = [], [], []
        loadavg = [round(os.getloadavg()[0], 2)]
        for i in range(repeats):
            order = [("case", case_url), ("bare", bare_url)]
            pair = {}
            for name, url in order if i % 2 == 0 else order[::-1]:
                pair[name] = run(url, seconds)
            case_runs.append(pair["case"])
            bare_runs.append(pair["bare"])
            ratios.append(pair["case"]["rps"] / pair["bare"]["rps"])
            loadavg.append(round(os.getloadavg()[0], 2))
            log(
                f"repeat {i + 1}/{repeats}: case {pair['case']['rps']:.1f} req/s, "
                f"bare {pair['bare']['rps']:.1f} req/s, ratio {ratios[-1]:.3f}"
            )
        memory = worker_memory(gunicorn.pid)
    finally:
        web.stop_gunicorn(gunicorn)
        gunicorn_log.close()
        if redis_was_empty:
            redis.Redis.from_url(REDIS_URL).flushdb()
        shutil.rmtree(tmp, ignore_errors=True)

    def summary(runs: list[dict]) -> dict:
        def med(values):
            return round(sorted(values)[len(values) // 2], 2)

        return {
            "rps_median": med([r["rps"] for r in runs]),
            "rps": [round(r["rps"], 1) for r in runs],
            "latency_ms_median": {
                p: med([r["latency_ms"][p] for r in runs]) for p in ("p50", "p90", "p99", "max")
            },
            "requests": sum(r["requests"] for r in runs),
        }

    settings = (
        f"wrk -t{threads} -c{connections} -d{seconds}s, same session cookie for both; gunicorn "
        f"{workers} sync workers; {cores} cores shared"
    )
    hwm = {pid: m["VmHWM"] for pid, m in memory["workers"].items()}
    return [
        Ratio(
            name="throughput: case page / bare Django view (req/s, same gunicorn and vk_bench)",
            samples=[round(r, 4) for r in ratios],
            bar=THROUGHPUT_BAR,
            op=">=",
            detail={
                "case_page": {
                    "url": f"/verzuim/meldingen/{case_id}/",
                    "reports_in_case": case_size,
                    "page_kb": page_kb,
                    **summary(case_runs),
                },
                "bare_view": {"url": "/bench/bare/", **summary(bare_runs)},
                "settings": settings,
                "account": f"{account['username']} (employer {org}, the largest)",
                "loadavg_1min": loadavg,
            },
            note="Alternating runs (order flips each repeat); ratio per repeat. Every response "
            "counted by a wrk Lua script: all 200.",
        ),
        Figure(
            name="peak RSS of a gunicorn web worker (vk_bench, after the throughput run)",
            samples=[max(hwm.values())],
            unit="MB",
            detail={
                "VmHWM_MB_per_worker": list(hwm.values()),
                "VmRSS_MB_per_worker_at_end": [m["VmRSS"] for m in memory["workers"].values()],
                "master_VmHWM_MB": memory["master"]["VmHWM"],
                "requests_served": sum(r["requests"] for r in case_runs + bare_runs),
            },
            note="/proc/<pid>/status VmHWM of each worker just before gunicorn was stopped.",
        ),
    ]


# --- Entry point ---------------------------------------------------------------------------------


def measure(repeats: int, *, make_run: bool = True, seconds: int = 10, workers: int = 3):
    results: list[Ratio | Figure] = measure_throughput(repeats, seconds=seconds, workers=workers)
    if make_run:
        results += measure_make_run()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-make-run", action="store_true", help="throughput and memory only")
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    results = measure(
        args.repeats, make_run=not args.skip_make_run, seconds=args.seconds, workers=args.workers
    )
    print(to_json(results))
    if args.json:
        Path(args.json).write_text(to_json(results) + "\n")
    print()
    for r in results:
        verdict = {True: "PASS", False: "FAIL", None: "    "}[r.passed]
        bar = f" (bar {r.op} {r.bar})" if r.bar is not None else ""
        print(f"{verdict}  {r.name}: {r.median:.3f} {r.unit}{bar}")
    return 0 if all(r.passed is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
