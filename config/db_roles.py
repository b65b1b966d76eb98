"""MD-2, layer 2: the database itself keeps the employer side out of the medical tables.

Why this lives in config/ and not in medisch/: it is about connections, roles and privileges of
the whole database (both aliases, the audit log of SE-7), not medical content; it runs in every
process from `config.apps.ConfigAppConfig.ready`, and Django's own schema commands are replaced
around it (`config/management/commands/`: `migrate`, `flush` and `createcachetable` run in owner
mode; `migrate` and `createcachetable` re-apply the grants).

Two PostgreSQL roles:
- `vk_app` (DB_APP_ROLE): everything outside the medical module. It has privileges on every table
  except the medical ones, and may not UPDATE/DELETE/TRUNCATE the audit log (SE-7) beyond
  filling a new row's three chain columns (the trigger allows that once).
- `vk_medisch` (DB_MEDISCH_ROLE): the `medisch` alias (config.routers). It alone has privileges
  on the medical tables, plus SELECT on the few shared tables the module reads (people,
  organisations, assignments).

Tables are created and owned by the migration owner (the login of DATABASE_URL in development
and CI, a dedicated owner in production). Connections then drop to their role with `SET ROLE`
(DB_SET_ROLE, default on) so an employer-side code path touching a medical table fails with a
permission error. In production, log in as the roles themselves (DATABASE_URL as vk_app,
MEDISCH_DATABASE_URL as vk_medisch, DB_SET_ROLE=false) and run `migrate` with the owner's URL.

Owner mode (`owner_mode()`) is for schema work only: migrate, flush (tests) and createcachetable
run in it; no request or task does.

With the connection pool (DB_POOL, config/settings.py) a physical connection outlives the
request that used it and keeps the role it was given last. Django sends `connection_created`
at every checkout from the pool, not only when PostgreSQL accepts a new connection, so the role
is set at every checkout: `SET ROLE` outside owner mode, `RESET ROLE` in it (a pooled connection
may arrive carrying a role). Each alias has its own pool, so a connection never changes alias.
"""

import contextlib
import threading
import weakref

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.backends.signals import connection_created

_state = threading.local()
# Physical (psycopg) connections on which ensure_roles has run: once per connection, not at
# every checkout from the pool.
_roles_ensured = weakref.WeakSet()

# Shared tables the medical module reads (never writes) through its own connection.
SHARED_READ_TABLES = [
    "accounts_user",
    "accounts_organisation",
    "accounts_assignment",
    "verzuim_werknemer",
    "verzuim_ziekmelding",
    "django_content_type",
]
AUDIT_TABLE = "privacy_auditevent"
AUDIT_SEAL_TABLE = "privacy_auditseal"
# privacy migration 0009: the only ways the application changes the audit log's partitions.
AUDIT_FUNCTIONS = (
    "privacy_audit_ensure_partitions(date, date)",
    "privacy_audit_drop_partition(text, integer)",
)


def _in_owner_mode() -> bool:
    return getattr(_state, "owner", 0) > 0


def _role_of(connection) -> str:
    return connection.settings_dict.get("VK_ROLE") or ""


def _set_role(connection, cursor) -> None:
    role = _role_of(connection)
    if role:
        cursor.execute(f"SET ROLE {connection.ops.quote_name(role)}")


def on_connection_created(sender, connection, **kwargs):
    """A new connection, or one checked out of the pool (Django sends the signal for both)."""
    if connection.vendor != "postgresql" or connection.alias == "__no_db__":
        return
    if not connection.settings_dict.get("VK_SET_ROLE"):
        return
    with connection.cursor() as cursor:
        if _in_owner_mode():
            cursor.execute("RESET ROLE")
            return
        if connection.connection not in _roles_ensured:
            ensure_roles(cursor)
            _roles_ensured.add(connection.connection)
        _set_role(connection, cursor)


def connect_signal():
    connection_created.connect(on_connection_created, dispatch_uid="config-db-roles")


def role_names() -> tuple[str, str]:
    return settings.DB_APP_ROLE, settings.DB_MEDISCH_ROLE


def ensure_roles(cursor) -> None:
    """Create the two NOLOGIN roles if missing (needs CREATEROLE; a no-op once they exist), and
    make a non-superuser owner a member of both so its connections can SET ROLE (DB_SET_ROLE)."""
    for role in role_names():
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            # nosemgrep: vk-raw-sql-formatted — role name from settings (DB_*_ROLE), not input
            cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
        # A non-superuser owner must be a member to SET ROLE; superusers need nothing.
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = session_user")
        if not cursor.fetchone()[0]:
            # nosemgrep: vk-raw-sql-formatted — role name from settings (DB_*_ROLE), not input
            cursor.execute(f'GRANT "{role}" TO session_user')


def require_logins(cursor) -> None:
    """With DB_SET_ROLE=false the roles are logins made before the first `migrate`
    (deploy/postgres-init/10-roles.sh). Nothing here creates a role or a membership: the owner
    has no CREATEROLE, and a membership would let one login assume another's privileges."""
    missing = []
    for role in role_names():
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            missing.append(role)
    if missing:
        raise ImproperlyConfigured(
            f"database role(s) {', '.join(missing)} missing: with DB_SET_ROLE=false the logins "
            "are made first by deploy/postgres-init/10-roles.sh (README, Production)"
        )


