"""Issue 15, item 7 (availability under load; RULES.md has no rule ID for it): database
connections are pooled per process and alias, so many parallel clients never exhaust PostgreSQL's
max_connections; and a pooled connection is always in its alias's role when it is handed out
(MD-2, layer 2).

The suite itself runs unpooled (config/settings.py: DB_POOL is off under VK_ENVIRONMENT=test);
these tests build the settings with the pool switched on, and put a pooled connection on the
`default` and `medisch` aliases of the test database.
"""

import contextlib
import copy
import runpy

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connections
from django.db.backends.signals import connection_created

SETTINGS_FILE = settings.BASE_DIR / "config" / "settings.py"
POOL_VARIABLES = ("DB_POOL", "DB_POOL_MIN_SIZE", "DB_POOL_MAX_SIZE", "DB_POOL_TIMEOUT")


def _settings(monkeypatch, **environment) -> dict:
    """config/settings.py evaluated afresh with these environment variables (test environment)."""
    for name in (*POOL_VARIABLES, "DB_CONN_MAX_AGE", "MEDISCH_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VK_ENVIRONMENT", "test")
    monkeypatch.setenv("DATABASE_URL", "postgres://vk@db.example:5432/vk")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_pool_enabled_configures_both_aliases(monkeypatch):
    """Issue 15 item 7: DB_POOL puts psycopg's pool on both aliases, with the sizes and timeout
    of the environment, CONN_MAX_AGE=0 (Django refuses a pool otherwise) and health checks on
    checkout."""
    databases = _settings(
        monkeypatch,
        DB_POOL="true",
        DB_POOL_MIN_SIZE="2",
        DB_POOL_MAX_SIZE="8",
        DB_POOL_TIMEOUT="12.5",
    )["DATABASES"]
    assert set(databases) == {"default", "medisch"}
    for alias, db in databases.items():
        assert db["OPTIONS"]["pool"] == {
            "min_size": 2,
            "max_size": 8,
            "timeout": 12.5,
            "name": f"vk-{alias}",
        }
        assert db["CONN_MAX_AGE"] == 0
        assert db["CONN_HEALTH_CHECKS"] is True
    # One pool per alias: the two never share a dictionary (nor a connection).
    assert databases["default"]["OPTIONS"]["pool"] is not databases["medisch"]["OPTIONS"]["pool"]


def test_pool_keeps_the_connection_options_of_the_url(monkeypatch):
    """Issue 15 item 7: the embedded server's socket directory (?host=…) survives the pool."""
    databases = _settings(
        monkeypatch,
        DB_POOL="true",
        DATABASE_URL="postgresql://postgres:@/vk?host=/srv/vk/var/pgdata",
    )["DATABASES"]
    for db in databases.values():
        assert db["OPTIONS"]["host"] == "/srv/vk/var/pgdata"
        assert db["OPTIONS"]["pool"]["max_size"] == 10


def test_unpooled_by_default_under_test_and_when_switched_off(monkeypatch):
    """Issue 15 item 7: the test suite runs unpooled (one connection per alias in each test's
    transaction); DB_POOL=false keeps persistent connections (DB_CONN_MAX_AGE)."""
    databases = _settings(monkeypatch)["DATABASES"]
    assert all("pool" not in db.get("OPTIONS", {}) for db in databases.values())
    assert {db["CONN_MAX_AGE"] for db in databases.values()} == {60}
    databases = _settings(monkeypatch, DB_POOL="false", DB_CONN_MAX_AGE="30")["DATABASES"]
    assert all("pool" not in db.get("OPTIONS", {}) for db in databases.values())
    assert {db["CONN_MAX_AGE"] for db in databases.values()} == {30}


@pytest.mark.parametrize(
    "environment",
    [
        {"DB_CONN_MAX_AGE": "60"},
        {"DB_POOL_MIN_SIZE": "5", "DB_POOL_MAX_SIZE": "4"},
        {"DB_POOL_MIN_SIZE": "0", "DB_POOL_MAX_SIZE": "0"},
    ],
)
def test_contradictory_pool_settings_are_refused(monkeypatch, environment):
    """Issue 15 item 7: a persistent-connection age with a pool, or a pool that cannot hand out a
    connection, stops the start instead of failing at the first request."""
    with pytest.raises(ImproperlyConfigured):
        _settings(monkeypatch, DB_POOL="true", **environment)


