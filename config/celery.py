"""The Celery app (DESIGN.md, Runtime): broker REDIS_URL, or the filesystem under ./var."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("verzuimkluis")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
