"""Fault injection (issue 7, item 4): a real Celery worker (prefork, 2 processes) is SIGKILLed —
its whole process group, parent and pool alike, as the OOM killer or a lost node would — three
times while it works through 200 idempotent tasks and the retention purge (RT-6), and restarted
each time. Nothing may be lost and nothing may take effect twice.

What makes that hold is the project's Celery settings (DESIGN.md, "Decisions that are easy to
get wrong"; LIBRARIES.md, Celery): acks_late (a message is acknowledged only after its task
finished, so a killed worker never acknowledged what it was doing), reject_on_worker_lost, a
prefetch of 1, and idempotent tasks. On Redis an unacknowledged message is handed out again after
the broker's visibility timeout (six hours by default); the subprocess shortens it to a few
seconds through tests/reliability/worker_app.py so the test can wait for the redelivery.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import date

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from accounts.roles import Role
from config.celery import app
from medisch.models import (
    Document,
    Dossier,
    Keuring,
    document_storage,
)
from retention.models import PurgeRun
from retention.purge import dry_run
from retention.tasks import purge_expired
from tests.reliability.support import owner_connection, subprocess_database_url
from tests.reliability.worker_app import ATTEMPT_TABLE, EFFECT_TABLE
from tests.retention.builders import (
    dossier_with_document,
    employee,
    end_employment_on_model,
    keuring,
    sick,
    stored_files,
)
from verzuim.models import Herstelmelding, Werknemer, Ziekmelding

pytestmark = pytest.mark.fault

TASKS = 200
KILLS = 3
VISIBILITY_TIMEOUT = 5  # seconds; production keeps kombu's default (an hour)
PURGE_PAUSE = 0.15  # seconds before each (one-root) purge batch in the worker
FINISH_TIMEOUT = 120
STEP_TIMEOUT = 60


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


@pytest.fixture
def effect_tables(transactional_db):
    """The idempotent task's effect table (unique key) and its attempt log, owned by the login
    and writable by the application role the worker's connections drop to (config/db_roles.py)."""
    role = settings.DB_APP_ROLE
    with owner_connection() as conn:
        conn.execute(f"DROP TABLE IF EXISTS {EFFECT_TABLE}, {ATTEMPT_TABLE}")
        conn.execute(f"CREATE TABLE {EFFECT_TABLE} (task_key text PRIMARY KEY)")
        conn.execute(
            f"CREATE TABLE {ATTEMPT_TABLE} (id bigserial PRIMARY KEY, task_key text NOT NULL, "
            "pid integer NOT NULL)"
        )
        conn.execute(f'GRANT SELECT, INSERT ON {EFFECT_TABLE}, {ATTEMPT_TABLE} TO "{role}"')
        conn.execute(f'GRANT USAGE ON SEQUENCE {ATTEMPT_TABLE}_id_seq TO "{role}"')
    yield
    with owner_connection() as conn:
        conn.execute(f"DROP TABLE IF EXISTS {EFFECT_TABLE}, {ATTEMPT_TABLE}")


@pytest.fixture
def broker():
    if not settings.REDIS_URL:
        # A missing service is a failure, never a skip: the test is the proof of redelivery.
        pytest.fail("needs Redis (REDIS_URL): kombu's filesystem transport has no redelivery")
    client = redis.Redis.from_url(settings.REDIS_URL)
    queue = f"reliability-{uuid.uuid4().hex[:12]}"  # ours alone, whoever shares the Redis db
    yield client, queue
    # Leave nothing behind: our queue and any unacknowledged message of it.
    client.delete(queue)
    for tag, payload in client.hgetall("unacked").items():
        try:
            routing_key = json.loads(payload)[2]
        except (ValueError, IndexError, TypeError):
            continue
        if routing_key == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


@pytest.fixture
def worker(broker, effect_tables, tmp_path, settings):
    _, queue = broker
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "VK_ENVIRONMENT": "test",
        "DATABASE_URL": subprocess_database_url(),
        "MEDICAL_FILES_ROOT": settings.MEDICAL_FILES_ROOT,
        "REDIS_URL": settings.REDIS_URL,
        "VK_RELIABILITY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "VK_RELIABILITY_PURGE_PAUSE": str(PURGE_PAUSE),
    }
    env.pop("MEDISCH_DATABASE_URL", None)
    w = Worker(env, queue, tmp_path)
    try:
        yield w
    finally:
        w.stop()


