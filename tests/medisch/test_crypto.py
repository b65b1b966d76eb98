"""MD-3: medical free text and documents are encrypted per field with AES-GCM, under a key that
is not in the database, and the keys can be rotated (DESIGN.md, separation layer 3).

The medical models are tested elsewhere; here a probe model with EncryptedTextField columns is
created in an isolated app registry and its table made for the test only (routed, like every
`medisch` model, through the `medisch` connection and its database role)."""

import base64
import io
import os
import shutil
import stat
import uuid

import pytest
from django.apps.registry import Apps
from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections, models

from config.db_roles import owner_mode
from encryption.crypto import (
    KEY_FILE_ENV,
    KEYS_ENV,
    DecryptionError,
    active_key_id,
    check_medical_keys,
    decrypt,
    decrypt_bytes,
    encrypt,
    encrypt_bytes,
    keyring,
    reset_keys_cache,
    token_key_id,
)
from encryption.fields import EncryptedTextField
from medisch.management.commands import rotate_medical_keys as rotation
from medisch.storage import EncryptedFileSystemStorage, PublicURLRefused

DB = pytest.mark.django_db(databases=["default", "medisch"])
TEXT = "Rugklachten sinds het tillen van dozen; fysiotherapie gestart, ibuprofen 400 mg."


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")


@pytest.fixture
def keys(monkeypatch):
    """keys.use("b", "a") configures MEDICAL_ENCRYPTION_KEYS with those ids (first active)."""

    class Keys:
        material = {name: new_key() for name in ("a", "b", "c")}

        def use(self, *ids, **replace):
            material = {**self.material, **replace}
            monkeypatch.delenv(KEY_FILE_ENV, raising=False)
            monkeypatch.setenv(KEYS_ENV, ",".join(f"{i}:{material[i]}" for i in ids))
            reset_keys_cache()

    ring = Keys()
    ring.use("a")
    yield ring
    reset_keys_cache()


def make_probe_model(name="CryptoProbe"):
    meta = type(
        "Meta",
        (),
        {
            "app_label": "medisch",
            "apps": Apps(),
            "db_table": f"medisch_cryptoprobe_{uuid.uuid4().hex[:10]}",
            "managed": False,
        },
    )
    return type(
        name,
        (models.Model,),
        {
            "__module__": __name__,
            "Meta": meta,
            "anamnesis": EncryptedTextField(),
            "notities": EncryptedTextField(null=True, blank=True),
        },
    )


@pytest.fixture
def probe(keys):
    """A medisch model with two encrypted columns and its own table, dropped afterwards."""
    model = make_probe_model()
    connection = connections["medisch"]
    q = connection.ops.quote_name
    table = model._meta.db_table
    with owner_mode():
        with connection.schema_editor() as editor:
            editor.create_model(model)
        role = connection.settings_dict.get("VK_ROLE")
        if connection.settings_dict.get("VK_SET_ROLE") and role:
            with connection.cursor() as cursor:
                cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {q(table)} TO {q(role)}")
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                if sequence:
                    cursor.execute(f"GRANT USAGE, SELECT ON SEQUENCE {sequence} TO {q(role)}")
    yield model
    with owner_mode():
        with connection.schema_editor() as editor:
            editor.delete_model(model)


def raw(model, column="anamnesis"):
    """The stored column values, read past the ORM (which would decrypt)."""
    connection = connections["medisch"]
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {q(column)} FROM {q(model._meta.db_table)} ORDER BY id"  # noqa: S608
        )
        return [row[0] for row in cursor.fetchall()]


def raw_update(model, pk, column, value):
    connection = connections["medisch"]
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {q(model._meta.db_table)} SET {q(column)} = %s WHERE id = %s",  # noqa: S608
            [value, pk],
        )


def flip(token: str, index: int) -> str:
    char = token[index]
    replacement = "A" if char != "A" else "B"
    return token[:index] + replacement + token[index + 1 :]


