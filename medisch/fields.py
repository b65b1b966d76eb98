"""Encrypted model field and file storage for medical content (MD-3, DESIGN.md layer 3).

`EncryptedTextField` keeps free text (anamnesis, consultation notes, ...) as an AES-GCM token
(medisch/crypto.py) in a text column. In Python the value is always plaintext `str` (or None);
tokens exist only in the database. Every non-None value is encrypted, the empty string too (the
column never holds plaintext, not even ''). The token length does reveal the plaintext length
(AES-GCM does not pad), so an empty value is recognisable by its short token.

The associated data is `"<app_label>.<model>.<field>"` (e.g. "medisch.consult.anamnesis"),
fixed when the field is attached to its model: a token copied to another column or model does
not decrypt. Consequence: renaming the model, the app or the field makes existing values
unreadable unless the old name is pinned with `EncryptedTextField(associated_data="old.label")`
or a data migration re-encrypts them. Assigning an F() expression that copies another encrypted
column stores a token that will not decrypt - don't.

Not searchable: every lookup except `isnull` raises FieldError (a filter on a ciphertext would
silently never match; searching plaintext needs a separate keyed-HMAC column). No unique/index/
db_default (a database default would be stored in plaintext). Updates go through the ORM
(save/update/bulk_update encrypt once via get_prep_value).

`EncryptedFileSystemStorage` stores document contents as binary blobs (crypto.encrypt_bytes)
under MEDICAL_FILES_ROOT (default var/medical-files/), bound to their storage-relative name:
a file moved or copied to another name does not decrypt. It has no public URL.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldError
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import NOT_PROVIDED
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

from medisch.crypto import (
    DecryptionError,
    binary_overhead,
    decrypt,
    decrypt_bytes,
    encrypt,
    encrypt_bytes,
    token_key_id,
)

__all__ = [
    "DecryptionError",
    "EncryptedFileSystemStorage",
    "EncryptedTextField",
    "decrypt_bytes",
    "encrypt_bytes",
]

ALLOWED_LOOKUPS = frozenset({"isnull"})


class EncryptedTextField(models.TextField):
    """A TextField whose column holds an AES-GCM token (MD-3). See the module docstring."""

    description = "Versleutelde tekst (AES-GCM, MD-3)"

    def __init__(self, *args, associated_data: str | None = None, **kwargs):
        self.associated_data = associated_data
        self.aad: str | None = associated_data
        super().__init__(*args, **kwargs)

    # --- model wiring ------------------------------------------------------------------------

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)
        if self.associated_data is None:
            self.aad = f"{cls._meta.label_lower}.{self.name}"

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        if self.associated_data is not None:
            kwargs["associated_data"] = self.associated_data
        return name, "medisch.fields.EncryptedTextField", args, kwargs

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        refused = [
            (self.primary_key, "primary_key=True"),
            (self._unique, "unique=True"),
            (self.db_index, "db_index=True"),
            (self.db_default is not NOT_PROVIDED, "db_default (stored unencrypted)"),
        ]
        for present, what in refused:
            if present:
                errors.append(
                    checks.Error(
                        f"EncryptedTextField does not support {what}: values are random "
                        "ciphertexts.",
                        obj=self,
                        id="medisch.E010",
                    )
                )
        return errors

    def _require_aad(self) -> str:
        if not self.aad:
            raise FieldError("EncryptedTextField is not attached to a model (no associated data).")
        return self.aad

    # --- conversion --------------------------------------------------------------------------

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        plaintext = decrypt(value, aad=self._require_aad())
        try:
            return plaintext.decode("utf-8")
        except UnicodeDecodeError:
            raise DecryptionError("Decrypted value is not UTF-8 text.") from None

    def get_prep_value(self, value):
        # Python values are always plaintext (tokens only exist in the database), so every
        # non-None value is encrypted exactly once here - even one that looks like a token.
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt(value, aad=self._require_aad())

    # --- lookups: nothing but isnull ---------------------------------------------------------

    def _refuse(self, lookup_name):
        model = self.model._meta.label if hasattr(self, "model") else "?"
        raise FieldError(
            f"Lookup '{lookup_name}' on encrypted field {model}.{self.name} is refused (MD-3): "
            "the column holds ciphertext, so only 'isnull' is possible. Search plaintext "
            "through a separate keyed-HMAC column."
        )

    def get_lookup(self, lookup_name):
        if lookup_name not in ALLOWED_LOOKUPS:
            self._refuse(lookup_name)
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        self._refuse(lookup_name)

    # --- raw access for key rotation ---------------------------------------------------------

    @staticmethod
    def raw_key_id(token: str) -> str:
        """The key id of a raw stored token (rotate_medical_keys)."""
        return token_key_id(token)


# --- Files -----------------------------------------------------------------------------------

FILE_AAD_PREFIX = "medisch.file:"


def medical_files_root() -> Path:
    root = getattr(settings, "MEDICAL_FILES_ROOT", None)
    if root:
        return Path(root)
    var_dir = getattr(settings, "VAR_DIR", None) or Path(settings.BASE_DIR) / "var"
    return Path(var_dir) / "medical-files"


class PublicURLRefused(NotImplementedError):
    """Medical files have no URL: serve them through an authorised, audited view (MD-2)."""


@deconstructible(path="medisch.fields.EncryptedFileSystemStorage")
class EncryptedFileSystemStorage(FileSystemStorage):
    """FileSystemStorage that encrypts contents on save and decrypts on open (MD-3).

    AAD = "medisch.file:" + the storage-relative name with forward slashes. Files are written
    0600 in 0700 directories. `open()` supports mode "rb" only and returns the plaintext in
    memory. `size()` is the plaintext size. `url()` raises PublicURLRefused.
    """

    def __init__(self, location=None, file_permissions_mode=0o600, **kwargs):
        kwargs.setdefault("directory_permissions_mode", 0o700)
        kwargs.pop("base_url", None)
        super().__init__(
            location=location, base_url=None, file_permissions_mode=file_permissions_mode, **kwargs
        )

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, str(medical_files_root()))

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting in {"MEDICAL_FILES_ROOT", "VAR_DIR"}:
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def relative_name(self, name: str) -> str:
        return os.path.relpath(self.path(name), self.location).replace("\\", "/")

    def associated_data(self, name: str) -> str:
        return FILE_AAD_PREFIX + self.relative_name(name)

    def _save(self, name, content):
        if hasattr(content, "seek"):
            try:
                content.seek(0)
            except (OSError, ValueError):
                pass
        chunks = [c.encode("utf-8") if isinstance(c, str) else c for c in content.chunks()]
        plaintext = b"".join(chunks)
        saved = super()._save(
            name, ContentFile(encrypt_bytes(plaintext, self.associated_data(name)))
        )
        if self.relative_name(saved) != self.relative_name(name):
            # FileSystemStorage picked another name (a concurrent save took ours): the content
            # must be bound to the name it is stored under. We created this file, rewrite it.
            self._write_blob(saved, encrypt_bytes(plaintext, self.associated_data(saved)))
        return saved

    def _write_blob(self, name: str, blob: bytes) -> None:
        """Atomically replace a stored file's blob (save race, key rotation)."""
        full_path = self.path(name)
        tmp_path = f"{full_path}.{os.getpid()}.rotating"
        fd = os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, self.file_permissions_mode)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_path, full_path)
        except BaseException:
            if os.path.exists(tmp_path):
                os.remove(tmp_path)
            raise

    def read_blob(self, name: str) -> bytes:
        with open(self.path(name), "rb") as handle:
            return handle.read()

    def _open(self, name, mode="rb"):
        if mode != "rb":
            raise ValueError(
                "Encrypted medical files open read-only in binary mode ('rb'); save a new file "
                "to change one."
            )
        plaintext = decrypt_bytes(self.read_blob(name), self.associated_data(name))
        return File(io.BytesIO(plaintext), name=name)

    def size(self, name):
        with open(self.path(name), "rb") as handle:
            head = handle.read(64)
        return os.path.getsize(self.path(name)) - binary_overhead(token_key_id(head))

    def url(self, name):
        raise PublicURLRefused(
            "Medical files have no public URL (MD-2): serve them through an authorised, "
            "audited view."
        )
