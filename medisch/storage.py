"""Encrypted file storage for medical documents (MD-3, DESIGN.md layer 3).

`EncryptedFileSystemStorage` stores document contents as binary blobs (encryption.crypto's
encrypt_bytes, the same keys as the encrypted fields) under MEDICAL_FILES_ROOT (default
var/medical-files/), bound to their storage-relative name: a file moved or copied to another
name does not decrypt. It has no public URL.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

from encryption.crypto import binary_overhead, decrypt_bytes, encrypt_bytes, token_key_id

FILE_AAD_PREFIX = "medisch.file:"


def medical_files_root() -> Path:
    root = getattr(settings, "MEDICAL_FILES_ROOT", None)
    if root:
        return Path(root)
    var_dir = getattr(settings, "VAR_DIR", None) or Path(settings.BASE_DIR) / "var"
    return Path(var_dir) / "medical-files"


class PublicURLRefused(NotImplementedError):
    """Medical files have no URL: serve them through an authorised, audited view (MD-2)."""


@deconstructible(path="medisch.storage.EncryptedFileSystemStorage")
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