# --- The field ---------------------------------------------------------------------------------


@DB
def test_round_trip_md3(probe):
    """MD-3: what is saved reads back identically; None stays None, '' stays ''."""
    texts = [TEXT, "", "Één regel\nmet ü, € en 😷"]
    for text in texts:
        probe.objects.create(anamnesis=text)
    probe.objects.create(anamnesis="x", notities=None)
    assert [p.anamnesis for p in probe.objects.order_by("id")] == [*texts, "x"]
    assert list(probe.objects.order_by("id").values_list("notities", flat=True)) == [None] * 4
    assert probe.objects.filter(notities__isnull=True).count() == 4
    assert probe.objects.filter(notities__isnull=False).count() == 0


@DB
def test_stored_column_is_ciphertext_md3(probe):
    """MD-3: the raw column holds a v1 token, never the plaintext - the empty string included.
    The value is routed through the medisch connection (its own database role)."""
    probe.objects.create(anamnesis=TEXT, notities="")
    (stored,) = raw(probe)
    (stored_empty,) = raw(probe, "notities")
    assert stored.startswith("v1:a:")
    for word in ("Rugklachten", "fysiotherapie", "ibuprofen"):
        assert word not in stored
    assert stored_empty.startswith("v1:a:") and stored_empty != ""
    assert probe._meta.get_field("anamnesis").aad == "medisch.cryptoprobe.anamnesis"
    assert probe.objects.all().db == "medisch"


def test_every_encryption_uses_a_fresh_nonce_md3(keys):
    """MD-3: a random 96-bit nonce per encryption; equal texts give different tokens."""
    tokens = {encrypt(TEXT, aad="medisch.consult.anamnesis") for _ in range(50)}
    assert len(tokens) == 50
    nonces = {base64.urlsafe_b64decode(t.split(":")[2] + "==")[:12] for t in tokens}
    assert len(nonces) == 50


@DB
def test_token_copied_to_another_column_does_not_decrypt_md3(probe):
    """MD-3: the associated data binds a token to its model and column."""
    consult = probe.objects.create(anamnesis=TEXT, notities="iets anders")
    (token,) = raw(probe)
    raw_update(probe, consult.pk, "notities", token)
    with pytest.raises(DecryptionError):
        probe.objects.get(pk=consult.pk)
    # Another model's column of the same name: its label differs, so does the AAD.
    assert decrypt(token, aad="medisch.cryptoprobe.anamnesis") == TEXT.encode()
    with pytest.raises(DecryptionError):
        decrypt(token, aad="medisch.andermodel.anamnesis")
    with pytest.raises(DecryptionError):
        decrypt(token, aad="medisch.cryptoprobe.notities")


def test_tampered_token_is_refused_md3(keys):
    """MD-3: changing any single character of the payload fails authentication; a changed
    version or key id fails too. Never garbage."""
    aad = "medisch.consult.anamnesis"
    token = encrypt(TEXT, aad=aad)
    prefix = len("v1:a:")
    for index in range(prefix, len(token)):
        with pytest.raises(DecryptionError):
            decrypt(flip(token, index), aad=aad)
    for bad in ("v2" + token[2:], token.replace("v1:a:", "v1:b:"), token[:-1], "", "v1:a:"):
        with pytest.raises(DecryptionError):
            decrypt(bad, aad=aad)