@contextlib.contextmanager
def _pooled(alias: str, *, set_role: bool = True):
    """connections[alias] replaced by a pooled connection to the test database (one physical
    connection at most, so every checkout reuses it), restored afterwards."""
    original = connections[alias]
    settings_dict = copy.deepcopy(original.settings_dict)
    settings_dict["CONN_MAX_AGE"] = 0
    settings_dict["VK_SET_ROLE"] = set_role
    settings_dict["OPTIONS"] = {
        **settings_dict.get("OPTIONS", {}),
        "pool": {"min_size": 1, "max_size": 1, "timeout": 10},
    }
    # Django keeps one pool per alias per process; should the suite run pooled (DB_POOL=true),
    # this test's own pool stands in for that one and gives it back afterwards.
    pools = original.__class__._connection_pools
    suite_pool = pools.pop(alias, None)
    pooled = original.__class__(settings_dict, alias)
    assert pooled.pool is not None
    connections[alias] = pooled
    try:
        yield pooled
    finally:
        pooled.close()
        pooled.close_pool()
        connections[alias] = original
        if suite_pool is not None:
            pools[alias] = suite_pool


def _who(alias: str) -> tuple[str, str, int]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT current_user, session_user, pg_backend_pid()")
        return cursor.fetchone()


@pytest.mark.django_db(databases=["default", "medisch"])
@pytest.mark.parametrize(
    ("alias", "role"), [("medisch", "DB_MEDISCH_ROLE"), ("default", "DB_APP_ROLE")]
)
def test_pooled_connection_is_in_its_role_at_every_checkout(alias, role):
    """Issue 15 item 7, MD-2 layer 2: Django sends connection_created at every checkout from the
    pool, and config/db_roles.py sets the alias's role then — also on a physical connection that
    went back to the pool without it."""
    expected = getattr(settings, role)
    checkouts = []

    def count(sender, connection, **kwargs):
        if connection.alias == alias:
            checkouts.append(connection.connection)

    connection_created.connect(count)
    try:
        with _pooled(alias) as pooled:
            current, session, pid = _who(alias)
            assert current == expected
            assert session != expected
            # The role goes, the connection goes back to the pool …
            with pooled.cursor() as cursor:
                cursor.execute("RESET ROLE")
            pooled.close()
            assert pooled.connection is None
            # … and comes out again as the same backend, in the role once more.
            assert _who(alias) == (expected, session, pid)
    finally:
        connection_created.disconnect(count)
    assert len(checkouts) == 2
    assert checkouts[0] is checkouts[1]


@pytest.mark.django_db(databases=["default", "medisch"])
def test_pooled_connection_drops_its_role_in_owner_mode():
    """Issue 15 item 7, MD-2 layer 2: schema work (migrate, createcachetable, flush: owner mode)
    runs as the owning login even on a pooled connection that last served as vk_medisch —
    createcachetable re-applies the grants on the medisch alias, which that role could not — and
    the connection is in its role again when the command ends."""
    seen = []

    def record(sender, connection, **kwargs):  # runs after config/db_roles.py's receiver
        if connection.alias == "medisch":
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_user, pg_backend_pid()")
                seen.append(cursor.fetchone())

    with _pooled("medisch") as pooled:
        current, session, pid = _who("medisch")
        assert current == settings.DB_MEDISCH_ROLE
        pooled.close()  # back to the pool, still SET ROLE vk_medisch
        connection_created.connect(record)
        try:
            call_command("createcachetable", database="medisch")
        finally:
            connection_created.disconnect(record)
        assert seen == [(session, pid)]
        assert _who("medisch") == (settings.DB_MEDISCH_ROLE, session, pid)
        pooled.close()
        assert _who("medisch") == (settings.DB_MEDISCH_ROLE, session, pid)


@pytest.mark.django_db(databases=["default", "medisch"])
def test_pooled_connection_without_set_role_stays_the_login():
    """Issue 15 item 7, MD-2 layer 2: with DB_SET_ROLE=false (production: the aliases log in as
    the roles themselves) a pooled connection is left as its login at every checkout."""
    with _pooled("medisch", set_role=False) as pooled:
        current, session, pid = _who("medisch")
        assert current == session
        pooled.close()
        assert _who("medisch") == (session, session, pid)
