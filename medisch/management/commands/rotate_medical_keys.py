"""`rotate_medical_keys`: re-encrypt medical data still on an old key (MD-3, DESIGN.md layer 3).

Procedure: put the new key first in MEDICAL_ENCRYPTION_KEYS (`new:...,old:...`) and deploy, so
new writes use it; run this command (again after an interruption - it resumes); when it reports
nothing left on the old key, remove the old key.

What it does
- Text: every model with EncryptedTextField columns (see below). Rows whose stored token
  is on another key than the active one are selected with raw SQL (the ORM would decrypt), in
  primary-key order, `--batch-size` rows per transaction, each re-encrypted value written with
  a compare-and-swap UPDATE (`WHERE pk = %s AND col = <old token>`), so a concurrent save is
  never overwritten. Raw SQL also leaves other columns (updated_at, and thereby retention
  dates), signals and history untouched. Rows already on the active key are not selected, so a
  re-run after an interruption continues where it stopped and a completed rotation re-encrypts
  nothing (idempotent).
- Files: every EncryptedFileSystemStorage (the default one under MEDICAL_FILES_ROOT, plus any
  used by a FileField of a `medisch` model): each file on an old key is decrypted and replaced
  atomically (temporary file + rename) by a blob under the active key, same name, same AAD.

Every app's encrypted columns, not only the medical ones: the same keys (encryption/crypto.py)
encrypt doelgroep's BSN column (DG-2), each table read and written through its own alias. (The
command's name is historical: until 2026-12 it skipped the BSN, so removing an old key after a
rotation would have left BSNs unreadable.)

Nothing medical is printed: only model labels, counts, key ids and primary keys of rows that
failed. A value whose key is no longer configured, or that fails authentication, is reported
and the command exits with an error after finishing the rest.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, router, transaction
from django.db.models import FileField

from encryption.crypto import (
    VERSION,
    DecryptionError,
    active_key_id,
    decrypt,
    decrypt_bytes,
    encrypt,
    encrypt_bytes,
    token_key_id,
)
from encryption.fields import EncryptedTextField
from medisch.storage import EncryptedFileSystemStorage

TMP_SUFFIX = ".rotating"


@dataclass
class Result:
    """Outcome for one model or one file storage."""

    label: str
    stale: int = 0  # rows/files on an old key when the run started
    rotated: int = 0
    by_key: Counter = field(default_factory=Counter)  # old key id -> values (dry run)
    concurrent: int = 0  # rows changed by someone else meanwhile (left for the next run)
    failures: list[str] = field(default_factory=list)
    unencrypted: int = 0  # files without a v1 header (should not exist)
    interrupted: bool = False


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def encrypted_fields(model) -> list[EncryptedTextField]:
    return [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)]


def encrypted_models() -> list:
    """Concrete models of every app with columns under these keys: the medical ones and
    doelgroep's BSN (DG-2) — a key removed after a rotation must leave nothing unreadable.
    Each is read and written on its own alias (the router), so no role reaches another's table."""
    return [
        model for model in apps.get_models() if not model._meta.proxy and encrypted_fields(model)
    ]


def medical_storages(models=None) -> list[EncryptedFileSystemStorage]:
    """The default encrypted storage plus any a medisch FileField uses, one per location."""
    found: dict[str, EncryptedFileSystemStorage] = {}
    default = EncryptedFileSystemStorage()
    found[default.location] = default
    for model in apps.get_app_config("medisch").get_models() if models is None else models:
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, FileField) and isinstance(
                model_field.storage, EncryptedFileSystemStorage
            ):
                found.setdefault(model_field.storage.location, model_field.storage)
    return list(found.values())


class _Budget:
    """Stops a run after max_batches batches (an interruption on purpose; tests, ops)."""

    def __init__(self, max_batches: int | None):
        self.left = max_batches

    def take(self) -> bool:
        if self.left is None:
            return True
        if self.left <= 0:
            return False
        self.left -= 1
        return True


