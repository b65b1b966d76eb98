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
3. `make run` (Figures, bars 180 s cold / 30 s warm): `git clone` of this checkout's HEAD into
   /tmp/vk_makerun, `make run` with a clean environment (no DATABASE_URL/REDIS_URL: the embedded
   PostgreSQL and filesystem Celery, as on a fresh machine), an empty pip cache (cold means
   downloading every wheel from the package index) and PORT set to a free port, timed until
   `GET /account/login/` answers 200; then Ctrl-C (SIGINT to the process group) and a check that
   runserver, celery and the embedded postgres are gone. Warm: `make run` again in the same
   clone. Phases come from sampling the session's processes every 0.2 s (venv, pip, initdb,
   migrate, createcachetable, seed_demo, runserver).

Writes nothing to vk_bench but what the page requests write (sessions, audit rows, axes).
Importable without Django.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench import common
from bench.ratios import Figure, Ratio, to_json

ROOT = common.ROOT
BIN = Path(sys.executable).parent
DB = common.DEFAULT_DB
# Not db 5 (bench/load); emptied afterwards if it was empty before.
REDIS_URL = "redis://127.0.0.1:6379/8"
# The fresh clone, /tmp/vk_makerun (removed again afterwards); its logs stay beside it.
MAKERUN_DIR = Path(tempfile.gettempdir()) / "vk_makerun"
MAKERUN_LOGS = Path(tempfile.gettempdir()) / "vk_makerun-logs"
THROUGHPUT_BAR = 0.5
COLD_BAR_S = 180.0
WARM_BAR_S = 30.0
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


# --- Logging in through the real wizard ---------------------------------------------------------

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def totp(key_hex: str, at: float | None = None) -> str:
    """RFC 6238 as django_otp's TOTP device computes it (SHA-1, 30 s step, t0 0, 6 digits)."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _open(opener, url: str, data: dict | None = None):
    """(status, body) of one request; 3xx answers are returned, not followed."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body)  # noqa: S310 — http://127.0.0.1 URL we build
    try:
        with opener.open(request, timeout=30) as response:  # nosec B310 — http://127.0.0.1 URL we build
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def login(base: str, username: str, password: str, key_hex: str) -> tuple[str, object]:
    """Log in through the two-factor wizard; returns the Cookie header value and the opener.
    A TOTP code is accepted once per device per 30 s window (someone else may use this account
    at the same moment), so a refused code is retried once in the next window."""
    for attempt in range(2):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
        status, page = _open(opener, base + "/account/login/")
        if status != 200:
            raise RuntimeError(f"login form: HTTP {status}")
        status, step = _open(
            opener,
            base + "/account/login/",
            {
                "csrfmiddlewaretoken": CSRF_RE.search(page).group(1),
                "login_view-current_step": "auth",
                "auth-username": username,
                "auth-password": password,
            },
        )
        if status != 200 or "token-otp_token" not in step:
            raise RuntimeError(f"password step: HTTP {status}, no code field")
        status, _ = _open(
            opener,
            base + "/account/login/",
            {
                "csrfmiddlewaretoken": CSRF_RE.search(step).group(1),
                "login_view-current_step": "token",
                "token-otp_token": totp(key_hex),
            },
        )
        if status == 302:
            return "; ".join(f"{c.name}={c.value}" for c in jar), opener
        if attempt == 0:
            log(f"TOTP code refused (HTTP {status}); next window")
            time.sleep(31 - time.time() % 30)
    raise RuntimeError("TOTP step refused twice")


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


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at once (exit {proc.returncode})")
        if _status(url + "/account/login/") == 200:
            return
        time.sleep(0.5)
    raise RuntimeError("gunicorn does not answer /account/login/")


