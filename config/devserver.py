"""`make run`: embedded PostgreSQL, migrate, seed_demo, then web + Celery worker + beat, all
stopped together on Ctrl-C. With DATABASE_URL / REDIS_URL set it uses those instead.

A small supervisor rather than honcho/foreman: it must also own the embedded database's
lifecycle, which those tools cannot.
"""

import os
import signal
import subprocess
import sys
import time

from config import embedded_db

PY = sys.executable


def main() -> int:
    env = dict(os.environ)
    env.setdefault("VK_ENVIRONMENT", "development")
    embedded = not env.get("DATABASE_URL")
    if embedded:
        print("Ingebouwde PostgreSQL starten in ./var/pgdata …", flush=True)
        env["DATABASE_URL"] = embedded_db.start()
    # Settings read DATABASE_URL; children must not start their own embedded server.
    env["VK_EMBEDDED_DATABASE"] = "1" if embedded else "0"

    def manage(*args):
        subprocess.run([PY, "manage.py", *args], env=env, check=True)

    manage("migrate", "--no-input", "-v", "0")
    manage("createcachetable")
    manage("seed_demo")
    port = env.get("PORT", "8000")
    # runserver serves each HTTP connection in a thread of its own, as many as there are clients;
    # the database pool (DB_POOL, config/settings.py) keeps it, and the worker, within
    # DB_POOL_MAX_SIZE connections per alias of the embedded server's 100 (issue 15, item 7).
    procs = [
        subprocess.Popen(
            [PY, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"], env=env
        ),
        subprocess.Popen(
            [
                PY,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-B",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "-s",
                "var/celerybeat-schedule",
            ],
            env=env,
        ),
    ]
    print(f"\nVerzuimkluis draait op http://127.0.0.1:{port}/  (Ctrl-C stopt alles)\n", flush=True)
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping and all(p.poll() is None for p in procs):
            time.sleep(0.5)
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        if embedded:
            print("Ingebouwde PostgreSQL stoppen …", flush=True)
            embedded_db.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
