"""The daily purge (RT-6) as a Celery task: acks_late and reject-on-worker-lost (DESIGN.md), so a
killed worker's run is redelivered; the purge itself is idempotent, so running it again is safe.
"""

from celery import shared_task

from . import purge as purge_module
from .models import PurgeRun


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def purge_expired(self, run_id: int | None = None) -> dict:
    run = PurgeRun.objects.filter(pk=run_id).first() if run_id else None
    if run is None:
        run = PurgeRun.objects.create(task_id=self.request.id or "")
    run = purge_module.purge(run=run)
    return {"run": run.pk, "counts": run.counts}
