"""Backup and restore (issue 22, item 4; docs/backup.md): deploy/backup.sh writes a set from a
database with a sick case, a medical dossier (an encrypted consult and document) and a chained
audit log; deploy/restore.sh puts it into a fresh database and files folder. Proven here:

- SE-7: the restored audit log's hash chain verifies (`verify_audit_log`, run by restore.sh),
  row for row the source's sequence numbers and hashes;
- MD-3: the set holds the medical content only encrypted and never a key; a backup is refused
  when its key file would end up inside it; with the keys the consult and the document decrypt
  to what was written, without them (another key, or a key ring without that id) they do not —
  the medical fields and files are what is lost without the keys;
- MD-2: after the restore the database's own separation holds again (`migrate` re-applies the
  roles' privileges, the audit functions' EXECUTE for PUBLIC included);
- RT-1, RT-4, RT-6: the retention dates (`keep_until`) of the restored rows are the source's.

pg_dump and the scripts run as subprocesses against the test database, so the data is committed
(transaction=True); the target database is made and dropped here.
"""

import base64
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import uuid
from datetime import date
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

from accounts.roles import Role
from encryption.crypto import KEY_FILE_ENV, KEYS_ENV, reset_keys_cache
from privacy import audit
from tests.reliability.support import owner_connection, subprocess_database_url
from tests.retention.builders import PDF, dossier_with_document, employee, end_employment_on_model
from tests.retention.builders import sick as sick_case

DEPLOY = Path(settings.BASE_DIR) / "deploy"
KEY_ID = "bk1"
ANAMNESIS = "Synthetische anamnese."  # what tests.retention.builders writes into the consult
KEEP_UNTIL_TABLES = ("verzuim_werknemer", "verzuim_ziekmelding", "medisch_dossier")

# Runs against the restored database with the environment it is given: each medical value
# decrypted, or the name of the error that stopped it.
DECRYPT = """
import hashlib, json
import django
django.setup()
from medisch.models import Consult, Document, document_storage

def attempt(read):
    try:
        return read()
    except Exception as exc:
        return "error: " + type(exc).__name__

# The encrypted fields decrypt as a row loads; the file name is plain, the file is not.
name = Document.objects.values_list("file", flat=True).get()
print(json.dumps({
    "anamnesis": attempt(lambda: Consult.objects.get().anamnesis),
    "document_sha256": attempt(
        lambda: hashlib.sha256(document_storage().open(name).read()).hexdigest()
    ),
}))
"""


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")


@pytest.fixture
def key(monkeypatch):
    """One known key (id bk1) for this process and every subprocess."""
    material = new_key()
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)
    monkeypatch.setenv(KEYS_ENV, f"{KEY_ID}:{material}")
    reset_keys_cache()
    yield material
    reset_keys_cache()