@DB
def test_tampered_column_fails_on_read_md3(probe):
    """MD-3: a tampered stored value raises on load rather than returning garbage."""
    consult = probe.objects.create(anamnesis=TEXT)
    (token,) = raw(probe)
    raw_update(probe, consult.pk, "anamnesis", flip(token, len(token) // 2))
    with pytest.raises(DecryptionError):
        probe.objects.get(pk=consult.pk)


def test_unknown_key_id_is_refused_md3(keys):
    """MD-3: a token from a key that is not configured raises."""
    token = encrypt(TEXT, aad="x.y.z")
    keys.use("b")
    with pytest.raises(DecryptionError, match="Unknown key id 'a'"):
        decrypt(token, aad="x.y.z")


def test_wrong_key_under_the_same_id_is_refused_md3(keys):
    """MD-3: a different key under the same id fails the tag check (libraries that return the
    ciphertext here are exactly why this is hand-written)."""
    token = encrypt(TEXT, aad="x.y.z")
    keys.use("a", a=new_key())
    with pytest.raises(DecryptionError, match="Authentication failed"):
        decrypt(token, aad="x.y.z")


@DB
@pytest.mark.parametrize(
    "lookup",
    [
        {"anamnesis": TEXT},
        {"anamnesis__exact": TEXT},
        {"anamnesis__iexact": TEXT},
        {"anamnesis__icontains": "rug"},
        {"anamnesis__contains": "rug"},
        {"anamnesis__startswith": "v1:"},
        {"anamnesis__in": [TEXT]},
        {"anamnesis__gt": "a"},
        {"anamnesis__regex": "."},
        {"anamnesis__lower": "x"},
        {"notities__lower__exact": "x"},
    ],
)
def test_lookups_other_than_isnull_are_refused_md3(probe, lookup):
    """MD-3: a filter on ciphertext would silently never match; it is refused instead."""
    with pytest.raises(FieldError, match="refused"):
        probe.objects.filter(**lookup)
    with pytest.raises(FieldError, match="refused"):
        probe.objects.exclude(models.Q(**lookup))


def test_field_deconstructs_for_migrations_md3():
    """MD-3: migrations refer to encryption.fields.EncryptedTextField with its options."""
    field = EncryptedTextField(null=True, blank=True)
    field.set_attributes_from_name("anamnesis")
    name, path, args, kwargs = field.deconstruct()
    assert (name, path, args) == ("anamnesis", "encryption.fields.EncryptedTextField", [])
    assert kwargs == {"null": True, "blank": True}
    pinned = EncryptedTextField(associated_data="medisch.consult.anamnesis")
    pinned.set_attributes_from_name("klachten")
    assert pinned.deconstruct()[3] == {"associated_data": "medisch.consult.anamnesis"}


def test_unique_or_indexed_encrypted_field_fails_the_check_md3():
    """MD-3: unique/index/db_default make no sense on random ciphertext (and a database
    default would be stored unencrypted)."""
    model = type(
        "BadProbe",
        (models.Model,),
        {
            "__module__": __name__,
            "Meta": type("Meta", (), {"app_label": "medisch", "apps": Apps()}),
            "a": EncryptedTextField(unique=True),
            "b": EncryptedTextField(db_index=True),
            "c": EncryptedTextField(),
        },
    )
    ids = {f.name: [e.id for e in f.check()] for f in model._meta.local_fields}
    assert ids["a"] == ["medisch.E010"] and ids["b"] == ["medisch.E010"] and ids["c"] == []


# --- Keys --------------------------------------------------------------------------------------


def test_first_configured_key_is_active_and_all_decrypt_md3(keys):
    """MD-3: MEDICAL_ENCRYPTION_KEYS lists keys, the first is active, all decrypt."""
    old = encrypt(TEXT, aad="x.y.z")
    keys.use("b", "a")
    assert active_key_id() == "b" and keyring().key_ids == ("b", "a")
    new = encrypt(TEXT, aad="x.y.z")
    assert token_key_id(old) == "a" and token_key_id(new) == "b"
    assert decrypt(old, aad="x.y.z") == decrypt(new, aad="x.y.z") == TEXT.encode()


def test_key_file_with_comments_md3(keys, monkeypatch, tmp_path):
    """MD-3: MEDICAL_ENCRYPTION_KEY_FILE, one entry per line, # comments."""
    path = tmp_path / "keys"
    path.write_text(
        f"# medische sleutels\n\nk2026:{new_key()}  # actief\n# oud:\nk2025:{new_key()}\n"
    )
    monkeypatch.delenv(KEYS_ENV)
    monkeypatch.setenv(KEY_FILE_ENV, str(path))
    reset_keys_cache()
    assert keyring().key_ids == ("k2026", "k2025") and active_key_id() == "k2026"


@pytest.mark.parametrize(
    "value",
    [
        "zonderdubbelepunt",
        "A:{key}",  # upper case id
        "veelsteveelstelang:{key}",  # 18 characters
        "a:",
        ":{key}",
        "a:{short}",
        "a:not*base64!",
        "a:{key},a:{key}",
    ],
)
def test_malformed_keys_are_a_clear_configuration_error_md3(keys, monkeypatch, value):
    """MD-3: a malformed key setting stops with ImproperlyConfigured, never echoing the key."""
    key = new_key()
    short = base64.urlsafe_b64encode(os.urandom(16)).decode()
    monkeypatch.setenv(KEYS_ENV, value.format(key=key, short=short))
    reset_keys_cache()
    with pytest.raises(ImproperlyConfigured) as error:
        keyring()
    assert key not in str(error.value) and short not in str(error.value)
    assert KEYS_ENV in str(error.value)


def test_both_key_sources_at_once_are_refused_md3(keys, monkeypatch, tmp_path):
    """MD-3: which keys are in use must be unambiguous."""
    monkeypatch.setenv(KEY_FILE_ENV, str(tmp_path / "keys"))
    reset_keys_cache()
    with pytest.raises(ImproperlyConfigured, match="not both"):
        keyring()


def test_development_fallback_creates_a_private_key_file_md3(monkeypatch, settings, tmp_path):
    """MD-3: outside production, without configuration, var/medical.keys (0600) is created
    once and reused, so `make run` and `make test` need no set-up."""
    monkeypatch.delenv(KEYS_ENV, raising=False)
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)
    settings.PRODUCTION = False
    settings.VAR_DIR = tmp_path
    reset_keys_cache()
    try:
        first = active_key_id()
        path = tmp_path / "medical.keys"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert first.startswith("dev")
        token = encrypt(TEXT, aad="x.y.z")
        reset_keys_cache()
        assert active_key_id() == first and decrypt(token, aad="x.y.z") == TEXT.encode()
    finally:
        reset_keys_cache()


def test_production_without_keys_fails_the_system_check_md3(monkeypatch, settings):
    """MD-3: in production, missing keys are error medisch.E001 (the app refuses to start) and
    nothing is encrypted with a fallback key."""
    monkeypatch.delenv(KEYS_ENV, raising=False)
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)
    settings.PRODUCTION = True
    reset_keys_cache()
    try:
        errors = check_medical_keys(None)
        assert [e.id for e in errors] == ["medisch.E001"]
        assert errors[0].level == checks.ERROR and KEYS_ENV in errors[0].msg
        with pytest.raises(ImproperlyConfigured):
            encrypt(TEXT, aad="x.y.z")
        monkeypatch.setenv(KEYS_ENV, f"p1:{new_key()}")
        reset_keys_cache()
        assert check_medical_keys(None) == []
        monkeypatch.setenv(KEYS_ENV, "p1:kapot")
        reset_keys_cache()
        assert [e.id for e in check_medical_keys(None)] == ["medisch.E002"]
    finally:
        reset_keys_cache()
    registry = checks.registry.registry
    assert check_medical_keys in registry.registered_checks
    assert check_medical_keys in registry.deployment_checks


