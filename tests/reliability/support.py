"""Helpers for the fault-injection tests (marker `fault`): a connection to the test
database as its owning login (outside the application roles, MD-2 layer 2), the database URL a
subprocess needs to reach the same test database, a fingerprint of every table's contents, and
for the Celery tests (test_worker_killed.py, test_broker_restart.py) a real worker subprocess,
a poll with a deadline and readers of the idempotent task's effect and attempt tables.
"""

import json
import os
import signal
import subprocess
import sys
import time
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.db import connections
from psycopg import sql

from tests.reliability.worker_app import ATTEMPT_TABLE, EFFECT_TABLE


def _settings_dict():
    return connections["default"].settings_dict


def subprocess_database_url() -> str:
    """The URL of the database pytest-django created (test_<name>), for a worker subprocess."""
    s = _settings_dict()
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{s['NAME']}"


def owner_connection() -> psycopg.Connection:
    """A fresh autocommit connection to the test database as the login itself (the owner of the
    tables; no SET ROLE), for schema work, fingerprints and terminating backends."""
    s = _settings_dict()
    return psycopg.connect(
        dbname=s["NAME"],
        user=s["USER"] or None,
        password=s.get("PASSWORD") or None,
        host=s.get("HOST") or None,
        port=s.get("PORT") or None,
        autocommit=True,
    )


def db_fingerprint() -> dict[str, str]:
    """table → md5 of all its rows (both aliases' tables, medical ones included): any insert,
    update or delete anywhere changes the fingerprint of that table."""
    with owner_connection() as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        result = {}
        for table in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                "FROM {} AS t"
            ).format(sql.Identifier(table))
            count, digest = conn.execute(query).fetchone()
            result[table] = f"{count}:{digest}"
        return result


def fingerprint_diff(before: dict, after: dict) -> dict:
    return {
        table: (before.get(table), after.get(table))
        for table in sorted(set(before) | set(after))
        if before.get(table) != after.get(table)
    }


def wait_for(predicate, timeout, what, worker=None):
    """Poll `predicate` until it returns something truthy; fail with `what` after `timeout`."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        if worker is not None:
            worker.check_alive()
        time.sleep(0.02)
    detail = f"\n--- worker log ---\n{worker.log_tail()}" if worker is not None else ""
    pytest.fail(f"timed out after {timeout}s waiting for {what}{detail}")


class Worker:
    """`celery worker` as a subprocess in its own process group (start_new_session), so one
    SIGKILL reaches the parent and every pool process at once."""

    def __init__(self, env, queue, log_dir):
        self.env, self.queue, self.log_dir = env, queue, log_dir
        self.proc = None
        self.generation = 0
        self.log_path = None

    def start(self):
        self.generation += 1
        self.log_path = self.log_dir / f"worker-{self.generation}.log"
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "tests.reliability.worker_app",
                    "worker",
                    "--pool=prefork",
                    "--concurrency=2",
                    f"--queues={self.queue}",
                    f"--hostname={self.queue}-{self.generation}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel=INFO",
                ],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def check_alive(self):
        if self.proc is not None and self.proc.poll() is not None:
            pytest.fail(
                f"worker exited on its own ({self.proc.returncode})\n{self.log_tail()}",
            )

    def kill(self):
        """SIGKILL the whole process group and wait until no process of it is left."""
        pgid = self.proc.pid
        os.killpg(pgid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        end = time.monotonic() + 10
        while time.monotonic() < end:
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.02)
        else:
            pytest.fail("pool processes survived the SIGKILL of their process group")
        self.proc = None

    def stop(self):
        """Warm shutdown (SIGTERM), SIGKILL if it does not finish in time. Always safe."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)
        self.proc = None

    def log_tail(self, chars=4000):
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")[-chars:]


def effects(conn) -> set:
    return {row[0] for row in conn.execute(f"SELECT task_key FROM {EFFECT_TABLE}")}  # noqa: S608


def in_flight_keys_since(conn, since_id) -> list:
    """Keys whose execution began in the current worker generation and has not taken effect."""
    return [
        row[0]
        for row in conn.execute(
            f"SELECT a.task_key FROM {ATTEMPT_TABLE} a WHERE a.id > %s AND NOT EXISTS "  # noqa: S608
            f"(SELECT 1 FROM {EFFECT_TABLE} e WHERE e.task_key = a.task_key)",
            [since_id],
        )
    ]


def last_attempt_id(conn) -> int:
    return conn.execute(f"SELECT coalesce(max(id), 0) FROM {ATTEMPT_TABLE}").fetchone()[0]  # noqa: S608


def queue_drained(client, queue) -> bool:
    if client.llen(queue):
        return False
    for payload in client.hvals("unacked"):
        try:
            if json.loads(payload)[2] == queue:
                return False
        except (ValueError, IndexError, TypeError):
            continue
    return True


def attempts_per_key(conn) -> dict[str, int]:
    """task key → how many executions began (one attempt row each)."""
    return dict(
        conn.execute(
            f"SELECT task_key, count(*) FROM {ATTEMPT_TABLE} GROUP BY task_key"  # noqa: S608
        ).fetchall()
    )
