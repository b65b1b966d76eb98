"""Issue 20, item 5: the production shape beyond one machine — docker-compose.yml runs a proxy in
front of two web replicas, two workers and one beat, PostgreSQL with the two login roles (MD-2)
and Redis; the web replicas reach PostgreSQL through PgBouncer in transaction mode, the workers
directly (the purge's lock is session-level). No Docker engine runs here: the file is read as
data, and the settings and the purge task are checked for what PgBouncer breaks.
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
    assert compose["migrate"]["environment"]["DATABASE_URL"].startswith("postgres://verzuimkluis:")
    for name in ("pgbouncer-app", "pgbouncer-medisch"):
        assert compose[name]["environment"]["POOL_MODE"] == "transaction"
    init = (ROOT / "deploy" / "postgres-init" / "10-roles.sh").read_text()
    assert "CREATE ROLE vk_app LOGIN" in init and "CREATE ROLE vk_medisch LOGIN" in init


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