# --- Rotation ----------------------------------------------------------------------------------


def _seed(model, n=5):
    texts = [f"{TEXT} #{i}" for i in range(n)]
    for i, text in enumerate(texts):
        model.objects.create(anamnesis=text, notities=None if i % 2 else f"notitie {i}")
    return texts


@DB
def test_rotation_moves_every_value_to_the_active_key_md3(probe, keys):
    """MD-3: after adding key b in front, rotation re-encrypts every value under b, each record
    reads the same, a second run re-encrypts nothing, and key a can then be removed."""
    texts = _seed(probe)
    notes = list(probe.objects.order_by("id").values_list("notities", flat=True))
    keys.use("b", "a")
    out = io.StringIO()
    (result,) = rotation.rotate([probe], batch_size=2, stdout=out)
    assert (result.stale, result.rotated, result.failures) == (5, 5, [])
    assert "medisch.cryptoprobe: 2/5 herversleuteld" in out.getvalue()
    assert "medisch.cryptoprobe: 5/5 herversleuteld" in out.getvalue()
    assert all(token_key_id(t) == "b" for t in raw(probe))
    assert all(token_key_id(t) == "b" for t in raw(probe, "notities") if t is not None)
    assert [p.anamnesis for p in probe.objects.order_by("id")] == texts

    again = io.StringIO()
    (result,) = rotation.rotate([probe], batch_size=2, stdout=again)
    assert (result.stale, result.rotated) == (0, 0)
    assert "medisch.cryptoprobe: 0 rijen op een oude sleutel" in again.getvalue()

    keys.use("b")  # the old key removed
    assert [p.anamnesis for p in probe.objects.order_by("id")] == texts
    assert list(probe.objects.order_by("id").values_list("notities", flat=True)) == notes


