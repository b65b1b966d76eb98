"""Shared helpers of the benchmarks (bench/README.md): a PostgreSQL database with the production
shape of MD-2, the environment the application runs in against it, `manage.py`, and the
synthetic data set of bench/generate.py.

    from bench import common
    manifest = common.generate("vk_bench_small", small=True)   # drop, create, migrate, fill
    env = common.env_from_manifest(manifest)                   # app role; owner=True: schema work
    common.manage(env, "verify_audit_log")

The database lives on 127.0.0.1:5432 (user postgres, trust auth). Each database gets two login
roles of its own, `<db>_app` and `<db>_medisch` (roles are cluster-wide; the test suites on this
server use NOLOGIN roles called vk_app/vk_medisch, so the benchmarks never touch those). The
application logs in as those roles (README: production sets DB_SET_ROLE=false); `migrate` and
`createcachetable` run as the owning login and re-apply the grants (config/db_roles.py), exactly as
`make run` (config/devserver.py) runs them.

Importable without Django: only the standard library and psycopg at module level.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
OUT = BENCH / "out"  # manifests (passwords, TOTP and encryption keys): git-ignored, 0600
PG_HOST, PG_PORT, PG_SUPERUSER = "127.0.0.1", 5432, "postgres"
DEFAULT_DB = "vk_bench"
DEFAULT_SMALL_DB = "vk_bench_small"
DEFAULT_SEED = 20261124
# The generator refuses other names: it drops the database it is given.
ALLOWED_DBS = frozenset({DEFAULT_DB, DEFAULT_SMALL_DB})
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def log(message: str, prefix: str = "bench") -> None:
    # Django sets TZ in its processes; pin the zone so every stage prints the same clock.
    print(f"[{prefix} {datetime.now(AMSTERDAM):%H:%M:%S}] {message}", flush=True)


# --- PostgreSQL ---------------------------------------------------------------------------------


def pg_url(db: str, user: str = PG_SUPERUSER, scheme: str = "postgresql") -> str:
    return f"{scheme}://{user}@{PG_HOST}:{PG_PORT}/{db}"


def connect(db: str = "postgres", *, autocommit: bool = True):
    """A psycopg 3 connection as the superuser (owner) to `db`."""
    return psycopg.connect(pg_url(db), autocommit=autocommit)


def pg(query, params=None, *, db: str = "postgres", fetch: bool = False):
    """Run one statement as the superuser (autocommit). `query` is a str with %s parameters or a
    psycopg.sql.Composed (names quoted with sql.Identifier)."""
    with connect(db) as conn:
        cur = conn.execute(query, params)
        return cur.fetchall() if fetch else None


def role_names(db: str) -> tuple[str, str]:
    """The login roles of a benchmark database: (application, medisch)."""
    return f"{db}_app", f"{db}_medisch"


def database_exists(name: str) -> bool:
    return bool(pg("SELECT 1 FROM pg_database WHERE datname = %s", [name], fetch=True))


def drop_database(name: str, roles: tuple[str, ...] | None = None) -> None:
    """Drop the database (closing its connections) and its login roles, if they exist."""
    pg(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    for role in roles if roles is not None else role_names(name):
        pg(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def create_database(name: str, roles: tuple[str, ...] | None = None) -> None:
    """(Re)create the database, owned by the superuser, and its login roles — the production
    shape of MD-2: the roles log in themselves (DB_SET_ROLE=false); privileges come from the
    project's own `migrate` (config/db_roles.py apply_grants). Drops an existing one first."""
    roles = roles if roles is not None else role_names(name)
    drop_database(name, roles)
    for role in roles:
        pg(
            sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE").format(
                sql.Identifier(role)
            )
        )
    pg(
        sql.SQL("CREATE DATABASE {} OWNER {}").format(
            sql.Identifier(name), sql.Identifier(PG_SUPERUSER)
        )
    )


# --- The application's environment ----------------------------------------------------------------


def new_secret_key() -> str:
    return secrets.token_urlsafe(50)