def _status(url: str, timeout: float = 2) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310  # nosec B310 — http://127.0.0.1 URL we build
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return None


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
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = None
    redis_was_empty = False
    try:
        import redis

        redis_was_empty = redis.Redis.from_url(REDIS_URL).dbsize() == 0
        common.manage(env, "collectstatic", "--no-input", "-v", "0")
        gunicorn_log = (tmp / "gunicorn.log").open("w")
        gunicorn = subprocess.Popen(  # noqa: S603 — the venv's gunicorn, arguments we build
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--error-logfile",
                "-",
            ],
            cwd=ROOT,
            env=env,
            stdout=gunicorn_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_ready(base, gunicorn)
        log(f"gunicorn ({workers} sync workers) on {base}, settings bench.bare_settings, {DB}")
        cookie, opener = login(base, account["username"], manifest["password"], account["totp_key"])
        log(f"logged in as {account['username']} (employer {org}); case {case_id}")
        case_url, bare_url = f"{base}/verzuim/meldingen/{case_id}/", f"{base}/bench/bare/"
        status, page = _open(opener, case_url)
        if status != 200 or "<h1" not in page:
            raise RuntimeError(f"case page: HTTP {status}")
        status, body = _open(opener, bare_url)
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
        if gunicorn is not None and gunicorn.poll() is None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
                gunicorn.wait()
        if redis_was_empty:
            import redis

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


# --- make run from a fresh clone -----------------------------------------------------------------

# (phase, predicate on a process's argv) — in the order they happen.
PHASES = [
    ("venv", lambda a: "-m" in a and "venv" in a and "pip" not in a),
    ("pip: upgrade pip", lambda a: "pip" in a and "--upgrade" in a),
    ("pip: install .[dev]", lambda a: "pip" in a and ".[dev]" in a),
    (
        "devserver: embedded postgres (initdb, start, CREATE DATABASE)",
        lambda a: "config.devserver" in a,
    ),
    ("migrate", lambda a: "manage.py" in a and "migrate" in a),
    ("createcachetable", lambda a: "manage.py" in a and "createcachetable" in a),
    ("seed_demo", lambda a: "manage.py" in a and "seed_demo" in a),
    ("runserver + celery up", lambda a: "manage.py" in a and "runserver" in a),
]
INITDB = ("initdb", lambda a: bool(a) and a[0].endswith("initdb"))


def _session_processes(sid: int) -> dict[int, list[str]]:
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[3]) != sid:
                continue
            argv = Path(f"/proc/{entry.name}/cmdline").read_bytes().split(b"\0")
            found[int(entry.name)] = [a.decode("utf-8", "replace") for a in argv if a]
        except (OSError, ValueError, IndexError):
            continue
    return found