@pytest.fixture
def target_database():
    """An empty database beside the test database (the same cluster and login), dropped after."""
    name = f"vk_backup_restore_{uuid.uuid4().hex[:10]}"
    with owner_connection() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    source = subprocess_database_url()
    try:
        yield source.rsplit("/", 1)[0] + "/" + name
    finally:
        with owner_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(script, env, *args):
    return subprocess.run(
        [str(DEPLOY / script), *map(str, args)],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def rows(url, sql):
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


def keep_until_of(url):
    """table → [(id, keep_until)] of the roots whose retention dates the restore must keep."""
    with psycopg.connect(url) as conn:
        return {
            table: conn.execute(
                sql.SQL("SELECT id, keep_until FROM {} ORDER BY id").format(sql.Identifier(table))
            ).fetchall()
            for table in KEEP_UNTIL_TABLES
        }


def decrypted(env):
    result = subprocess.run(
        [sys.executable, "-c", DECRYPT],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True, databases=["default", "medisch"])
def test_backup_restores_into_a_fresh_database_with_chain_keys_and_dates_intact(
    key, target_database, make_user, employer, settings, tmp_path
):
    """SE-7, MD-3, MD-2, RT-1, RT-4, RT-6: a backup set restores into a fresh database and
    folder; the audit chain verifies, the medical data decrypts with the keys and only with
    them, the set holds no key and no medical plaintext, the retention dates are the source's."""
    source_files = tmp_path / "source-files"
    settings.MEDICAL_FILES_ROOT = str(source_files)
    hr = make_user(Role.HR, device=False)
    doctor = make_user(Role.BEDRIJFSARTS, device=False)
    werknemer = employee(employer, employment_start=date(2019, 1, 1))
    sick_case(hr, werknemer, date(2024, 3, 4), recovered_on=date(2024, 4, 15))
    end_employment_on_model(werknemer, date(2025, 6, 30))
    _dossier, document = dossier_with_document(doctor, werknemer, date(2024, 3, 11))
    audit.chain_pending()
    source = subprocess_database_url()
    source_chain = rows(source, "SELECT seq, hash FROM privacy_auditevent ORDER BY seq")
    assert len(source_chain) >= 3 and all(hash_ for _seq, hash_ in source_chain)
    source_dates = keep_until_of(source)
    assert all(dates and all(d for _id, d in dates) for dates in source_dates.values())

    # The backup.
    env = {**os.environ, "VK_ENVIRONMENT": "test", KEYS_ENV: f"{KEY_ID}:{key}"}
    env.pop(KEY_FILE_ENV, None)
    backup_dir = tmp_path / "backups"
    made = run(
        "backup.sh",
        {
            **env,
            "DATABASE_URL": source,
            "MEDICAL_FILES_ROOT": source_files,
            "BACKUP_DIR": backup_dir,
        },
    )
    assert made.returncode == 0, made.stderr
    backup_set = Path(made.stdout.strip().splitlines()[-1])
    assert sorted(p.name for p in backup_set.iterdir()) == [
        "database.dump",
        "manifest.txt",
        "medical-files.tar",
    ]
    manifest = (backup_set / "manifest.txt").read_text()
    assert f"key_ids_configured: {KEY_ID}\n" in manifest
    assert f"files_by_key: {KEY_ID}=1\n" in manifest
    for name in ("database.dump", "medical-files.tar"):
        digest = hashlib.sha256((backup_set / name).read_bytes()).hexdigest()
        assert f"{digest}  {name}\n" in manifest

    # MD-3: no key anywhere in the set, the medical content only encrypted.
    sql_text = subprocess.run(
        ["pg_restore", "--file=-", str(backup_set / "database.dump")],
        capture_output=True,
        check=True,
    ).stdout
    tar_bytes = (backup_set / "medical-files.tar").read_bytes()
    for artefact in (sql_text, tar_bytes, manifest.encode()):
        assert key.encode() not in artefact
    assert ANAMNESIS.encode() not in sql_text
    assert PDF not in tar_bytes
    with tarfile.open(backup_set / "medical-files.tar") as tar:
        assert [m.name for m in tar.getmembers() if m.isfile()] == [f"./{document.file}"]

    # The restore into an empty database and folder.
    restored_files = tmp_path / "restored-files"
    restore_env = {
        **env,
        "DATABASE_URL": target_database,
        "MEDISCH_DATABASE_URL": target_database,
        "MEDICAL_FILES_ROOT": str(restored_files),
        "PYTHON": sys.executable,
    }
    restored = run("restore.sh", restore_env, backup_set)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    # SE-7: verify_audit_log (the last step of restore.sh) passed over every row...
    assert f"Auditlog intact: {len(source_chain)} regels gecontroleerd." in restored.stdout
    # ...and the chain is the source's, row for row.
    assert rows(target_database, "SELECT seq, hash FROM privacy_auditevent ORDER BY seq") == (
        source_chain
    )
    # RT-1, RT-4, RT-6: the retention dates came along unchanged.
    assert keep_until_of(target_database) == source_dates

    # MD-2: the roles' privileges are back (restored without the source's grants).
    app_role, med_role = settings.DB_APP_ROLE, settings.DB_MEDISCH_ROLE
    [privileges] = rows(
        target_database,
        f"SELECT has_table_privilege('{app_role}', 'medisch_consult', 'SELECT'), "
        f"has_table_privilege('{med_role}', 'medisch_consult', 'SELECT'), "
        f"has_table_privilege('{app_role}', 'privacy_auditevent', 'DELETE'), "
        f"has_function_privilege('{app_role}', "
        "'privacy_audit_drop_partition(text, integer)', 'EXECUTE'), "
        f"has_function_privilege('{med_role}', "
        "'privacy_audit_drop_partition(text, integer)', 'EXECUTE')",
    )
    assert privileges == (False, True, False, True, False)

    # MD-3: with the key, the consult and the document decrypt to what was written...
    assert decrypted(restore_env) == {
        "anamnesis": ANAMNESIS,
        "document_sha256": hashlib.sha256(PDF).hexdigest(),
    }
    # ...without it nothing medical does: another key under the same id, or no key with that id.
    lost = {"anamnesis": "error: DecryptionError", "document_sha256": "error: DecryptionError"}
    assert decrypted({**restore_env, KEYS_ENV: f"{KEY_ID}:{new_key()}"}) == lost
    assert decrypted({**restore_env, KEYS_ENV: f"other:{new_key()}"}) == lost


@pytest.mark.parametrize("inside", ["BACKUP_DIR", "MEDICAL_FILES_ROOT"])
def test_backup_refuses_a_key_file_inside_the_backup(inside, tmp_path):
    """MD-3: the key is never stored with what it protects: backup.sh refuses to start when the
    key file lies inside the backup folder or the medical files folder, and writes nothing."""
    folders = {"BACKUP_DIR": tmp_path / "backups", "MEDICAL_FILES_ROOT": tmp_path / "files"}
    for folder in folders.values():
        folder.mkdir()
    key_file = folders[inside] / "keys" / "medical.keys"
    key_file.parent.mkdir()
    key_file.write_text(f"{KEY_ID}:{new_key()}\n")
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/never_reached",
        **{name: str(path) for name, path in folders.items()},
        KEY_FILE_ENV: str(key_file),
    }
    env.pop(KEYS_ENV, None)
    result = run("backup.sh", env)
    assert result.returncode == 1
    assert "refused: the key file lies inside" in result.stderr
    assert list(folders["BACKUP_DIR"].iterdir()) == (
        [key_file.parent] if inside == "BACKUP_DIR" else []
    )