@DB
def test_interrupted_rotation_resumes_md3(probe, keys):
    """MD-3: rotation is batched and resumable: stopped after one batch, a new run finishes the
    rest without touching what is already on the active key."""
    texts = _seed(probe, n=3)
    keys.use("b", "a")
    (first,) = rotation.rotate([probe], batch_size=1, max_batches=1)
    assert first.interrupted and first.rotated == 1
    assert [token_key_id(t) for t in raw(probe)] == ["b", "a", "a"]
    already = raw(probe)[0]
    probe.objects.create(anamnesis="nieuw na de onderbreking")  # written under b meanwhile
    (second,) = rotation.rotate([probe], batch_size=1)
    assert not second.interrupted and (second.stale, second.rotated) == (2, 2)
    assert raw(probe)[0] == already
    assert {token_key_id(t) for t in raw(probe)} == {"b"}
    keys.use("b")
    assert [p.anamnesis for p in probe.objects.order_by("id")][:3] == texts


@DB
def test_rotation_dry_run_only_counts_md3(probe, keys):
    """MD-3: --dry-run reports per old key how much would be re-encrypted, changes nothing."""
    _seed(probe, n=4)
    before = raw(probe)
    keys.use("b", "a")
    out = io.StringIO()
    (result,) = rotation.rotate([probe], dry_run=True, stdout=out)
    assert result.stale == 4 and result.rotated == 0 and result.by_key == {"a": 6}
    assert "4 rijen op een oude sleutel (sleutel a: 6) - dry-run" in out.getvalue()
    assert raw(probe) == before


@DB
def test_rotation_reports_values_it_cannot_decrypt_without_content_md3(probe, keys):
    """MD-3: a value whose key is gone is reported (model, pk, field), never printed, left as
    it is; the command then exits with an error."""
    _seed(probe, n=2)
    before = raw(probe)
    keys.use("c")  # key a is missing
    (result,) = rotation.rotate([probe])
    assert result.rotated == 0 and len(result.failures) == 3
    assert all("Unknown key id 'a'" in f and "Rugklachten" not in f for f in result.failures)
    assert raw(probe) == before


@DB
def test_rotation_never_overwrites_a_concurrent_save_md3(probe, keys, monkeypatch):
    """MD-3: the re-encrypted value is written only if the row still holds the token that was
    read (compare-and-swap), so a save between read and write wins."""
    consult = probe.objects.create(anamnesis=TEXT)
    keys.use("b", "a")
    real_encrypt = rotation.encrypt

    def encrypt_while_someone_saves(plaintext, *, aad):
        probe.objects.filter(pk=consult.pk).update(anamnesis="tussentijds gewijzigd")
        return real_encrypt(plaintext, aad=aad)

    monkeypatch.setattr(rotation, "encrypt", encrypt_while_someone_saves)
    (result,) = rotation.rotate([probe])
    assert result.rotated == 0 and result.concurrent == 1
    assert probe.objects.get(pk=consult.pk).anamnesis == "tussentijds gewijzigd"