def _postmaster_pid(clone: Path) -> int | None:
    pidfile = clone / "var" / "pgdata" / "postmaster.pid"
    try:
        pid = int(pidfile.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if Path(f"/proc/{pid}").exists() else None


def timed_make_run(clone: Path, env: dict, port: int, label: str, timeout: float) -> dict:
    """`make run` in `clone` until the login page answers 200; then Ctrl-C and clean-up."""
    url = f"http://127.0.0.1:{port}/account/login/"
    MAKERUN_LOGS.mkdir(exist_ok=True)
    log_path = MAKERUN_LOGS / f"make-run-{label}.log"
    lines: list[tuple[float, str]] = []
    t0 = time.monotonic()
    proc = subprocess.Popen(  # noqa: S603 — make from PATH, fixed arguments
        ["make", "run"],  # noqa: S607
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
        start_new_session=True,
    )

    def reader():
        with log_path.open("w") as out:
            for line in proc.stdout:
                stamp = time.monotonic() - t0
                lines.append((stamp, line.rstrip("\n")))
                out.write(f"[{stamp:7.1f}] {line}")
                out.flush()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    seen: dict[str, list[float]] = {}
    ready = None
    try:
        while time.monotonic() - t0 < timeout:
            now = time.monotonic() - t0
            for argv in _session_processes(proc.pid).values():
                for name, match in [*PHASES, INITDB]:
                    if match(argv):
                        seen.setdefault(name, [now, now])[1] = now
            if "runserver + celery up" in seen and _status(url, timeout=1) == 200:
                ready = time.monotonic() - t0
                break
            if proc.poll() is not None:
                break
            time.sleep(0.2)
    finally:
        stopped = stop_make_run(proc, clone, port)
        thread.join(timeout=10)
    if ready is None:
        tail = "\n".join(line for _, line in lines[-15:])
        raise RuntimeError(f"make run ({label}) not ready (exit {proc.returncode}):\n{tail}")
    # Phase durations: from one phase's first sighting to the next one's.
    marks = [(name, seen[name][0]) for name, _ in PHASES if name in seen]
    starts = [("start", 0.0), *marks, ("login page 200", ready)]
    phases = {}
    previous = "make (before the first sampled process)"
    for (name, start), (_, end) in zip(starts, starts[1:], strict=False):
        phases[name if name != "start" else previous] = round(end - start, 1)
    if "initdb" in seen:
        phases["(of which initdb)"] = round(seen["initdb"][1] - seen["initdb"][0] + 0.2, 1)
    return {
        "seconds": round(ready, 1),
        "phases_s": phases,
        "stopped": stopped,
        "log": str(log_path),
    }


def stop_make_run(proc: subprocess.Popen, clone: Path, port: int) -> dict:
    """Ctrl-C as a terminal sends it (SIGINT to the process group); config.devserver then stops
    runserver, celery and the embedded postgres. Whatever is left after 45 s is killed."""
    result = {}
    postmaster = _postmaster_pid(clone)
    try:
        os.killpg(proc.pid, signal.SIGINT)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline and (
        proc.poll() is None or _session_processes(proc.pid) or _postmaster_pid(clone)
    ):
        time.sleep(0.5)
    left = _session_processes(proc.pid)
    result["left_after_ctrl_c"] = [" ".join(a)[:80] for a in left.values()]
    if left:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    pm = _postmaster_pid(clone)
    result["postgres_left_after_ctrl_c"] = pm is not None
    if pm is not None and pm == postmaster:  # the embedded server this run started: ours
        os.kill(pm, signal.SIGINT)  # fast shutdown
        for _ in range(40):
            if _postmaster_pid(clone) is None:
                break
            time.sleep(0.5)
    result["all_gone"] = not _session_processes(proc.pid) and _postmaster_pid(clone) is None
    result["port_free"] = not port_in_use(port)
    return result


def clean_env(port: int, pip_cache: Path) -> dict:
    """A developer's shell on a fresh machine: nothing that configures the app."""
    drop = ("DJANGO_", "VK_", "DB_", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    for name in (
        "DATABASE_URL",
        "MEDISCH_DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "MEDICAL_ENCRYPTION_KEYS",
        "MEDICAL_ENCRYPTION_KEY_FILE",
        "DEBUG",
        "HTTPS",
        "ALLOWED_HOSTS",
    ):
        env.pop(name, None)
    # Not our venv first on PATH: make picks python3.11 itself.
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if Path(p) != BIN
    )
    env.update({"PORT": str(port), "PIP_CACHE_DIR": str(pip_cache), "PYTHONUNBUFFERED": "1"})
    return env


def measure_make_run(clone: Path = MAKERUN_DIR) -> list[Figure]:
    if _postmaster_pid(clone):
        raise RuntimeError(f"an embedded postgres of {clone} is still running; stop it first")
    shutil.rmtree(clone, ignore_errors=True)
    pip_cache = Path(tempfile.mkdtemp(prefix="vk-makerun-pipcache-"))
    port = 8000 if not port_in_use(8000) else free_port()
    log(f"git clone {ROOT} {clone}; make run on port {port} (empty pip cache)")
    subprocess.run(  # noqa: S603 — git from PATH, fixed arguments
        ["git", "clone", "--quiet", str(ROOT), str(clone)],  # noqa: S607
        check=True,
    )
    head = subprocess.run(  # noqa: S603
        ["git", "-C", str(clone), "rev-parse", "--short", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    env = clean_env(port, pip_cache)
    try:
        cold = timed_make_run(clone, env, port, "cold", timeout=900)
        log(f"cold: {cold['seconds']} s — {cold['phases_s']}")
        warm = timed_make_run(clone, env, port, "warm", timeout=300)
        log(f"warm: {warm['seconds']} s — {warm['phases_s']}")
    finally:
        shutil.rmtree(pip_cache, ignore_errors=True)
        if not _postmaster_pid(clone):
            shutil.rmtree(clone, ignore_errors=True)
    common_detail = {"clone_of": f"{ROOT} at {head}", "port": port}
    return [
        Figure(
            name="make run on a fresh clone until GET /account/login/ = 200 (cold)",
            samples=[cold["seconds"]],
            unit="s",
            bar=COLD_BAR_S,
            detail={**common_detail, **cold},
            note="New venv, empty pip cache (every wheel from the index), initdb, migrate, seed.",
        ),
        Figure(
            name="make run again in the same clone until GET /account/login/ = 200 (warm)",
            samples=[warm["seconds"]],
            unit="s",
            bar=WARM_BAR_S,
            detail={**common_detail, **warm},
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
