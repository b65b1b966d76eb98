"""`make run` from a fresh clone, cold and warm (bench/measure_server.py, bench/README.md,
"Server"): `git clone` of this checkout's HEAD into /tmp/vk_makerun, `make run` with a clean
environment (no DATABASE_URL/REDIS_URL: the embedded PostgreSQL and filesystem Celery, as on a
fresh machine), an empty pip cache (cold means downloading every wheel from the package index)
and PORT set to a free port, timed until `GET /account/login/` answers 200; then Ctrl-C (SIGINT
to the process group) and a check that runserver, celery and the embedded postgres are gone.
Warm: `make run` again in the same clone. Phases come from sampling the session's processes
every 0.2 s (venv, pip, initdb, migrate, createcachetable, seed_demo, runserver).

Importable without Django."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bench import common, web
from bench.ratios import Figure

ROOT = common.ROOT
# The fresh clone, /tmp/vk_makerun (removed again afterwards); its logs stay beside it.
MAKERUN_DIR = Path(tempfile.gettempdir()) / "vk_makerun"
MAKERUN_LOGS = Path(tempfile.gettempdir()) / "vk_makerun-logs"
COLD_BAR_S = 180.0
WARM_BAR_S = 30.0


def log(message: str) -> None:
    common.log(message, "server")


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
            if "runserver + celery up" in seen and web.http_status(url, timeout=1) == 200:
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
    result["port_free"] = not web.port_in_use(port)
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
        p for p in env.get("PATH", "").split(os.pathsep) if Path(p) != web.BIN
    )
    env.update({"PORT": str(port), "PIP_CACHE_DIR": str(pip_cache), "PYTHONUNBUFFERED": "1"})
    return env


def measure_make_run(clone: Path = MAKERUN_DIR) -> list[Figure]:
    if _postmaster_pid(clone):
        raise RuntimeError(f"an embedded postgres of {clone} is still running; stop it first")
    shutil.rmtree(clone, ignore_errors=True)
    pip_cache = Path(tempfile.mkdtemp(prefix="vk-makerun-pipcache-"))
    port = 8000 if not web.port_in_use(8000) else web.free_port()
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