@DB
def test_rotate_medical_keys_command_md3(probe, keys, monkeypatch, tmp_path):
    """MD-3: `manage.py rotate_medical_keys` rotates text columns and stored files, prints
    progress and a summary; --dry-run changes nothing."""
    texts = _seed(probe, n=3)
    storage = EncryptedFileSystemStorage(location=tmp_path)
    name = storage.save("dossier/brief.txt", ContentFile(b"Verwijsbrief orthopeed"))
    monkeypatch.setattr(rotation, "encrypted_models", lambda: [probe])
    monkeypatch.setattr(rotation, "medical_storages", lambda models=None: [storage])
    keys.use("b", "a")

    out = io.StringIO()
    call_command("rotate_medical_keys", "--dry-run", stdout=out)
    assert "medisch.cryptoprobe: 3 rijen op een oude sleutel" in out.getvalue()
    assert "1 bestanden op een oude sleutel" in out.getvalue()
    assert {token_key_id(t) for t in raw(probe)} == {"a"}

    out = io.StringIO()
    call_command("rotate_medical_keys", "--batch-size", "2", stdout=out)
    text = out.getvalue()
    assert "medisch.cryptoprobe: 2/3 herversleuteld" in text
    assert "medisch.cryptoprobe: 3/3 herversleuteld" in text
    assert "Samenvatting: 4 rijen/bestanden herversleuteld" in text
    assert TEXT not in text and "Verwijsbrief" not in text

    keys.use("b")
    assert [p.anamnesis for p in probe.objects.order_by("id")] == texts
    assert storage.open(name).read() == b"Verwijsbrief orthopeed"

    keys.use("c")
    with pytest.raises(CommandError, match="konden niet worden herversleuteld"):
        call_command("rotate_medical_keys", stdout=io.StringIO(), stderr=io.StringIO())


# --- Files -------------------------------------------------------------------------------------


def test_encrypted_file_storage_md3(keys, tmp_path):
    """MD-3: a stored document is ciphertext on disk (0600), open() returns the plaintext, it
    has no URL, it is bound to its name, and it can only be opened for reading."""
    storage = EncryptedFileSystemStorage(location=tmp_path)
    content = b"%PDF-1.7 Specialistenbrief: hernia L5-S1, operatie gepland"
    name = storage.save("consult/12/brief.pdf", ContentFile(content))
    on_disk = (tmp_path / name).read_bytes()
    assert on_disk.startswith(b"v1:a:") and b"hernia" not in on_disk
    assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    with storage.open(name) as handle:
        assert handle.read() == content
    assert storage.size(name) == len(content)
    with pytest.raises(PublicURLRefused):
        storage.url(name)
    with pytest.raises(ValueError, match="read-only"):
        storage.open(name, "wb")

    shutil.copy(tmp_path / name, tmp_path / "consult/12/ander.pdf")
    with pytest.raises(DecryptionError):
        storage.open("consult/12/ander.pdf")

    second = storage.save("consult/12/brief.pdf", ContentFile(b"tweede versie"))
    assert second != name and storage.open(second).read() == b"tweede versie"
    assert storage.open(name).read() == content


def test_file_storage_location_comes_from_settings_md3(keys, settings, tmp_path):
    """MD-3: MEDICAL_FILES_ROOT sets where the encrypted documents live."""
    settings.MEDICAL_FILES_ROOT = str(tmp_path / "docs")
    assert EncryptedFileSystemStorage().location == str(tmp_path / "docs")