@pytest.fixture
def world(make_user, employer, settings, tmp_path):
    """RT-1/RT-4 data relative to today: expired — three ex-employees (employment ended in 2016)
    with their recovered 2015 case, two exams of 2019/2020 (6 months), two dossiers last changed
    in 2000/2001 with an encrypted file each (20 years); kept — an open case, today's exam,
    today's dossier with its file, and the employees whose old dossier goes."""
    settings.MEDICAL_FILES_ROOT = str(tmp_path / "medical-files")
    hr = make_user(Role.HR, device=False)
    doctor = make_user(Role.BEDRIJFSARTS, device=False)
    candidate = make_user(Role.WERKNEMER, organisation=employer, device=False)
    today = timezone.localdate()
    expired = {Ziekmelding: set(), Werknemer: set(), Keuring: set(), Dossier: set()}
    kept = {Ziekmelding: set(), Werknemer: set(), Keuring: set(), Dossier: set()}
    expired_files, kept_files = set(), set()
    for _ in range(3):
        leaver = employee(employer, employment_start=date(2014, 1, 1))
        zm = sick(hr, leaver, date(2015, 3, 2), recovered_on=date(2015, 4, 6))
        end_employment_on_model(leaver, date(2016, 6, 30))
        expired[Ziekmelding].add(zm.pk)
        expired[Werknemer].add(leaver.pk)
    for day in (date(2019, 2, 4), date(2020, 3, 2)):
        expired[Keuring].add(keuring(hr, candidate, day).pk)
    for day in (date(2000, 5, 8), date(2001, 9, 3)):
        patient = employee(employer)
        dossier, document = dossier_with_document(doctor, patient, day)
        expired[Dossier].add(dossier.pk)
        expired_files.add(document.file)
        kept[Werknemer].add(patient.pk)
    stayer = employee(employer, employment_start=date(2014, 1, 1))
    kept[Werknemer].add(stayer.pk)
    kept[Ziekmelding].add(sick(hr, stayer, date(2024, 3, 4)).pk)
    kept[Keuring].add(keuring(hr, candidate, today).pk)
    dossier, document = dossier_with_document(doctor, stayer, today)
    kept[Dossier].add(dossier.pk)
    kept_files.add(document.file)
    assert stored_files(settings.MEDICAL_FILES_ROOT) == expired_files | kept_files
    return {
        "expired": expired,
        "kept": kept,
        "kept_files": kept_files,
        "files_root": settings.MEDICAL_FILES_ROOT,
    }


def _effects(conn) -> set:
    return {row[0] for row in conn.execute(f"SELECT task_key FROM {EFFECT_TABLE}")}  # noqa: S608


def _in_flight(conn, since_id) -> list:
    """Keys whose execution began in the current worker generation and has not taken effect."""
    return [
        row[0]
        for row in conn.execute(
            f"SELECT a.task_key FROM {ATTEMPT_TABLE} a WHERE a.id > %s AND NOT EXISTS "  # noqa: S608
            f"(SELECT 1 FROM {EFFECT_TABLE} e WHERE e.task_key = a.task_key)",
            [since_id],
        )
    ]


def _last_attempt_id(conn) -> int:
    return conn.execute(f"SELECT coalesce(max(id), 0) FROM {ATTEMPT_TABLE}").fetchone()[0]  # noqa: S608


def _queue_drained(client, queue) -> bool:
    if client.llen(queue):
        return False
    for payload in client.hvals("unacked"):
        try:
            if json.loads(payload)[2] == queue:
                return False
        except (ValueError, IndexError, TypeError):
            continue
    return True


