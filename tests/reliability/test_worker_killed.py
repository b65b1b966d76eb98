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
import time
import uuid

import pytest
import redis
from django.conf import settings

from config.celery import app
from medisch.models import (
    Document,
    document_storage,
)
from retention.models import PurgeRun
from retention.purge import dry_run
from retention.tasks import purge_expired
from tests.reliability.support import (
    Worker,
    attempts_per_key,
    effects,
    in_flight_keys_since,
    last_attempt_id,
    owner_connection,
    queue_drained,
    subprocess_database_url,
    wait_for,
)
from tests.retention.builders import (
    stored_files,
)
from verzuim.models import Herstelmelding, Ziekmelding

pytestmark = pytest.mark.fault

TASKS = 200
KILLS = 3
VISIBILITY_TIMEOUT = 5  # seconds; production keeps kombu's default (an hour)
PURGE_PAUSE = 0.15  # seconds before each (one-root) purge batch in the worker
FINISH_TIMEOUT = 120
STEP_TIMEOUT = 60


@pytest.fixture
def broker():
    if not settings.BROKER_URL:
        # A missing service is a failure, never a skip: the test is the proof of redelivery.
        pytest.fail("needs Redis (REDIS_URL): kombu's filesystem transport has no redelivery")
    client = redis.Redis.from_url(settings.BROKER_URL)
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
        "BROKER_URL": settings.BROKER_URL,
        "VK_RELIABILITY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "VK_RELIABILITY_PURGE_PAUSE": str(PURGE_PAUSE),
    }
    env.pop("MEDISCH_DATABASE_URL", None)
    w = Worker(env, queue, tmp_path)
    try:
        yield w
    finally:
        w.stop()


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
        kills.append(("purge", in_flight_keys_since(conn, mark)))
        worker.kill()

        # Kills 2 and 3: while tasks are in flight, after 80 and 150 effects.
        for threshold in (80, 150):
            mark = last_attempt_id(conn)
            worker.start()

            def busy(threshold=threshold, mark=mark):
                if len(effects(conn)) < threshold:
                    return None
                return in_flight_keys_since(conn, mark)

            in_flight = wait_for(busy, STEP_TIMEOUT, f"{threshold} effects", worker)
            worker.kill()
            kills.append((f"{threshold} effects", in_flight))

        # Let it finish.
        worker.start()

        def finished():
            run_done = PurgeRun.objects.filter(pk=run.pk, finished_at__isnull=False).exists()
            return run_done and len(effects(conn)) == TASKS and queue_drained(client, queue)

        wait_for(finished, FINISH_TIMEOUT, "all tasks and the purge to finish", worker)
        worker.stop()

        done = effects(conn)
        attempts = attempts_per_key(conn)
    elapsed = time.monotonic() - started

    # Every task took effect exactly once (the key is unique; the set is complete).
    assert done == set(keys)
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