def _rotate_model(model, *, batch_size, dry_run, stdout, budget, active) -> Result:
    meta = model._meta
    result = Result(label=meta.label_lower)
    fields = encrypted_fields(model)
    alias = router.db_for_write(model)
    connection = connections[alias]
    q = connection.ops.quote_name
    table, pk = q(meta.db_table), q(meta.pk.column)
    columns = [q(f.column) for f in fields]
    active_prefix = f"{VERSION}:{active}:%"  # key ids are [a-z0-9]: no LIKE wildcards
    stale_sql = " OR ".join(f"({c} IS NOT NULL AND {c} NOT LIKE %s)" for c in columns)
    stale_params = [active_prefix] * len(columns)

    with connection.cursor() as cursor:
        # nosemgrep: vk-raw-sql-formatted — quote_name'd model metadata only
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {stale_sql}", stale_params)  # noqa: S608  # nosec B608 — quoted model metadata (quote_name); values are parameters
        result.stale = cursor.fetchone()[0]
    if not result.stale:
        _say(stdout, f"{result.label}: 0 rijen op een oude sleutel")
        return result

    last_pk = None
    processed = 0
    while True:
        if not budget.take():
            result.interrupted = True
            break
        after = "" if last_pk is None else f"{pk} > %s AND "
        params = ([] if last_pk is None else [last_pk]) + stale_params + [batch_size]
        select = (
            f"SELECT {pk}, {', '.join(columns)} FROM {table} "  # noqa: S608  # nosec B608 — quoted model metadata (quote_name); values are parameters
            f"WHERE {after}({stale_sql}) ORDER BY {pk} LIMIT %s"
        )
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            # nosemgrep: vk-raw-sql-formatted — quote_name'd model metadata only
            cursor.execute(select, params)
            rows = cursor.fetchall()
            if not rows:
                break
            for row in rows:
                last_pk, tokens = row[0], row[1:]
                processed += 1
                changes = []  # (column, old token, new token)
                for model_field, column, token in zip(fields, columns, tokens, strict=True):
                    if token is None:
                        continue
                    try:
                        key_id = token_key_id(token)
                        if key_id == active:
                            continue
                        result.by_key[key_id] += 1
                        if dry_run:
                            continue
                        plaintext = decrypt(token, aad=model_field.aad)
                        changes.append((column, token, encrypt(plaintext, aad=model_field.aad)))
                    except DecryptionError as exc:
                        result.failures.append(
                            f"{result.label} pk={last_pk} veld {model_field.name}: {exc}"
                        )
                if dry_run or not changes:
                    continue
                assignments = ", ".join(f"{column} = %s" for column, _old, _new in changes)
                guards = " AND ".join(f"{column} = %s" for column, _old, _new in changes)
                cursor.execute(
                    # nosemgrep: vk-raw-sql-formatted — quote_name'd model metadata only
                    f"UPDATE {table} SET {assignments} WHERE {pk} = %s AND {guards}",  # noqa: S608  # nosec B608 — quoted model metadata (quote_name); values are parameters
                    [new for _c, _o, new in changes] + [last_pk] + [old for _c, old, _n in changes],
                )
                if cursor.rowcount == 1:
                    result.rotated += 1
                else:
                    result.concurrent += 1
        if not dry_run:
            _say(stdout, f"{result.label}: {result.rotated}/{result.stale} herversleuteld")
        if len(rows) < batch_size:
            break

    if dry_run:
        keys = ", ".join(f"sleutel {k}: {n}" for k, n in sorted(result.by_key.items()))
        _say(
            stdout,
            f"{result.label}: {result.stale} rijen op een oude sleutel ({keys}) "
            f"- dry-run, niets gewijzigd",
        )
    return result