def new_medical_keys(key_id: str = "bench1") -> str:
    """MEDICAL_ENCRYPTION_KEYS with one fresh AES-256 key (encryption/crypto.py format)."""
    key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")
    return f"{key_id}:{key}"


def app_env(
    db: str,
    *,
    secret_key: str,
    medical_keys: str,
    owner: bool = False,
    roles: tuple[str, str] | None = None,
    **extra: str,
) -> dict:
    """The production environment of the application against `db` (README, Configuration):
    VK_ENVIRONMENT=production, the app and medisch aliases logging in as their own roles
    (DB_SET_ROLE=false), the medical key in MEDICAL_ENCRYPTION_KEYS. `owner=True`: both aliases
    connect as the owning superuser, for schema work (migrate) and bulk loading only.
    Variables of the caller's shell that configure the app (DJANGO_*, VK_*, DB_*, the URLs) are
    dropped; `extra` adds or overrides (e.g. REDIS_URL, MEDICAL_FILES_ROOT)."""
    app_role, medisch_role = roles if roles is not None else role_names(db)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VK_", "DB_"))}
    for name in ("DATABASE_URL", "MEDISCH_DATABASE_URL", "REDIS_URL", "HTTPS", "DEBUG"):
        env.pop(name, None)
    owner_url = pg_url(db, scheme="postgres")
    env.update(
        {
            "VK_ENVIRONMENT": "production",
            "DEBUG": "false",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain HTTP on loopback: no HTTPS redirect, no Secure-only cookies (config.settings).
            "HTTPS": "false",
            "DATABASE_URL": owner_url if owner else pg_url(db, app_role, "postgres"),
            "MEDISCH_DATABASE_URL": owner_url if owner else pg_url(db, medisch_role, "postgres"),
            "DB_SET_ROLE": "false",
            "DB_APP_ROLE": app_role,
            "DB_MEDISCH_ROLE": medisch_role,
            "MEDICAL_ENCRYPTION_KEYS": medical_keys,
            # No SMTP server here.
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONPATH": str(ROOT),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    env.update(extra)
    return env


def manage(env: dict, *args: str, capture: bool = False) -> subprocess.CompletedProcess:
    """`manage.py ARGS` under sys.executable in the checkout, as config/devserver.py runs it:
    our own script with our own arguments, no untrusted input. Raises on a non-zero exit."""
    return subprocess.run(  # noqa: S603  # nosec B603 — our manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=capture,
    )


def migrate(owner_env: dict) -> None:
    """Schema as `make run` makes it: migrate (re-applies the role grants) and the cache table,
    both as the owning login."""
    manage(owner_env, "migrate", "--no-input", "-v", "0")
    manage(owner_env, "createcachetable")


# --- Manifests of generated databases ------------------------------------------------------------


def manifest_path(db: str) -> Path:
    return OUT / f"{db}.json"


def _ensure_out() -> None:
    OUT.mkdir(exist_ok=True)
    ignore = OUT / ".gitignore"
    if not ignore.exists():  # the manifests hold passwords and keys: never committed
        ignore.write_text("*\n")


def write_manifest(manifest: dict) -> Path:
    _ensure_out()
    path = manifest_path(manifest["db"])
    tmp = path.with_suffix(".json.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(manifest, handle, indent=1, ensure_ascii=False)
        handle.write("\n")
    os.replace(tmp, path)
    return path


def load_manifest(db: str) -> dict:
    return json.loads(manifest_path(db).read_text())


def owner_test_env(db: str) -> dict:
    """The caller's environment with Django against `db` as the owner (VK_ENVIRONMENT=test, no
    SET ROLE): for a bench module's own throw-away database (measure_audit, measure_access_log),
    migrated and written by the owner, never the generated vk_bench."""
    return {
        **os.environ,
        "DATABASE_URL": pg_url(db, scheme="postgres"),
        "DB_SET_ROLE": "false",
        "VK_ENVIRONMENT": "test",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(ROOT),
    }


def fresh_owner_database(db: str) -> None:
    """Drop `db`, create it and migrate it as the owner (`owner_test_env`): a bench module's own
    throw-away database, never the generated vk_bench."""
    name = sql.Identifier(db)
    pg(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
    pg(sql.SQL("CREATE DATABASE {}").format(name))
    subprocess.run(  # noqa: S603  # nosec B603 — our manage.py, fixed arguments
        [sys.executable, "manage.py", "migrate", "-v", "0"],
        cwd=ROOT,
        env=owner_test_env(db),
        check=True,
    )


def env_from_manifest(manifest: dict, *, owner: bool = False, **extra: str) -> dict:
    """The application's environment for a generated database (its keys from the manifest)."""
    extra.setdefault("MEDICAL_FILES_ROOT", str(OUT / f"{manifest['db']}-medical-files"))
    return app_env(
        manifest["db"],
        secret_key=manifest["secret_key"],
        medical_keys=manifest["medical_encryption_keys"],
        owner=owner,
        roles=tuple(manifest["roles"]),
        **extra,
    )


# --- The synthetic data set (bench/generate.py) ---------------------------------------------------


def generate(
    db: str | None = None,
    *,
    small: bool = False,
    seed: int = DEFAULT_SEED,
    today: str | None = None,
    verify: bool = True,
) -> dict:
    """Drop and recreate `db` (default vk_bench, vk_bench_small with small=True), migrate it as
    production does, fill it with the synthetic data of bench/generate.py and, with `verify`,
    prove it readable through the application (bench/generate.py --stage verify). Returns the
    manifest (also in bench/out/<db>.json): users, password, TOTP keys, encryption key, counts,
    timings, retention counts. `today` (YYYY-MM-DD): the generation date the data is relative
    to (default: today in Europe/Amsterdam)."""
    db = db or (DEFAULT_SMALL_DB if small else DEFAULT_DB)
    if db not in ALLOWED_DBS:
        raise ValueError(f"refusing to drop and fill {db!r}: use one of {sorted(ALLOWED_DBS)}")
    roles = role_names(db)
    _ensure_out()
    timings: dict[str, float] = {}
    t_total = time.monotonic()
    manifest = {
        "db": db,
        "roles": list(roles),
        "small": small,
        "seed": seed,
        "secret_key": new_secret_key(),
        "medical_encryption_keys": new_medical_keys(),
        "password": secrets.token_urlsafe(18),
    }
    write_manifest(manifest)  # the keys first: the fill stage reads them from here

    t = time.monotonic()
    log(f"database {db} en rollen {'/'.join(roles)} aanmaken")
    create_database(db, roles)
    owner = env_from_manifest(manifest, owner=True)
    migrate(owner)
    timings["create_and_migrate"] = round(time.monotonic() - t, 1)
    log(f"gemigreerd in {timings['create_and_migrate']} s")

    args = ["--db", db, "--seed", str(seed)]
    if small:
        args.append("--small")
    if today:
        args += ["--today", today]
    _stage(owner, "fill", args)  # as the owner: bulk COPY into every table
    manifest = load_manifest(db)
    timings["generation_total"] = round(time.monotonic() - t_total, 1)  # create, migrate, fill
    manifest["timings"] = {**timings, **manifest.get("timings", {})}
    write_manifest(manifest)
    log(f"database {db} gevuld in {timings['generation_total']} s (aanmaken, migreren, vullen)")
    if verify:
        _stage(env_from_manifest(manifest), "verify", args)  # as the app and medisch roles
        manifest = load_manifest(db)
    manifest["timings"]["total_with_verify" if verify else "total"] = round(
        time.monotonic() - t_total, 1
    )
    write_manifest(manifest)
    return manifest


def _stage(env: dict, stage: str, args: list[str]) -> None:
    subprocess.run(  # noqa: S603  # nosec B603 — our own script, our own arguments
        [sys.executable, str(BENCH / "generate.py"), "--stage", stage, *args],
        cwd=ROOT,
        env=env,
        check=True,
    )