@contextlib.contextmanager
def owner_mode():
    """Run schema work as the owning login; afterwards every open connection drops back to its
    role."""
    _state.owner = getattr(_state, "owner", 0) + 1
    try:
        for conn in connections.all(initialized_only=True):
            if conn.connection is not None and conn.vendor == "postgresql":
                with conn.cursor() as cursor:
                    cursor.execute("RESET ROLE")
        yield
    finally:
        _state.owner -= 1
        if not _in_owner_mode():
            for conn in connections.all(initialized_only=True):
                if (
                    conn.connection is not None
                    and conn.vendor == "postgresql"
                    and conn.settings_dict.get("VK_SET_ROLE")
                ):
                    with conn.cursor() as cursor:
                        _set_role(conn, cursor)


def medical_tables() -> list[str]:
    tables = []
    for model in apps.get_app_config("medisch").get_models(include_auto_created=True):
        tables.append(model._meta.db_table)
    return tables


def apply_grants(connection) -> None:
    """(Re)apply the privileges of both roles. Idempotent; run after every migrate."""
    app_role, med_role = role_names()
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.settings_dict.get("VK_SET_ROLE"):
            ensure_roles(cursor)
        else:
            require_logins(cursor)
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        existing = {row[0] for row in cursor.fetchall()}
        medical = [t for t in medical_tables() if t in existing]
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {q(app_role)}, {q(med_role)}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES "
            f"ON ALL TABLES IN SCHEMA public TO {q(app_role)}"
        )
        cursor.execute(
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {q(app_role)}"
        )
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {q(med_role)}")
        for table in medical:
            cursor.execute(f"REVOKE ALL ON {q(table)} FROM PUBLIC, {q(app_role)}")
            cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {q(table)} TO {q(med_role)}")
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            if sequence:
                # pg_get_serial_sequence returns the name already quoted for SQL.
                # nosemgrep: vk-raw-sql-formatted — quoted by pg_get_serial_sequence
                cursor.execute(f"REVOKE ALL ON SEQUENCE {sequence} FROM PUBLIC, {q(app_role)}")
                # nosemgrep: vk-raw-sql-formatted — quoted by pg_get_serial_sequence
                cursor.execute(f"GRANT USAGE, SELECT ON SEQUENCE {sequence} TO {q(med_role)}")
        for table in SHARED_READ_TABLES:
            if table in existing:
                cursor.execute(f"GRANT SELECT ON {q(table)} TO {q(med_role)}")
        if AUDIT_TABLE in existing:
            # SE-7: the application role can only append to the audit log.
            cursor.execute(
                f"REVOKE UPDATE, DELETE, TRUNCATE ON {q(AUDIT_TABLE)} FROM {q(app_role)}"
            )
            # ...except the chain fields, which the chainer fills once (privacy.audit,
            # chain_pending); the table's trigger refuses any other change.
            cursor.execute(
                f"GRANT UPDATE (seq, prev_hash, hash) ON {q(AUDIT_TABLE)} TO {q(app_role)}"
            )
            # The monthly partitions (privacy/partitions.py) are reached through the parent
            # only, whose privileges PostgreSQL checks; on a partition itself the application
            # role has none, so it cannot TRUNCATE or DELETE a month around the trigger. It
            # makes and drops months only through the two SECURITY DEFINER functions, the
            # second of which refuses a month younger than 5 years.
            for partition in audit_partitions(cursor):
                cursor.execute(f"REVOKE ALL ON {q(partition)} FROM PUBLIC, {q(app_role)}")
            for function in AUDIT_FUNCTIONS:
                if _function_exists(cursor, function):
                    # PUBLIC too: a restore without privileges (deploy/restore.sh) brings the
                    # functions back with PostgreSQL's default EXECUTE for everyone.
                    # nosemgrep: vk-raw-sql-formatted — constant signature from AUDIT_FUNCTIONS
                    cursor.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
                    # nosemgrep: vk-raw-sql-formatted — constant signature from AUDIT_FUNCTIONS
                    cursor.execute(f"GRANT EXECUTE ON FUNCTION {function} TO {q(app_role)}")
        if AUDIT_SEAL_TABLE in existing:
            # SE-7: the seals of dropped months are written once, never changed.
            cursor.execute(
                f"REVOKE UPDATE, DELETE, TRUNCATE ON {q(AUDIT_SEAL_TABLE)} FROM {q(app_role)}"
            )


def audit_partitions(cursor) -> list[str]:
    """The names of the audit log's partitions (the months and the default one)."""
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname",
        [f"public.{AUDIT_TABLE}"],
    )
    return [row[0] for row in cursor.fetchall()]


def _function_exists(cursor, signature: str) -> bool:
    cursor.execute("SELECT to_regprocedure(%s) IS NOT NULL", [signature])
    return cursor.fetchone()[0]
