"""Field-level encryption at rest: the keys and the AES-GCM tokens (MD-3, DESIGN.md "Separation
of medical data", layer 3; DG-2, the doelgroepregister's BSN).

Neutral: medisch encrypts medical free text and documents with it, doelgroep the BSN; nothing
here imports a domain app. The names MEDICAL_ENCRYPTION_KEYS / MEDICAL_ENCRYPTION_KEY_FILE,
`var/medical.keys`, the check ids `medisch.E001`/`E002` and the command `rotate_medical_keys`
are historical (the encryption began in the medical module) and kept because they are
documented and deployed.

Why hand-written: the packaged encrypted-field libraries are dead or unsafe (LIBRARIES.md,
"Field encryption") - django-cryptography fails to import on Django 5.2, others are stale, or
silently return the ciphertext when the key is wrong and tie their key to SECRET_KEY. This
module is a small layer over `cryptography`'s AESGCM (an authenticated cipher): a wrong key,
a ciphertext copied to another column or a flipped bit raises `DecryptionError`; it never
returns garbage.

Keys (never in the database, never derived from SECRET_KEY)
    MEDICAL_ENCRYPTION_KEYS      comma-separated `keyid:base64url(32 random bytes)` entries
    MEDICAL_ENCRYPTION_KEY_FILE  path of a file with the same entries, one per line, `#`
                                 starts a comment
Set exactly one of the two. The FIRST entry is the active key (used for every new
encryption); every listed key can decrypt. Key ids are `[a-z0-9]{1,16}`. Generate a key with
`python -c "import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"`.

Rotation: put the new key first (`new:...,old:...`), deploy, run `manage.py
rotate_medical_keys` (re-encrypts every value still on an old key, in batches), then remove
the old key. That command (medisch/management/commands/) covers the `medisch` app's columns and
files only: doelgroep's BSN column is not rotated by it, so its values stay on the key that
wrote them until they are saved again. A random 96-bit nonce is drawn per encryption; rotate
well before a single key has encrypted 2**32 values (NIST SP 800-38D's limit for random nonces).

Without configuration, outside production only (settings.PRODUCTION False), a key file
`var/medical.keys` (mode 0600) with one generated key is created and used, so `make run` and
`make test` need no set-up. Deleting that file makes existing development ciphertexts
unreadable (by design). In production missing keys are a system-check error (`medisch.E001`),
and any encryption or decryption raises `ImproperlyConfigured`.

Token formats
    text:   "v1:<keyid>:<base64url(nonce[12] + ciphertext + tag[16])>"   (unpadded base64url)
    binary: b"v1:" + keyid + b":" + nonce[12] + ciphertext + tag[16]
The associated data (AAD) is the caller's `aad` string, UTF-8 encoded - for model fields
`"<app_label>.<model>.<field>"` - so a ciphertext moved to another column, model or file name
fails authentication. The key id is not part of the AAD; swapping it selects another key, whose
tag check then fails. Ciphertext length reveals plaintext length (GCM does not pad).

Error messages never contain key material, plaintext or ciphertext.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

KEYS_ENV = "MEDICAL_ENCRYPTION_KEYS"
KEY_FILE_ENV = "MEDICAL_ENCRYPTION_KEY_FILE"
DEV_KEY_FILE_NAME = "medical.keys"

VERSION = "v1"
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 32
KEY_ID_RE = re.compile(r"[a-z0-9]{1,16}")
_B64URL_RE = re.compile(r"[A-Za-z0-9_-]*={0,2}")
_TEXT_PREFIX = VERSION + ":"
_BINARY_PREFIX = _TEXT_PREFIX.encode("ascii")


class DecryptionError(Exception):
    """A token could not be decrypted: malformed, unknown key id, wrong key, wrong associated
    data (another column/file) or tampered. Never carries plaintext or key material."""


class MedicalKeysMissing(ImproperlyConfigured):
    """Production without MEDICAL_ENCRYPTION_KEYS / MEDICAL_ENCRYPTION_KEY_FILE."""


@dataclass(frozen=True)
class KeyRing:
    active_id: str
    ciphers: dict[str, AESGCM] = field(repr=False)
    source: str  # the variable or file the keys came from (no key material)

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(self.ciphers)


# --- Key loading -----------------------------------------------------------------------------

_lock = threading.Lock()
_cache: KeyRing | None = None


def _decode_key(encoded: str, where: str) -> bytes:
    if not _B64URL_RE.fullmatch(encoded):
        raise ImproperlyConfigured(f"{where}: the key is not base64url (A-Z a-z 0-9 - _).")
    encoded = encoded.rstrip("=")
    try:
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{where}: the key is not valid base64url.") from None
    if len(raw) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"{where}: a key must be exactly {KEY_BYTES} random bytes (AES-256), base64url "
            f"encoded; this one decodes to {len(raw)} bytes."
        )
    return raw


def parse_keys(entries: list[str], source: str) -> KeyRing:
    """Parse `keyid:base64url` entries (already split); the first is active."""
    ciphers: dict[str, AESGCM] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"{source}, entry {number}"
        key_id, sep, encoded = entry.strip().partition(":")
        key_id, encoded = key_id.strip(), encoded.strip()
        if not sep or not encoded:
            raise ImproperlyConfigured(f"{where}: expected 'keyid:base64url-key'.")
        if not KEY_ID_RE.fullmatch(key_id):
            raise ImproperlyConfigured(
                f"{where}: a key id is 1-16 characters of a-z and 0-9 (lower case)."
            )
        if key_id in ciphers:
            raise ImproperlyConfigured(f"{where}: key id {key_id!r} occurs twice.")
        ciphers[key_id] = AESGCM(_decode_key(encoded, where))
    if not ciphers:
        raise ImproperlyConfigured(f"{source} contains no keys.")
    return KeyRing(active_id=next(iter(ciphers)), ciphers=ciphers, source=source)


def _file_entries(text: str) -> list[str]:
    entries = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            entries.append(line)
    return entries


def _read_key_file(path: Path, source: str) -> KeyRing:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ImproperlyConfigured(f"{source}: cannot read {path} ({exc.strerror}).") from None
    return parse_keys(_file_entries(text), source)


def dev_key_file() -> Path:
    var_dir = getattr(settings, "VAR_DIR", None) or Path(settings.BASE_DIR) / "var"
    return Path(var_dir) / DEV_KEY_FILE_NAME


def _dev_keyring() -> KeyRing:
    """Development/test only: var/medical.keys with one generated key, created once (0600)."""
    path = dev_key_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode("ascii").rstrip("=")
    content = (
        "# Development/test key for medical field encryption (MD-3), generated by\n"
        "# encryption/crypto.py. Never use it in production. Deleting this file makes data\n"
        "# encrypted with it unreadable.\n"
        f"dev{secrets.token_hex(3)}:{key}\n"
    )
    if not path.exists():
        # Write a private temporary file, then link it into place: the link fails if another
        # process won the race, and nobody ever reads a half-written key file.
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # created concurrently by another process: read that one
        finally:
            tmp.unlink(missing_ok=True)
    return _read_key_file(path, f"development key file {path}")


def load_keys() -> KeyRing:
    """Read the keys from the environment (uncached). Raises ImproperlyConfigured."""
    env_value = os.environ.get(KEYS_ENV, "").strip()
    file_value = os.environ.get(KEY_FILE_ENV, "").strip()
    if env_value and file_value:
        raise ImproperlyConfigured(
            f"Set either {KEYS_ENV} or {KEY_FILE_ENV}, not both: it must be unambiguous which "
            "keys are in use."
        )
    if env_value:
        return parse_keys([e for e in env_value.split(",") if e.strip()], KEYS_ENV)
    if file_value:
        return _read_key_file(Path(file_value), KEY_FILE_ENV)
    if getattr(settings, "PRODUCTION", True):
        raise MedicalKeysMissing(
            f"No medical encryption keys (MD-3): set {KEYS_ENV} "
            f"(comma-separated 'keyid:base64url-32-bytes', the first is active) or "
            f"{KEY_FILE_ENV} (a file with one such entry per line)."
        )
    return _dev_keyring()


def keyring() -> KeyRing:
    """The configured keys, parsed once per process."""
    global _cache
    ring = _cache
    if ring is None:
        with _lock:
            if _cache is None:
                _cache = load_keys()
            ring = _cache
    return ring


def reset_keys_cache() -> None:
    """Forget the parsed keys (tests; after changing the environment)."""
    global _cache
    with _lock:
        _cache = None


def _on_setting_changed(setting, **kwargs):
    if setting in {"PRODUCTION", "VAR_DIR", "BASE_DIR"}:
        reset_keys_cache()


setting_changed.connect(_on_setting_changed, dispatch_uid="encryption-crypto-reset-keys")


def active_key_id() -> str:
    return keyring().active_id


# --- Encryption ------------------------------------------------------------------------------


def _aad_bytes(aad: str) -> bytes:
    if not isinstance(aad, str) or not aad:
        raise ValueError("aad must be a non-empty string (e.g. 'medisch.consult.anamnesis').")
    return aad.encode("utf-8")


def _seal(plaintext: bytes, aad: str) -> tuple[str, bytes]:
    ring = keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.ciphers[ring.active_id].encrypt(nonce, plaintext, _aad_bytes(aad))
    return ring.active_id, nonce + sealed


def _open(key_id: str, payload: bytes, aad: str) -> bytes:
    aad_bytes = _aad_bytes(aad)
    cipher = keyring().ciphers.get(key_id)
    if cipher is None:
        raise DecryptionError(
            f"Unknown key id {key_id!r}: the key that encrypted this value is not configured."
        )
    if len(payload) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("Malformed token: too short.")
    try:
        return cipher.decrypt(payload[:NONCE_BYTES], payload[NONCE_BYTES:], aad_bytes)
    except InvalidTag:
        raise DecryptionError(
            "Authentication failed: wrong key, value copied from another column or file, "
            "or tampered data."
        ) from None


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _b64decode_canonical(text: str) -> bytes:
    """Strict unpadded base64url: any other spelling of the same bytes is refused, so every
    change to a token's characters is a change to the authenticated bytes."""
    if not _B64URL_RE.fullmatch(text) or "=" in text:
        raise DecryptionError("Malformed token: payload is not unpadded base64url.")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise DecryptionError("Malformed token: payload is not base64url.") from None
    if _b64encode(raw) != text:
        raise DecryptionError("Malformed token: non-canonical base64url.")
    return raw


