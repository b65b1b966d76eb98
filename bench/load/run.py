"""One-command load test (issue 7, item 3; not part of CI). See bench/README.md, "Load".

    .venv/bin/python bench/load/run.py                       # full: 50 users, 5 minutes
    .venv/bin/python bench/load/run.py --users 5 --time 30s  # smoke
    .venv/bin/python bench/load/run.py --profile             # query counts per page, no load

1. A fresh PostgreSQL database `vk_load` on 127.0.0.1:5432 (user postgres, trust auth) with the
   roles set up as in production (medisch/db.py): the application logs in as its own role
   (vk_load_app, no privilege on medical tables) and the medisch alias as another
   (vk_load_medisch), DB_SET_ROLE=false; `migrate` and `createcachetable` run as the owning
   login, as `make run` (config/devserver.py) runs them, and re-apply the grants. The role names
   differ from the default vk_app/vk_medisch because roles are cluster-wide and the test suites
   of other people on this server use (NOLOGIN) roles of those names.
2. Synthetic data (bench/load/seed.py), through the project's own actions.
3. gunicorn (as in the Dockerfile: sync workers) with VK_ENVIRONMENT=production, HTTPS=false
   (plain HTTP on loopback), REDIS_URL=redis://127.0.0.1:6379/5.
4. locust headless (bench/load/locustfile.py); then the report: errors, p50/p95/p99 per page,
   and the audit rows written during the run against the accesses the locustfile made.
5. Always (also on failure or Ctrl-C): gunicorn stopped, database and roles dropped, Redis db 5
   emptied if it was empty before, the temporary directory removed.

Prints the summary table and writes bench/load/results.json; the locust CSVs and the gunicorn
log go to bench/load/out/. Exit status: 0 when every line of the bar passes, 1 otherwise.
"""

import argparse
import base64
import csv
import fcntl
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402 — database, roles, environment: bench/common.py

HERE = ROOT / "bench" / "load"
OUT = HERE / "out"
BIN = Path(sys.executable).parent
DB_NAME = "vk_load"
APP_ROLE, MEDISCH_ROLE = common.role_names(DB_NAME)  # vk_load_app, vk_load_medisch
PG_HOST, PG_PORT, PG_SUPERUSER = common.PG_HOST, common.PG_PORT, common.PG_SUPERUSER
REDIS_URL = "redis://127.0.0.1:6379/5"
P95_BAR_MS = 500


def log(message):
    print(f"[load {datetime.now():%H:%M:%S}] {message}", flush=True)


def pg(sql, params=None, *, db="postgres", fetch=False):
    return common.pg(sql, params, db=db, fetch=fetch)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def drop_database():
    common.drop_database(DB_NAME, (APP_ROLE, MEDISCH_ROLE))


def create_database():
    if common.database_exists(DB_NAME):
        log(f"database {DB_NAME} bestond nog (vorige run afgebroken?) — eerst verwijderd")
    # Production shape: the roles log in themselves (README: DB_SET_ROLE=false).
    common.create_database(DB_NAME, (APP_ROLE, MEDISCH_ROLE))


def app_env(tmp: Path, *, owner=False) -> dict:
    """The production-like environment; `owner=True` for schema work (migrate) as the owner."""
    key = base64.urlsafe_b64encode((tmp / "medical.key").read_bytes()).decode().rstrip("=")
    return common.app_env(
        DB_NAME,
        secret_key=(tmp / "secret_key").read_text(),
        medical_keys=f"load1:{key}",
        owner=owner,
        roles=(APP_ROLE, MEDISCH_ROLE),
        MEDICAL_FILES_ROOT=str(tmp / "medical-files"),
        REDIS_URL=REDIS_URL,
        DJANGO_SETTINGS_MODULE="vk_load_settings",
        VK_LOAD_STATIC_ROOT=str(tmp / "static"),
        PYTHONPATH=os.pathsep.join([str(ROOT), str(HERE)]),
    )


def manage(env, *args):
    common.manage(env, *args)


