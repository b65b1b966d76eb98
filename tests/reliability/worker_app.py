"""The Celery app the fault-injection worker subprocess runs (`celery -A tests.reliability.
worker_app worker`): the project's own app (config.celery, its settings: acks_late,
reject_on_worker_lost, prefetch 1) plus

- `reliability.record_effect`, a test-only idempotent task whose effect is a row keyed by the
  task's key (INSERT ... ON CONFLICT DO NOTHING) and whose every execution leaves an attempt row,
  so a test can tell "ran twice" from "took effect twice";
- from the environment, short Redis redelivery timings (a SIGKILLed worker never acks; Redis
  hands its unacked messages out again only after the visibility timeout, six hours by default)
  and an optional slowed-down purge (one root per batch with a pause) so a kill can land in the
  middle of a run.

Only the subprocess imports this module; the test process sends by task name.
"""

import os
import time

from celery.signals import worker_process_init
from django.db import connection

from config.celery import app

EFFECT_TABLE = "reliability_effect"
ATTEMPT_TABLE = "reliability_attempt"

_visibility = os.environ.get("VK_RELIABILITY_VISIBILITY_TIMEOUT")
if _visibility:
    app.conf.broker_transport_options = {
        **(app.conf.broker_transport_options or {}),
        "visibility_timeout": float(_visibility),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }


@app.task(name="reliability.record_effect", acks_late=True, reject_on_worker_lost=True)
def record_effect(key: str, hold: float = 0.05) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ATTEMPT_TABLE} (task_key, pid) VALUES (%s, %s)",  # noqa: S608
            [key, os.getpid()],
        )
    time.sleep(hold)  # the window in which a kill finds the task in flight
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {EFFECT_TABLE} (task_key) VALUES (%s) ON CONFLICT DO NOTHING",  # noqa: S608
            [key],
        )


def _slow_purge(pause: float) -> None:
    from retention import purge as purge_module

    original = purge_module._expired_ids

    def one_at_a_time(cat, today, leaving=None, limit=None):
        if limit is not None:  # the purge loop's batch query (dry_run passes no limit)
            time.sleep(pause)
            limit = 1
        return original(cat, today, leaving, limit)

    purge_module._expired_ids = one_at_a_time


@worker_process_init.connect
def _install_slow_purge(**kwargs):
    """In each pool process (Django is set up by then): the slowed-down purge, if asked for."""
    pause = os.environ.get("VK_RELIABILITY_PURGE_PAUSE")
    if pause:
        _slow_purge(float(pause))
