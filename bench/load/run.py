"""One-command load test (issue 7, item 3; not part of CI). See bench/README.md, "Load".

    .venv/bin/python bench/load/run.py                       # full: 50 users, 5 minutes
    .venv/bin/python bench/load/run.py --users 5 --time 30s  # smoke
    .venv/bin/python bench/load/run.py --profile             # query counts per page, no load

1. A fresh PostgreSQL database `vk_load` on 127.0.0.1:5432 (user postgres, trust auth) with the
   roles set up as in production (config/db_roles.py): the application logs in as its own role
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
import fcntl
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# After the path setup (this file runs as a script): database, roles, environment, gunicorn.
from bench import common, web  # noqa: E402
from bench.load.report import after_ramp, read_stats, report  # noqa: E402

HERE = ROOT / "bench" / "load"
OUT = HERE / "out"
DB_NAME = "vk_load"
APP_ROLE, MEDISCH_ROLE = common.role_names(DB_NAME)  # vk_load_app, vk_load_medisch
REDIS_URL = "redis://127.0.0.1:6379/5"


def log(message):
    print(f"[load {datetime.now():%H:%M:%S}] {message}", flush=True)


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


def audit_state():
    rows = common.pg(
        "SELECT coalesce(max(seq), 0), count(*) FROM privacy_auditevent", db=DB_NAME, fetch=True
    )
    return rows[0]


def audit_rows_since(seq):
    return common.pg(
        "SELECT object_type, action, count(*) FROM privacy_auditevent WHERE seq > %s "
        "GROUP BY object_type, action ORDER BY 1, 2",
        [seq],
        db=DB_NAME,
        fetch=True,
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
    port = args.port or web.free_port()
    url = f"http://127.0.0.1:{port}"
    gunicorn = None
    gunicorn_log = None
    created_db = False
    redis_was_empty = False
    rc = 1
    try:
        r = redis.Redis.from_url(REDIS_URL)
        redis_was_empty = r.dbsize() == 0
        if not redis_was_empty:
            log(f"let op: Redis db 5 is niet leeg ({r.dbsize()} sleutels); wordt niet geleegd")

        t0 = time.monotonic()
        log(f"database {DB_NAME} en rollen {APP_ROLE}/{MEDISCH_ROLE} aanmaken")
        created_db = True
        create_database()
        owner = app_env(tmp, owner=True)
        common.migrate(owner)
        env = app_env(tmp)
        common.manage(env, "collectstatic", "--no-input", "-v", "0")
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
        gunicorn = web.start_gunicorn(env, port, args.workers, gunicorn_log)
        web.wait_ready(
            url,
            gunicorn,
            request_timeout=5,
            stopped=f"gunicorn stopte meteen (exit {{code}}); zie {OUT}",
            silent="gunicorn antwoordt niet op /account/login/",
        )
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
            str(web.BIN / "locust"),
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
        web.stop_gunicorn(gunicorn)
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
                redis.Redis.from_url(REDIS_URL).flushdb()
            except Exception as error:
                log(f"Redis db 5 legen mislukt: {error}")
        shutil.rmtree(tmp, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