def rotate(
    models,
    *,
    batch_size: int = 500,
    dry_run: bool = False,
    stdout=None,
    max_batches: int | None = None,
) -> list[Result]:
    """Re-encrypt every EncryptedTextField value of `models` not on the active key.

    Returns one Result per model. `max_batches` stops the run early (resumable)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    active = active_key_id()
    budget = _Budget(max_batches)
    results = []
    for model in models:
        if not encrypted_fields(model):
            continue
        results.append(
            _rotate_model(
                model,
                batch_size=batch_size,
                dry_run=dry_run,
                stdout=stdout,
                budget=budget,
                active=active,
            )
        )
        if results[-1].interrupted:
            break
    return results


def _stored_files(storage: EncryptedFileSystemStorage):
    root = storage.location
    if not os.path.isdir(root):
        return
    for directory, _dirs, files in os.walk(root):
        for filename in sorted(files):
            if filename.endswith(TMP_SUFFIX):
                continue
            full = os.path.join(directory, filename)
            yield os.path.relpath(full, root).replace(os.sep, "/")


def rotate_files(storage: EncryptedFileSystemStorage, *, dry_run=False, stdout=None) -> Result:
    """Re-encrypt every file of an EncryptedFileSystemStorage that is not on the active key."""
    active = active_key_id()
    result = Result(label=f"bestanden in {storage.location}")
    stale_names = []
    for name in _stored_files(storage):
        with open(storage.path(name), "rb") as handle:
            head = handle.read(64)
        try:
            key_id = token_key_id(head)
        except DecryptionError:
            result.unencrypted += 1
            result.failures.append(f"{result.label}: {name} is niet versleuteld")
            continue
        if key_id != active:
            result.by_key[key_id] += 1
            stale_names.append(name)
    result.stale = len(stale_names)
    if dry_run:
        keys = ", ".join(f"sleutel {k}: {n}" for k, n in sorted(result.by_key.items()))
        _say(
            stdout,
            f"{result.label}: {result.stale} bestanden op een oude sleutel ({keys}) "
            "- dry-run, niets gewijzigd",
        )
        return result
    for name in stale_names:
        aad = storage.associated_data(name)
        try:
            plaintext = decrypt_bytes(storage.read_blob(name), aad)
        except DecryptionError as exc:
            result.failures.append(f"{result.label}: {name}: {exc}")
            continue
        storage._write_blob(name, encrypt_bytes(plaintext, aad))
        result.rotated += 1
    _say(stdout, f"{result.label}: {result.rotated}/{result.stale} herversleuteld")
    return result


class Command(BaseCommand):
    help = (
        "Versleutelt medische gegevens die nog op een oude sleutel staan opnieuw met de actieve "
        "sleutel (eerste sleutel in MEDICAL_ENCRYPTION_KEYS; MD-3): tekstvelden van alle "
        "medisch-modellen, in batches van één transactie, en de bestanden van "
        "EncryptedFileSystemStorage. Hervatbaar en idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="rijen per transactie")
        parser.add_argument("--dry-run", action="store_true", help="alleen tellen, niets wijzigen")
        parser.add_argument(
            "--max-batches",
            type=int,
            default=None,
            help="stop na zoveel batches (later opnieuw starten hervat)",
        )
        parser.add_argument("--skip-files", action="store_true", help="bestanden overslaan")

    def handle(self, *args, batch_size, dry_run, max_batches, skip_files, **options):
        if batch_size < 1:
            raise CommandError("--batch-size moet minstens 1 zijn")
        active = active_key_id()
        self.stdout.write(f"Actieve sleutel: {active}" + (" (dry-run)" if dry_run else ""))
        models = encrypted_models()
        results = rotate(
            models,
            batch_size=batch_size,
            dry_run=dry_run,
            stdout=self.stdout,
            max_batches=max_batches,
        )
        interrupted = any(r.interrupted for r in results)
        if not skip_files and not interrupted:
            results += [
                rotate_files(storage, dry_run=dry_run, stdout=self.stdout)
                for storage in medical_storages()
            ]
        failures = [failure for r in results for failure in r.failures]
        if dry_run:
            self.stdout.write(
                f"Samenvatting (dry-run): {sum(r.stale for r in results)} rijen/bestanden op "
                f"een oude sleutel in {len(results)} modellen/opslagen."
            )
        else:
            self.stdout.write(
                f"Samenvatting: {sum(r.rotated for r in results)} rijen/bestanden "
                f"herversleuteld in {len(results)} modellen/opslagen; actieve sleutel {active}."
            )
            concurrent = sum(r.concurrent for r in results)
            if concurrent:
                self.stdout.write(
                    f"{concurrent} rijen zijn tussentijds gewijzigd; draai het commando opnieuw."
                )
        if interrupted:
            self.stdout.write(
                "Onderbroken (--max-batches): draai het commando opnieuw om te hervatten."
            )
        if failures:
            for failure in failures:
                self.stderr.write(failure)
            raise CommandError(
                f"{len(failures)} waarden konden niet worden herversleuteld (sleutel ontbreekt "
                "of authenticatie mislukt); zie hierboven."
            )