def encrypt(plaintext: str | bytes, *, aad: str) -> str:
    """Encrypt under the active key: 'v1:<keyid>:<base64url(nonce + ciphertext + tag)>'."""
    if isinstance(plaintext, str):
        plaintext = plaintext.encode("utf-8")
    elif not isinstance(plaintext, bytes | bytearray | memoryview):
        raise TypeError(f"encrypt() takes str or bytes, not {type(plaintext).__name__}")
    key_id, payload = _seal(bytes(plaintext), aad)
    return f"{VERSION}:{key_id}:{_b64encode(payload)}"


def _split_text_token(token: str) -> tuple[str, str]:
    if not isinstance(token, str):
        raise DecryptionError(f"A text token is a str, not {type(token).__name__}.")
    version, sep1, rest = token.partition(":")
    key_id, sep2, payload = rest.partition(":")
    if not (sep1 and sep2) or version != VERSION:
        raise DecryptionError("Malformed token: expected 'v1:<keyid>:<payload>'.")
    if not KEY_ID_RE.fullmatch(key_id):
        raise DecryptionError("Malformed token: invalid key id.")
    return key_id, payload


def decrypt(token: str, *, aad: str) -> bytes:
    """Decrypt a text token; raises DecryptionError on any failure."""
    key_id, payload = _split_text_token(token)
    return _open(key_id, _b64decode_canonical(payload), aad)


