"""Issue 16 item 5: importing the settings has no side effect. Without DATABASE_URL on a
developer machine they name the embedded PostgreSQL's address but start nothing, write no
var/secret_key and create no folder; the key is made at its first use, Celery's folders when
Celery is first configured, and the embedded server by the commands that need it
(config/embedded_db.py).

The settings run in a copy of config/ in an empty folder, so "nothing written" means nothing at
all, whatever this checkout's var/ already holds.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from config import embedded_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def checkout(tmp_path):
    """An empty folder holding only a copy of config/: the settings' BASE_DIR."""
    shutil.copytree(
        ROOT / "config", tmp_path / "config", ignore=shutil.ignore_patterns("__pycache__")
    )
    return tmp_path


def _python(checkout: Path, code: str) -> str:
    """Run `code` in the copy, as a developer machine with the embedded database asked for and
    no DATABASE_URL, SECRET_KEY or REDIS_URL."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(checkout)),
        "PYTHONPATH": str(checkout),
        "PYTHONDONTWRITEBYTECODE": "1",
        "VK_ENVIRONMENT": "development",
        "VK_EMBEDDED_DATABASE": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=checkout, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _postgres_serving(folder: Path) -> list[int]:
    return [
        proc.pid
        for proc in psutil.process_iter(attrs=["cmdline"])
        if any(str(folder) in part for part in proc.info["cmdline"] or ())
    ]


def test_importing_settings_starts_no_database_and_writes_nothing(checkout):
    """Issue 16 item 5: `import config.settings` with VK_EMBEDDED_DATABASE=1 and no DATABASE_URL
    starts no PostgreSQL, writes no secret key, creates no var/ (nor kombu's ./control)."""
    host = _python(
        checkout,
        "import config.settings as s; print(s.DATABASES['default']['OPTIONS']['host'])",
    )
    assert host == str(checkout / "var" / "pgdata")  # where the embedded server would listen
    started = _postgres_serving(checkout)
    for pid in started:  # a regression must not leave a server behind
        psutil.Process(pid).terminate()
    assert started == []
    assert sorted(p.name for p in checkout.iterdir()) == ["config"]


def test_secret_key_and_celery_folders_are_made_at_first_use(checkout):
    """Issue 16 item 5: outside production the secret key is created in var/secret_key (0600) when
    it is first used, and read back by every later process; Celery's filesystem folders appear
    when Celery is configured, all under var/celery/ (none in the working directory)."""
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings';"
        "from django.conf import settings; from config.celery import app;"
        "key = str(settings.SECRET_KEY); app.conf.broker_url; print(key)"
    )
    key = _python(checkout, code)
    secret = checkout / "var" / "secret_key"
    assert secret.read_text() == key and len(key) >= 50
    assert secret.stat().st_mode & 0o777 == 0o600
    assert _python(checkout, code) == key
    assert sorted(p.name for p in (checkout / "var" / "celery").iterdir()) == [
        "control",
        "processed",
        "queue",
        "results",
    ]
    assert not (checkout / "control").exists()


@pytest.mark.parametrize("command", sorted(embedded_db.COMMANDS))
def test_commands_that_need_the_database_start_the_embedded_one(command, monkeypatch):
    """Issue 16 item 5: manage.py starts the embedded server for `make run`'s and `make code`'s
    commands on a developer machine without DATABASE_URL, and hands its URL to the settings."""
    monkeypatch.setattr(embedded_db, "start", lambda: "postgresql://postgres:@/verzuimkluis")
    environ = {"VK_ENVIRONMENT": "development"}
    assert embedded_db.start_for_command(["manage.py", command, "-v", "0"], environ)
    assert environ["DATABASE_URL"] == "postgresql://postgres:@/verzuimkluis"
    assert environ["VK_EMBEDDED_DATABASE"] == "1"


@pytest.mark.parametrize(
    ("argv", "environ"),
    [
        (["manage.py", "shell"], {"VK_ENVIRONMENT": "development"}),
        (["manage.py", "check"], {"VK_ENVIRONMENT": "test"}),
        (["manage.py"], {"VK_ENVIRONMENT": "development"}),
        (["manage.py", "migrate"], {"VK_ENVIRONMENT": "development", "DATABASE_URL": "x"}),
        (["manage.py", "migrate"], {"VK_ENVIRONMENT": "production"}),
        (["manage.py", "migrate"], {}),  # VK_ENVIRONMENT defaults to production
    ],
)
def test_other_commands_and_configured_machines_start_no_embedded_database(
    argv, environ, monkeypatch
):
    """Issue 16 item 5: `manage.py shell` no longer boots a server; a given DATABASE_URL or
    production never gets the embedded one."""

    def refuse():
        raise AssertionError("the embedded server was started")

    monkeypatch.setattr(embedded_db, "start", refuse)
    before = dict(environ)
    assert not embedded_db.start_for_command(argv, environ)
    assert environ == before
