"""The Celery app (DESIGN.md, Runtime): broker BROKER_URL (else REDIS_URL), or files in ./var."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("verzuimkluis")


@app.on_after_configure.connect
def make_filesystem_folders(sender, source, **kwargs):
    """Without REDIS_URL kombu's filesystem transport and Celery's file result backend need
    their folders (var/celery/, config/settings.py): made when Celery is first configured in a
    process (a worker starting, a page sending its first task), not when settings are imported."""
    folders = []
    if source.broker_url.startswith("filesystem://"):
        folders += [
            value
            for name, value in source.broker_transport_options.items()
            if name.endswith("_folder") or name.startswith("data_folder")
        ]
    if str(source.result_backend).startswith("file://"):
        folders.append(source.result_backend.removeprefix("file://"))
    for folder in folders:
        Path(folder).mkdir(parents=True, exist_ok=True)


app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
