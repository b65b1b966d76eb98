"""Fixtures shared by the Celery fault-injection tests (test_worker_killed.py,
test_broker_restart.py): the idempotent task's tables and the RT-1/RT-4 world a purge run works
through."""

from datetime import date

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.roles import Role
from medisch.models import Dossier, Keuring
from tests.reliability.support import owner_connection
from tests.reliability.worker_app import ATTEMPT_TABLE, EFFECT_TABLE
from tests.retention.builders import (
    dossier_with_document,
    employee,
    end_employment_on_model,
    keuring,
    sick,
    stored_files,
)
from verzuim.models import Werknemer, Ziekmelding


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
