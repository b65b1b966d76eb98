"""The daily purge (RT-6) as a Celery task: acks_late and reject-on-worker-lost (DESIGN.md), so a
killed worker's run is redelivered; the purge itself is idempotent, so running it again is safe.

One purge at a time: a PostgreSQL advisory lock (session-level, on the default connection) is
taken for the whole run. A second delivery of the task while one still runs — the broker hands an
unacknowledged task out again after CELERY_VISIBILITY_TIMEOUT, or "Nu opschonen" is pressed
during the nightly run — waits and retries instead of purging beside it and doubling the counts.
Hence the workers connect to PostgreSQL directly, never through PgBouncer in transaction mode
(docker-compose.yml): behind DB_PGBOUNCER the task refuses to run.

The nightly check of the stored dates (retention/drift.py, issue 24) runs before the purge, under
a lock of its own (the same helper, another key): a second delivery while one check runs is
dropped, not retried — the running check does the same work, and the next night's check again.
"""

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from . import drift
from . import purge as purge_module
from .models import DriftCheck, PurgeRun

# An arbitrary, fixed 64-bit key for pg_try_advisory_lock: "VKPURGE" in ASCII.
PURGE_LOCK_KEY = 0x564B5055524745
# The same for the check of the stored dates: "VKDRIFT".
DRIFT_LOCK_KEY = 0x564B4452494654
RETRY_SECONDS = 60


def _try_lock(key: int = PURGE_LOCK_KEY) -> bool:
    if settings.DB_PGBOUNCER:
        # Behind transaction pooling the lock would stay on a server connection another client
        # gets next, and the unlock could run on a different one: no lock at all.
        raise ImproperlyConfigured(
            "The purge needs a direct connection to PostgreSQL (its lock is session-level): run "
            "the Celery workers with DATABASE_URL to PostgreSQL itself and DB_PGBOUNCER=false."
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        return cursor.fetchone()[0]


def _unlock(key: int = PURGE_LOCK_KEY) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def purge_expired(self, run_id: int | None = None) -> dict:
    if not _try_lock():
        raise self.retry(countdown=RETRY_SECONDS)
    try:
        run = PurgeRun.objects.filter(pk=run_id).first() if run_id else None
        if run is None:
            run = PurgeRun.objects.create(task_id=self.request.id or "")
        run = purge_module.purge(run=run)
    finally:
        _unlock()
    return {"run": run.pk, "counts": run.counts}


def run_date_check() -> DriftCheck | None:
    """The check of the stored dates under its lock; None if another check holds it (the
    nightly task and `retention_report --check-dates` alike)."""
    if not _try_lock(DRIFT_LOCK_KEY):
        return None
    try:
        return drift.check_dates()
    finally:
        _unlock(DRIFT_LOCK_KEY)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def check_retention_dates() -> dict:
    """RT-6: recompute every stored retention date and repair the drift (retention/drift.py).
    Idempotent: a second run finds nothing to repair."""
    check = run_date_check()
    if check is None:
        return {"check": None, "skipped": True}
    return {"check": check.pk, "counts": check.counts}