def test_binary_blobs_are_bound_and_tamper_evident_md3(keys):
    """MD-3: encrypt_bytes/decrypt_bytes use the same keys; any changed byte fails."""
    blob = encrypt_bytes(b"\x00\x01 scan", "medisch.file:a.pdf")
    assert blob.startswith(b"v1:a:") and token_key_id(blob) == "a"
    assert decrypt_bytes(blob, "medisch.file:a.pdf") == b"\x00\x01 scan"
    with pytest.raises(DecryptionError):
        decrypt_bytes(blob, "medisch.file:b.pdf")
    for index in range(len(b"v1:a:"), len(blob)):
        tampered = bytearray(blob)
        tampered[index] ^= 0x01
        with pytest.raises(DecryptionError):
            decrypt_bytes(bytes(tampered), "medisch.file:a.pdf")


def test_file_rotation_md3(keys, tmp_path):
    """MD-3: stored files on an old key are re-encrypted in place under the active key."""
    storage = EncryptedFileSystemStorage(location=tmp_path)
    names = [storage.save(f"d/{i}.txt", ContentFile(f"brief {i}".encode())) for i in range(3)]
    keys.use("b", "a")
    result = rotation.rotate_files(storage)
    assert (result.stale, result.rotated, result.failures) == (3, 3, [])
    assert rotation.rotate_files(storage).rotated == 0
    keys.use("b")
    assert [storage.open(n).read() for n in names] == [b"brief 0", b"brief 1", b"brief 2"]
    assert not list(tmp_path.rglob("*.rotating"))


@DB
def test_command_runs_against_the_real_medical_tables_md3(keys):
    """MD-3, DG-2: the command finds every model with encrypted columns — the medical ones and
    the BSN of doelgroep and of the employee (verzuim, RI-11), which share the keys — and reads
    their raw tokens each through its own connection's role."""
    models_found = rotation.encrypted_models()
    assert all(rotation.encrypted_fields(m) for m in models_found)
    assert {m._meta.app_label for m in models_found} == {"medisch", "doelgroep", "verzuim"}
    out = io.StringIO()
    call_command("rotate_medical_keys", "--dry-run", "--skip-files", stdout=out)
    for model in models_found:
        assert f"{model._meta.label_lower}: 0 rijen op een oude sleutel" in out.getvalue()


def test_production_without_keys_refuses_to_start():
    """MD-3: without a key the application does not start in production, and says why — for
    every process (gunicorn and celery run no system checks)."""
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MEDICAL_ENCRYPTION") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        {
            "VK_ENVIRONMENT": "production",
            "SECRET_KEY": "k" * 10 + "abcdefghij" * 5,
            "ALLOWED_HOSTS": "x.example",
            "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://u@127.0.0.1/x"),
        }
    )
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "MEDICAL_ENCRYPTION_KEYS" in result.stderr
    env["MEDICAL_ENCRYPTION_KEYS"] = "prod1:" + "A" * 43
    ok = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr


@DB
def test_rotation_also_moves_the_bsn_so_the_old_key_can_go_dg2(keys, employer):
    """DG-2, MD-3: the BSN shares the medical keys, so rotation re-encrypts it too — before, a
    BSN stayed on the old key and removing that key after a 'complete' rotation made it
    unreadable."""
    from datetime import date

    from doelgroep.models import Registercheck
    from doelgroep.synthetic import synthetic_bsns
    from tests.verzuim.factories import WerknemerFactory

    bsn = next(synthetic_bsns())
    check = Registercheck.objects.create(
        organisation=employer,
        werknemer=WerknemerFactory(organisation=employer),
        in_register=True,
        checked_on=date.today(),
        checked_via="bsn",
        bsn=bsn,
    )
    keys.use("b", "a")
    call_command("rotate_medical_keys", "--skip-files", stdout=io.StringIO())
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT bsn FROM doelgroep_registercheck WHERE id = %s", [check.pk])
        assert token_key_id(cursor.fetchone()[0]) == "b"
    keys.use("b")  # the old key removed
    assert Registercheck.objects.get(pk=check.pk).bsn == bsn
