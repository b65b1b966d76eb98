"""The daily purge (RT-6) as a Celery task: acks_late and reject-on-worker-lost (DESIGN.md), so a
killed worker's run is redelivered; the purge itself is idempotent, so running it again is safe.

One purge at a time: a PostgreSQL advisory lock (session-level, on the default connection) is
taken for the whole run. A second delivery of the task while one still runs — the broker hands an
unacknowledged task out again after CELERY_VISIBILITY_TIMEOUT, or "Nu opschonen" is pressed
during the nightly run — waits and retries instead of purging beside it and doubling the counts.
Hence the workers connect to PostgreSQL directly, never through PgBouncer in transaction mode
(docker-compose.yml): behind DB_PGBOUNCER the task refuses to run.
"""

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from . import purge as purge_module
from .models import PurgeRun

# An arbitrary, fixed 64-bit key for pg_try_advisory_lock: "VKPURGE" in ASCII.
PURGE_LOCK_KEY = 0x564B5055524745
RETRY_SECONDS = 60


def _try_lock() -> bool:
    if settings.DB_PGBOUNCER:
        # Behind transaction pooling the lock would stay on a server connection another client
        # gets next, and the unlock could run on a different one: no lock at all.
        raise ImproperlyConfigured(
            "The purge needs a direct connection to PostgreSQL (its lock is session-level): run "
            "the Celery workers with DATABASE_URL to PostgreSQL itself and DB_PGBOUNCER=false."
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [PURGE_LOCK_KEY])
        return cursor.fetchone()[0]


def _unlock() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [PURGE_LOCK_KEY])


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