def wait_ready(url, proc, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn stopte meteen (exit {proc.returncode}); zie {OUT}")
        try:
            with urllib.request.urlopen(url + "/account/login/", timeout=5) as response:  # noqa: S310  # nosec B310 — http://127.0.0.1 URL this script builds
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn antwoordt niet op /account/login/")


def audit_state():
    rows = pg(
        "SELECT coalesce(max(seq), 0), count(*) FROM privacy_auditevent", db=DB_NAME, fetch=True
    )
    return rows[0]


def audit_rows_since(seq):
    return pg(
        "SELECT object_type, action, count(*) FROM privacy_auditevent WHERE seq > %s "
        "GROUP BY object_type, action ORDER BY 1, 2",
        [seq],
        db=DB_NAME,
        fetch=True,
    )


def read_stats(prefix: Path):
    stats, failures, exceptions = [], [], []
    with open(f"{prefix}_stats.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            stats.append(
                {
                    "method": row["Type"],
                    "name": row["Name"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50_ms": _num(row["50%"]),
                    "p95_ms": _num(row["95%"]),
                    "p99_ms": _num(row["99%"]),
                    "max_ms": _num(row["Max Response Time"]),
                    "rps": round(float(row["Requests/s"] or 0), 2),
                }
            )
    with open(f"{prefix}_failures.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            failures.append(
                {
                    "method": row["Method"],
                    "name": row["Name"],
                    "error": row["Error"],
                    "count": int(row["Occurrences"]),
                }
            )
    exc_path = Path(f"{prefix}_exceptions.csv")
    if exc_path.exists():
        with open(exc_path, newline="") as fh:
            for row in csv.DictReader(fh):
                exceptions.append({"count": int(row["Count"]), "message": row["Message"][:300]})
    return stats, failures, exceptions


def after_ramp(timeline_path: Path, since):
    """p50/p95/p99 per (method, name) of the requests started after the last login finished:
    the steady state, without the login burst of the ramp-up."""
    if since is None or not timeline_path.exists():
        return {}
    samples = {}
    with open(timeline_path, newline="") as fh:
        for row in csv.DictReader(fh):
            if float(row["start"]) >= since:
                key = (row["method"], row["name"])
                samples.setdefault(key, []).append(int(row["response_ms"]))
    result = {}
    for key, values in samples.items():
        values.sort()

        def pct(p, values=values):
            return values[max(0, min(len(values) - 1, -(-p * len(values) // 100) - 1))]

        result[key] = {
            "requests": len(values),
            "p50_ms": pct(50),
            "p95_ms": pct(95),
            "p99_ms": pct(99),
        }
    return result


def _num(value):
    try:
        return round(float(value))
    except (TypeError, ValueError):
        return None


def verdict(ok):
    return "PASS" if ok else "FAIL"


def report(args, meta, stats, failures, exceptions, tally, audit_actual, chain_ok, steady):
    lines = []
    per_page = [s for s in stats if s["name"] != "Aggregated"]
    total = next((s for s in stats if s["name"] == "Aggregated"), None)
    errors = sum(s["failures"] for s in per_page) + sum(e["count"] for e in exceptions)
    expected = {(r["object_type"], r["action"]): r["rows"] for r in tally["expected_rows"]}
    actual = {(t, a): n for t, a, n in audit_actual}
    expected_total, actual_total = sum(expected.values()), sum(actual.values())
    accesses_total = sum(tally["accesses"].values())

    lines.append(
        f"Load run {meta['started_at']}  users={args.users} spawn-rate={args.spawn_rate} "
        f"time={args.time} think={args.wait}s workers={args.workers}"
    )
    lines.append(
        f"machine: {meta['cpus']} cores, load average before/after "
        f"{meta['loadavg_before']} / {meta['loadavg_after']}; all users logged in after "
        f"{meta.get('ramp_seconds', '?')} s"
    )
    lines.append("")
    header = f"{'page':<30} {'method':<6} {'requests':>8} {'errors':>6} {'p50':>6} {'p95':>6} "
    header += f"{'p99':>6}  bar (0 errors, p95 < {P95_BAR_MS} ms)  | after ramp: p50 p95 p99"
    lines.append(header)
    lines.append("-" * len(header))
    bar, bar_steady = [], []
    for s in sorted(per_page, key=lambda s: s["name"]):
        ok = s["failures"] == 0 and s["p95_ms"] is not None and s["p95_ms"] < P95_BAR_MS
        bar.append(ok)
        st = steady.get((s["method"], s["name"]))
        if st:
            bar_steady.append(s["failures"] == 0 and st["p95_ms"] < P95_BAR_MS)
            after = f"{st['p50_ms']:>6} {st['p95_ms']:>6} {st['p99_ms']:>6}"
        else:
            after = f"{'—':>6} {'—':>6} {'—':>6}"
        s["after_ramp"] = st
        lines.append(
            f"{s['name'][:30]:<30} {s['method']:<6} {s['requests']:>8} {s['failures']:>6} "
            f"{s['p50_ms']!s:>6} {s['p95_ms']!s:>6} {s['p99_ms']!s:>6}  {verdict(ok):<37}"
            f"| {after}"
        )
    if total:
        lines.append(
            f"{'ALL (aggregated)':<30} {'':<6} {total['requests']:>8} {total['failures']:>6} "
            f"{total['p50_ms']!s:>6} {total['p95_ms']!s:>6} {total['p99_ms']!s:>6}  "
            f"({total['rps']} req/s)"
        )
    lines.append("")
    lines.append(f"{'audit rows (object_type / action)':<44} {'expected':>9} {'written':>8}")
    for key in sorted(set(expected) | set(actual)):
        lines.append(
            f"{key[0] + ' / ' + key[1]:<44} {expected.get(key, 0):>9} {actual.get(key, 0):>8}"
        )
    lines.append(f"{'total':<44} {expected_total:>9} {actual_total:>8}")
    lines.append(
        "accesses to audited pages (successful requests): "
        + ", ".join(f"{k} {v}" for k, v in sorted(tally["accesses"].items()))
        + f" = {accesses_total}"
    )
    for what, n in sorted(tally.get("unaudited", {}).items()):
        lines.append(f"not audited by the application — {what}: {n}")
    lines.append("")
    errors_ok = errors == 0
    pages_ok = all(bar)
    audit_ok = expected == actual and expected_total > 0
    summary = [
        (f"errors == 0 (got {errors})", errors_ok),
        (f"p95 < {P95_BAR_MS} ms on every page ({sum(bar)}/{len(bar)} pages)", pages_ok),
        (f"audit rows written == expected ({actual_total} vs {expected_total})", audit_ok),
        (
            f"(extra) p95 < {P95_BAR_MS} ms on every page after the ramp, i.e. for requests "
            f"started after the last login ({sum(bar_steady)}/{len(bar_steady)} pages)",
            bool(bar_steady) and all(bar_steady),
        ),
        ("audit hash chain intact after the run (verify_audit_log)", chain_ok),
        (f"every simulated user logged in ({tally['logins']})", not tally["logins"].get("failed")),
    ]
    lines.append("BAR")
    for text, ok in summary:
        lines.append(f"  {verdict(ok)}  {text}")
    if failures or exceptions:
        lines.append("")
        lines.append("errors by kind:")
        for f in failures:
            lines.append(f"  {f['count']:>5}  {f['method']} {f['name']}: {f['error'][:160]}")
        for e in exceptions:
            lines.append(f"  {e['count']:>5}  exception: {e['message'][:160]}")
    # The user's bar: errors, p95 over the whole run, audit; the extra lines inform.
    passed = errors_ok and pages_ok and audit_ok and chain_ok
    return (
        "\n".join(lines),
        passed,
        {
            "errors": errors,
            "errors_by_kind": failures,
            "exceptions": exceptions,
            "audit": {
                "expected_by_kind": [
                    {"object_type": k[0], "action": k[1], "rows": v}
                    for k, v in sorted(expected.items())
                ],
                "written_by_kind": [
                    {"object_type": k[0], "action": k[1], "rows": v}
                    for k, v in sorted(actual.items())
                ],
                "expected_total": expected_total,
                "written_total": actual_total,
                "accesses": tally["accesses"],
                "accesses_total": accesses_total,
                "chain_intact": chain_ok,
            },
            "bar": [{"line": text, "pass": ok} for text, ok in summary],
            "pass": passed,
        },
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOAD_USERS", 50)))
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--time", default=os.environ.get("LOAD_TIME", "5m"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("LOAD_WORKERS", 3)))
    parser.add_argument(
        "--wait", default=os.environ.get("LOAD_WAIT", "2,6"), help="think time min,max (s)"
    )
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--results", default=str(HERE / "results.json"))
    parser.add_argument(
        "--profile",
        action="store_true",
        help="seed, then print query counts and timings per page (profile_pages.py); no locust",
    )
    args = parser.parse_args()

    def terminate(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, terminate)
    OUT.mkdir(exist_ok=True)
    # One run at a time on this server: a second one would drop the first one's database.
    lock = open(OUT / ".lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        log(f"er draait al een belastingstest (vergrendeling {OUT / '.lock'}); gestopt")
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="vk-load-"))
    (tmp / "secret_key").write_text(secrets.token_urlsafe(50))
    (tmp / "medical.key").write_bytes(secrets.token_bytes(32))
    os.chmod(tmp / "medical.key", 0o600)
    port = args.port or free_port()
    url = f"http://127.0.0.1:{port}"
    gunicorn = None
    gunicorn_log = None
    created_db = False
    redis_was_empty = False
    rc = 1
    try:
        import redis

        r = redis.Redis.from_url(REDIS_URL)
        redis_was_empty = r.dbsize() == 0
        if not redis_was_empty:
            log(f"let op: Redis db 5 is niet leeg ({r.dbsize()} sleutels); wordt niet geleegd")

        t0 = time.monotonic()
        log(f"database {DB_NAME} en rollen {APP_ROLE}/{MEDISCH_ROLE} aanmaken")
        created_db = True
        create_database()
        owner = app_env(tmp, owner=True)
        manage(owner, "migrate", "--no-input", "-v", "0")
        manage(owner, "createcachetable")
        env = app_env(tmp)
        manage(env, "collectstatic", "--no-input", "-v", "0")
        env_seed = dict(env, VK_LOAD_PASSWORD=secrets.token_urlsafe(18))
        manifest = tmp / "manifest.json"
        subprocess.run(  # noqa: S603 - our own script, our own arguments
            [sys.executable, str(HERE / "seed.py"), str(manifest)],
            cwd=ROOT,
            env=env_seed,
            check=True,
        )
        log(f"database klaar in {time.monotonic() - t0:.0f} s")
        if args.profile:
            subprocess.run(  # noqa: S603 - our own script, our own arguments
                [sys.executable, str(HERE / "profile_pages.py"), str(manifest)],
                cwd=ROOT,
                env=env,
                check=True,
            )
            return 0

        gunicorn_log = open(OUT / "gunicorn.log", "w")
        gunicorn = subprocess.Popen(  # noqa: S603 - the venv's gunicorn, fixed arguments
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--error-logfile",
                "-",
            ],
            cwd=ROOT,
            env=env,
            stdout=gunicorn_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us; we stop it ourselves
        )
        wait_ready(url, gunicorn)
        log(f"gunicorn ({args.workers} workers) op {url}")

        seq_before, rows_before = audit_state()
        prefix = OUT / f"locust-{args.users}u"
        tally_path = tmp / "tally.json"
        timeline_path = Path(f"{prefix}_timeline.csv")
        meta = {
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "started_epoch": time.time(),
            "cpus": os.cpu_count(),
            "loadavg_before": [round(x, 2) for x in os.getloadavg()],
            "host": platform.node(),
            "python": platform.python_version(),
        }
        locust_cmd = [
            str(BIN / "locust"),
            "-f",
            str(HERE / "locustfile.py"),
            "--headless",
            "-u",
            str(args.users),
            "-r",
            str(args.spawn_rate),
            "-t",
            args.time,
            "--host",
            url,
            "--csv",
            str(prefix),
            "--stop-timeout",
            "30",
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        log("locust: " + " ".join(locust_cmd[1:]))
        subprocess.run(  # noqa: S603 - the venv's locust, fixed arguments
            locust_cmd,
            cwd=ROOT,
            env=dict(
                os.environ,
                VK_LOAD_MANIFEST=str(manifest),
                VK_LOAD_TALLY=str(tally_path),
                VK_LOAD_TIMELINE=str(timeline_path),
                VK_LOAD_WAIT=args.wait,
            ),
            check=False,
        )
        meta["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
        meta["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        audit_actual = audit_rows_since(seq_before)
        chain = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "verify_audit_log"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        chain_ok = chain.returncode == 0
        log((chain.stdout or chain.stderr).strip().splitlines()[-1])
        stats, failures, exceptions = read_stats(prefix)
        tally = json.loads(tally_path.read_text())
        steady = after_ramp(timeline_path, tally.get("last_login_done_at"))
        if tally.get("last_login_done_at"):
            meta["ramp_seconds"] = round(tally["last_login_done_at"] - meta["started_epoch"], 1)
        table, passed, summary = report(
            args, meta, stats, failures, exceptions, tally, audit_actual, chain_ok, steady
        )
        print("\n" + table + "\n", flush=True)
        results = {
            "command": " ".join([".venv/bin/python", "bench/load/run.py", *sys.argv[1:]]),
            "settings": {
                "users": args.users,
                "spawn_rate": args.spawn_rate,
                "time": args.time,
                "think_time_s": args.wait,
                "gunicorn_workers": args.workers,
                "gunicorn_worker_class": "sync",
                "environment": "VK_ENVIRONMENT=production, HTTPS=false, DB_SET_ROLE=false, "
                f"app role {APP_ROLE}, medisch role {MEDISCH_ROLE}, REDIS_URL={REDIS_URL}",
            },
            "machine": meta,
            "audit_rows_before_run": rows_before,
            "pages": [s for s in stats if s["name"] != "Aggregated"],
            "aggregated": next((s for s in stats if s["name"] == "Aggregated"), None),
            **summary,
            "table": table.splitlines(),
        }
        Path(args.results).write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
        log(f"resultaten: {args.results}; CSV's en gunicorn-log in {OUT}")
        rc = 0 if passed else 1
    except KeyboardInterrupt:
        log("afgebroken")
        rc = 130
    finally:
        if gunicorn is not None and gunicorn.poll() is None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
                gunicorn.wait()
        if gunicorn_log is not None:
            gunicorn_log.close()
        if created_db:
            try:
                drop_database()
                log(f"database {DB_NAME} en rollen verwijderd")
            except Exception as error:  # report, keep cleaning up
                log(f"database verwijderen mislukt: {error}")
        if redis_was_empty:
            try:
                import redis

                redis.Redis.from_url(REDIS_URL).flushdb()
            except Exception as error:
                log(f"Redis db 5 legen mislukt: {error}")
        shutil.rmtree(tmp, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