def test_worker_sigkilled_three_times_loses_nothing_and_duplicates_nothing(world, worker, broker):
    """RT-6 (the purge is idempotent and safe to kill and re-run) and DESIGN.md's Celery rules
    (acks_late + task_reject_on_worker_lost, idempotent tasks): 200 idempotent tasks and a purge
    run survive three SIGKILLs of the worker's process group — the first one lands in the middle
    of the purge run, the others while tasks are in flight. Afterwards every task took effect
    exactly once, the in-flight ones were redelivered, the purge run finished with exactly the
    expected counts, nothing expired survived, nothing unexpired was removed, and no encrypted
    file is left without its row (or row without its file)."""
    client, queue = broker
    started = time.monotonic()
    expected_counts = {row.key: row.count for row in dry_run() if row.count}
    assert expected_counts == {
        "verzuim.ziekmelding": 3,
        "verzuim.werknemer": 3,
        "medisch.keuring": 2,
        "medisch.dossier": 2,
    }
    run = PurgeRun.objects.create()
    purge_expired.apply_async(args=[run.pk], queue=queue)
    keys = [f"task-{i:03d}" for i in range(TASKS)]
    for key in keys:
        app.send_task("reliability.record_effect", args=[key], queue=queue)

    kills = []  # (what was going on, keys in flight)
    with owner_connection() as conn:
        # Kill 1: in the middle of the purge run (some batches done, the run not finished).
        worker.start()
        mark = 0

        def purge_half_done():
            state = PurgeRun.objects.filter(pk=run.pk).values("done", "total", "finished_at")[0]
            return state["finished_at"] is None and 0 < state["done"] < state["total"]

        wait_for(purge_half_done, STEP_TIMEOUT, "the purge run to be half done", worker)
        done_at_kill = PurgeRun.objects.get(pk=run.pk).done
        kills.append(("purge", _in_flight(conn, mark)))
        worker.kill()

        # Kills 2 and 3: while tasks are in flight, after 80 and 150 effects.
        for threshold in (80, 150):
            mark = _last_attempt_id(conn)
            worker.start()

            def busy(threshold=threshold, mark=mark):
                if len(_effects(conn)) < threshold:
                    return None
                return _in_flight(conn, mark)

            in_flight = wait_for(busy, STEP_TIMEOUT, f"{threshold} effects", worker)
            worker.kill()
            kills.append((f"{threshold} effects", in_flight))

        # Let it finish.
        worker.start()

        def finished():
            run_done = PurgeRun.objects.filter(pk=run.pk, finished_at__isnull=False).exists()
            return run_done and len(_effects(conn)) == TASKS and _queue_drained(client, queue)

        wait_for(finished, FINISH_TIMEOUT, "all tasks and the purge to finish", worker)
        worker.stop()

        effects = _effects(conn)
        attempts = dict(
            conn.execute(
                f"SELECT task_key, count(*) FROM {ATTEMPT_TABLE} GROUP BY task_key"  # noqa: S608
            ).fetchall()
        )
    elapsed = time.monotonic() - started

    # Every task took effect exactly once (the key is unique; the set is complete).
    assert effects == set(keys)
    assert set(attempts) == set(keys)
    # The kills hit work in progress: what was in flight ran again after the redelivery.
    assert len(kills) == KILLS
    in_flight_keys = {key for _, keys_ in kills for key in keys_}
    assert in_flight_keys, kills
    assert any(attempts[key] >= 2 for key in in_flight_keys), (kills, attempts)
    redelivered = sum(n - 1 for n in attempts.values())

    # RT-6: the interrupted run was redelivered and finished; its counts are exact (no batch
    # counted twice, none lost), and it had done part of the work before the kill.
    run.refresh_from_db()
    assert 0 < done_at_kill < sum(expected_counts.values())
    assert run.finished_at is not None
    assert run.counts == expected_counts
    for model, pks in world["expired"].items():
        assert not model._default_manager.filter(pk__in=pks).exists(), model.__name__
    for model, pks in world["kept"].items():
        assert set(model._default_manager.filter(pk__in=pks).values_list("pk", flat=True)) == pks
    assert not Herstelmelding.objects.filter(
        ziekmelding_id__in=world["expired"][Ziekmelding]
    ).exists()
    # No orphan files, no row without its file.
    in_rows = set(Document.objects.values_list("file", flat=True))
    assert stored_files(world["files_root"]) == in_rows == world["kept_files"]
    assert all(document_storage().exists(name) for name in in_rows)

    print(
        f"\n{TASKS} tasks + 1 purge run, {KILLS} SIGKILLs ({', '.join(k for k, _ in kills)}), "
        f"{len(in_flight_keys)} task(s) in flight at a kill, {redelivered} extra execution(s), "
        f"purge killed after {done_at_kill} of {sum(expected_counts.values())} roots, "
        f"{elapsed:.1f}s"
    )
