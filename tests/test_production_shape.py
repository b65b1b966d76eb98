"""Issues 20 (item 5) and 22: the production shape — docker-compose.yml runs nginx ending TLS in
front of two web replicas, two workers and one beat, PostgreSQL with three logins (MD-2), a
durable Redis for the broker and one without persistence for the cache, and a backup service;
the web replicas reach PostgreSQL through PgBouncer in transaction mode, the workers directly
(the purge's lock is session-level). No Docker engine runs here: the file is read as data, and
what it relies on is proven against the local services elsewhere — the init script and the
logins in tests/test_production_logins.py, the proxy in tests/test_proxy.py, the broker in
tests/reliability/test_broker_restart.py, backup and restore in tests/test_backup_restore.py.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured

from config import components
from retention import tasks

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_compose_runs_two_web_and_two_workers_behind_a_proxy(compose):
    assert compose["web"]["deploy"]["replicas"] == 2
    assert compose["worker"]["deploy"]["replicas"] == 2
    assert "deploy" not in compose["beat"]  # one beat: two would send every periodic task twice
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in compose["proxy"]["volumes"]
    assert "ports" not in compose["web"]  # only through the proxy
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "proxy_pass $web" in nginx and "resolver 127.0.0.11" in nginx


def test_md2_every_app_process_logs_in_as_its_role_and_only_web_goes_through_pgbouncer(compose):
    """MD-2: the application and the medical module log in as their own roles (no SET ROLE);
    the web replicas through PgBouncer, the workers and beat directly, the owner migrates."""
    for name in ("web", "worker", "beat"):
        env = compose[name]["environment"]
        assert env["DB_SET_ROLE"] == "false", name
        assert env["DATABASE_URL"].startswith("postgres://vk_app:"), name
        assert env["MEDISCH_DATABASE_URL"].startswith("postgres://vk_medisch:"), name
    web = compose["web"]["environment"]
    assert web["DB_PGBOUNCER"] == "true"
    assert "@pgbouncer-app:" in web["DATABASE_URL"]
    assert "@pgbouncer-medisch:" in web["MEDISCH_DATABASE_URL"]
    for name in ("worker", "beat", "migrate"):
        env = compose[name]["environment"]
        assert "DB_PGBOUNCER" not in env, name
        assert "@db:5432/" in env["DATABASE_URL"], name
    for name in ("migrate", "backup"):
        env = compose[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://vk_owner:"), name
        assert env["MEDISCH_DATABASE_URL"].startswith("postgres://vk_owner:"), name
    for name in ("pgbouncer-app", "pgbouncer-medisch"):
        assert compose[name]["environment"]["POOL_MODE"] == "transaction"
    assert compose["pgbouncer-app"]["environment"]["DB_USER"] == "vk_app"
    assert compose["pgbouncer-medisch"]["environment"]["DB_USER"] == "vk_medisch"


def test_md2_the_database_service_makes_the_three_logins_with_the_init_script(compose):
    """The image's superuser only runs the init script; the three logins' names match the URLs
    above, and every password is a secret the operator must set (no default)."""
    db = compose["db"]
    assert "./deploy/postgres-init:/docker-entrypoint-initdb.d:ro" in db["volumes"]
    env = db["environment"]
    assert (env["VK_OWNER_LOGIN"], env["VK_APP_LOGIN"], env["VK_MEDISCH_LOGIN"]) == (
        "vk_owner",
        "vk_app",
        "vk_medisch",
    )
    for name in (
        "POSTGRES_PASSWORD",
        "VK_OWNER_PASSWORD",
        "APP_DB_PASSWORD",
        "MEDISCH_DB_PASSWORD",
    ):
        assert env[name] == f"${{{name}:?set {name}}}", name
    for service, spec in compose.items():
        for value in (spec.get("environment") or {}).values():
            assert "postgres://postgres" not in str(value), service  # no app login as superuser


def test_broker_is_durable_and_apart_from_the_cache(compose):
    """Issue 22 item 2: Celery on the broker Redis with deploy/redis-broker.conf on a volume (the
    file tests/reliability/test_broker_restart.py runs); the cache without persistence."""
    broker = compose["broker"]
    assert broker["command"] == ["redis-server", "/usr/local/etc/redis/redis.conf"]
    assert "./deploy/redis-broker.conf:/usr/local/etc/redis/redis.conf:ro" in broker["volumes"]
    assert "broker-data:/data" in broker["volumes"]
    conf = (ROOT / "deploy" / "redis-broker.conf").read_text().splitlines()
    assert "appendonly yes" in conf and "appendfsync always" in conf
    assert "maxmemory-policy noeviction" in conf
    cache = compose["redis"]["command"]
    assert cache[cache.index("--appendonly") + 1] == "no"
    for name in ("web", "worker", "beat", "migrate"):
        env = compose[name]["environment"]
        assert env["BROKER_URL"] == "redis://broker:6379/0", name
        assert env["REDIS_URL"] == "redis://redis:6379/0", name
        assert compose[name]["depends_on"]["broker"]["condition"] == "service_healthy", name


def test_tls_proxy_health_and_keys_in_the_compose_file(compose):
    """Issue 22 item 3: the proxy publishes 80 and 443 with the certificate folder mounted and
    waits for ready replicas (/readyz); HTTPS settings on; the medical keys are a secret file,
    not an environment variable, and not on a volume the backup reads."""
    proxy = compose["proxy"]
    assert proxy["ports"] == ["80:80", "443:443"]
    assert any(v.endswith(":/etc/nginx/tls:ro") for v in proxy["volumes"])
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    assert "/readyz" in " ".join(compose["web"]["healthcheck"]["test"])
    for name in ("web", "worker", "beat", "migrate", "backup"):
        env = compose[name]["environment"]
        assert env["BEHIND_PROXY"] == "true" and env["HTTPS"] == "true", name
        assert "MEDICAL_ENCRYPTION_KEYS" not in env, name
        assert env["MEDICAL_ENCRYPTION_KEY_FILE"] == "/run/secrets/medical_keys", name
        assert compose[name]["secrets"] == ["medical_keys"], name
        assert all("/run/secrets" not in v for v in compose[name]["volumes"]), name
    assert compose["backup"]["command"] == ["sh", "deploy/backup.sh"]
    assert compose["backup"]["profiles"] == ["ops"]  # run on demand, not by `up`


def test_behind_pgbouncer_no_server_side_cursors_and_no_prepared_statements():
    kwargs = dict(
        default_url="postgres://a@h/d",
        medisch_url="postgres://b@h/d",
        conn_max_age=0,
        pool=None,
        roles={"default": "vk_app", "medisch": "vk_medisch"},
        set_role=False,
    )
    direct = components.databases(**kwargs)
    bounced = components.databases(**kwargs, pgbouncer=True)
    for alias in ("default", "medisch"):
        assert not direct[alias].get("DISABLE_SERVER_SIDE_CURSORS")
        assert bounced[alias]["DISABLE_SERVER_SIDE_CURSORS"] is True
        assert bounced[alias]["OPTIONS"]["prepare_threshold"] is None


def test_settings_refuse_pgbouncer_with_set_role():
    """A SET ROLE does not stay with a connection under transaction pooling: refused at start."""
    env = {
        **os.environ,
        "VK_ENVIRONMENT": "test",
        "DB_PGBOUNCER": "true",
        "DB_SET_ROLE": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DB_PGBOUNCER=true needs DB_SET_ROLE=false" in result.stderr
    env["DB_SET_ROLE"] = "false"
    accepted = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert accepted.returncode == 0, accepted.stderr


def test_rt6_purge_refuses_to_run_behind_pgbouncer(settings):
    """RT-6: the purge's one-at-a-time lock is session-level; behind transaction pooling it would
    guard nothing, so the task refuses instead of purging unguarded."""
    settings.DB_PGBOUNCER = True
    with pytest.raises(ImproperlyConfigured, match="direct connection"):
        tasks._try_lock()
