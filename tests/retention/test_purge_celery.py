"""RT-6: the daily purge as it runs in production — retention.tasks.purge_expired on a real Celery
worker over the real broker (Redis in CI), on committed data (transactional database, as in
tests/accounts/test_celery.py). Expired records of several categories go, the encrypted document
file with its dossier, unexpired ones stay, and the PurgeRun the task was given ends finished
with its counts; queued again, the task removes nothing."""

from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker
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
from retention.tasks import purge_expired
from tests.retention.builders import (
    dossier_with_document,
    employee,
    end_employment_on_model,
    keuring,
    sick,
    stored_files,
)
from verzuim.models import Herstelmelding, Werknemer, Ziekmelding


@pytest.fixture(scope="module")
def celery_worker():
    app.loader.import_module("celery.contrib.testing.tasks")
    with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=10) as worker:
        yield worker


def test_purge_task_is_on_the_beat_schedule():
    """RT-6: the purge is a periodic job."""
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert purge_expired.name in tasks


@pytest.mark.django_db(transaction=True)
def test_rt6_worker_purges_expired_records_and_finishes_the_run(
    celery_worker, make_user, employer, settings, tmp_path
):
    """RT-1, RT-4, RT-6 through the worker: an ex-employee's case (employment ended in 2016,
    kept until 2018), an exam of 2019 (6 months) and a dossier last changed in 2000 (20 years)
    are removed — the dossier's encrypted file too; a current employee's open case, a recent
    exam and a recent dossier stay."""
    files_root = tmp_path / "medical-files"
    settings.MEDICAL_FILES_ROOT = str(files_root)
    hr = make_user(Role.HR, device=False)
    doctor = make_user(Role.BEDRIJFSARTS, device=False)
    candidate = make_user(Role.WERKNEMER, organisation=employer, device=False)
    today = timezone.localdate()

    leaver = employee(employer, employment_start=date(2014, 1, 1))
    old_case = sick(hr, leaver, date(2015, 3, 2), recovered_on=date(2015, 4, 6))
    end_employment_on_model(leaver, date(2016, 6, 30))
    old_exam = keuring(hr, candidate, date(2019, 2, 4))
    patient = employee(employer)
    old_dossier, old_document = dossier_with_document(doctor, patient, date(2000, 5, 8))

    stayer = employee(employer, employment_start=date(2014, 1, 1))
    open_case = sick(hr, stayer, date(2024, 3, 4))
    new_exam = keuring(hr, candidate, today)
    new_dossier, new_document = dossier_with_document(doctor, stayer, today)
    assert stored_files(files_root) == {old_document.file, new_document.file}

    run = PurgeRun.objects.create()
    result = purge_expired.delay(run.pk).get(timeout=60)

    run.refresh_from_db()
    assert run.finished_at is not None
    assert run.counts == {
        "verzuim.ziekmelding": 1,
        "verzuim.werknemer": 1,
        "medisch.keuring": 1,
        "medisch.dossier": 1,
    }
    assert result == {"run": run.pk, "counts": run.counts}
    assert PurgeRun.objects.count() == 1  # the task used the run it was given
    for model, pk in (
        (Ziekmelding, old_case.pk),
        (Werknemer, leaver.pk),
        (Keuring, old_exam.pk),
        (Dossier, old_dossier.pk),
        (Document, old_document.pk),
    ):
        assert not model._default_manager.filter(pk=pk).exists(), model.__name__
    assert not Herstelmelding.objects.filter(ziekmelding_id=old_case.pk).exists()
    for model, pk in (
        (Ziekmelding, open_case.pk),
        (Werknemer, stayer.pk),
        (Werknemer, patient.pk),
        (Keuring, new_exam.pk),
        (Dossier, new_dossier.pk),
        (Document, new_document.pk),
    ):
        assert model._default_manager.filter(pk=pk).exists(), model.__name__
    assert not document_storage().exists(old_document.file)
    assert stored_files(files_root) == {new_document.file}

    # Idempotent: queued again (a redelivery, or tomorrow's run), it finds nothing to remove.
    again = purge_expired.delay().get(timeout=60)
    assert again["counts"] == {}
    assert PurgeRun.objects.get(pk=again["run"]).finished_at is not None
