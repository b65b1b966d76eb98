"""Checks on medical document uploads (MD-1, MD-3).

- Type: by content only (magic bytes) — never the file name's extension nor the browser's
  Content-Type, both chosen by the sender. Allowed: PDF, PNG, JPEG.
- Size: at most MEDICAL_UPLOAD_MAX_BYTES (default 10 MB).
- In transit: `MedicalUploadHandler` keeps the upload in memory (Django would otherwise write a
  file over 2.5 MB as a plaintext temporary file on disk) and stops keeping bytes beyond the
  limit, so an oversized upload costs no memory and is refused with its real size.
- At rest: stored through EncryptedFileSystemStorage under a random name (uuid), so neither the
  name nor the content tells anything (MD-3).

Refusals are Dutch ValidationErrors; they never quote the file name or its content.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# (magic prefix, content type, extension for the download name)
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
EXTENSIONS = {content_type: ext for _magic, content_type, ext in SIGNATURES}
ALLOWED_TYPES_TEXT = "PDF, PNG of JPEG"


def max_upload_bytes() -> int:
    return int(getattr(settings, "MEDICAL_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def format_size(size: int) -> str:
    """A size for people, Dutch notation: "10,0 MB", "12 kB", "800 bytes"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " MB"
    if size >= 1024:
        return f"{size // 1024} kB"
    return f"{size} bytes"


def detect_content_type(data: bytes) -> str | None:
    """The content type by the file's own first bytes, or None when not an allowed type."""
    for magic, content_type, _ext in SIGNATURES:
        if data.startswith(magic):
            return content_type
    return None


def extension_for(content_type: str) -> str:
    return EXTENSIONS.get(content_type, "bin")


@dataclass(frozen=True)
class CheckedUpload:
    data: bytes
    content_type: str
    size: int
    sha256: str


def _too_large(size_text: str, limit: int) -> ValidationError:
    return ValidationError(
        "Het bestand is te groot (%(size)s); de grens is %(limit)s.",
        code="too_large",
        params={"size": size_text, "limit": format_size(limit)},
    )


def check_upload(uploaded_file) -> CheckedUpload:
    """Read and check an uploaded file; raises ValidationError (Dutch) when refused."""
    if uploaded_file is None:
        raise ValidationError("Kies een bestand om te uploaden.", code="required")
    limit = max_upload_bytes()
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > limit:
        raise _too_large(format_size(declared), limit)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)  # never more than the limit plus one byte
    if isinstance(data, str):
        raise ValidationError("Het bestand kon niet als bestand worden gelezen.", code="invalid")
    if len(data) > limit:
        raise _too_large(f"meer dan {format_size(limit)}", limit)
    if not data:
        raise ValidationError("Het bestand is leeg.", code="empty")
    content_type = detect_content_type(data)
    if content_type is None:
        raise ValidationError(
            "Dit bestandstype wordt niet aangenomen. Alleen %(allowed)s is toegestaan; het "
            "type wordt bepaald aan de inhoud van het bestand, niet aan de naam.",
            code="type",
            params={"allowed": ALLOWED_TYPES_TEXT},
        )
    return CheckedUpload(
        data=data,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def new_storage_name() -> str:
    """A random storage-relative name: no person, date, title or original name in it."""
    token = uuid.uuid4().hex
    return f"{token[:2]}/{token}"


class MedicalUploadHandler(FileUploadHandler):
    """Upload handler for medical documents: in memory only, never a temporary file (MD-3), and
    nothing kept beyond the size limit. An oversized file still arrives as an (empty) upload
    with its real size, so check_upload() refuses it with a clear message."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.limit = max_upload_bytes()
        self.buffer = io.BytesIO()
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        if not self.exceeded and start + len(raw_data) > self.limit:
            self.exceeded = True
            self.buffer = io.BytesIO()  # drop what was kept: it will be refused anyway
        if not self.exceeded:
            self.buffer.write(raw_data)
        return None  # handled here; no later handler sees the bytes

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