def encrypt_bytes(data: bytes, aad: str) -> bytes:
    """Binary variant for file contents: b'v1:' + keyid + b':' + nonce + ciphertext + tag."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"encrypt_bytes() takes bytes, not {type(data).__name__}")
    key_id, payload = _seal(bytes(data), aad)
    return _BINARY_PREFIX + key_id.encode("ascii") + b":" + payload


def _split_binary_token(blob: bytes) -> tuple[str, bytes]:
    if not isinstance(blob, bytes | bytearray | memoryview):
        raise DecryptionError(f"A binary token is bytes, not {type(blob).__name__}.")
    blob = bytes(blob)
    if not blob.startswith(_BINARY_PREFIX):
        raise DecryptionError("Malformed blob: not a v1 encrypted blob.")
    head = blob[len(_BINARY_PREFIX) : len(_BINARY_PREFIX) + 17]  # keyid is at most 16 bytes
    end = head.find(b":")
    if end < 1:
        raise DecryptionError("Malformed blob: invalid key id.")
    key_id = head[:end].decode("ascii", errors="replace")
    if not KEY_ID_RE.fullmatch(key_id):
        raise DecryptionError("Malformed blob: invalid key id.")
    return key_id, blob[len(_BINARY_PREFIX) + end + 1 :]


def decrypt_bytes(blob: bytes, aad: str) -> bytes:
    """Decrypt a binary blob from encrypt_bytes(); raises DecryptionError on any failure."""
    key_id, payload = _split_binary_token(blob)
    return _open(key_id, payload, aad)


def token_key_id(token: str | bytes) -> str:
    """The key id of a text token or binary blob (no decryption). Raises DecryptionError when
    the value is not a v1 token."""
    if isinstance(token, str):
        return _split_text_token(token)[0]
    return _split_binary_token(token)[0]


def binary_overhead(key_id: str) -> int:
    """Bytes a binary blob adds to its plaintext."""
    return len(_BINARY_PREFIX) + len(key_id) + 1 + NONCE_BYTES + TAG_BYTES


# --- System check ----------------------------------------------------------------------------


@register(Tags.security, deploy=True)
def check_medical_keys(app_configs=None, **kwargs):
    """MD-3: the app does not start in production without medical encryption keys.

    Registered as a normal check (runserver, migrate, check) and as a deployment check
    (`check --deploy`); under --deploy it therefore runs twice."""
    try:
        keyring()
    except MedicalKeysMissing as exc:
        return [
            Error(
                str(exc),
                hint=f"Set {KEYS_ENV}='k1:<base64url of 32 random bytes>' in the environment, "
                f"or {KEY_FILE_ENV}=/path/to/keyfile. Keys never go in the database.",
                id="medisch.E001",
            )
        ]
    except ImproperlyConfigured as exc:
        return [Error(f"Medical encryption keys are misconfigured: {exc}", id="medisch.E002")]
    return []


register(Tags.security)(check_medical_keys)
