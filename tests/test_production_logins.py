"""Issue 22, item 1: the three database logins of the production shape, made by the compose
database's init script (deploy/postgres-init/10-roles.sh) and proven here against the local
PostgreSQL, which the script runs against unchanged.

MD-2, layer 2 (DESIGN.md): the employer side cannot reach the medical tables even through the
database. With one owner login and `SET ROLE` (the development setup) that holds only while the
code never says `RESET ROLE`; with three logins it holds against any code path:
- none of the three is a superuser or may create roles, and none is a member of another, so
  none can `SET ROLE` to another's privileges;
- the application login has no privilege on any medical table, the medical login none on the
  employer side's own tables (only SELECT on the few shared ones it reads);
- the application works end to end as web and worker run it: the owner migrates, then as the
  two logins with DB_SET_ROLE=false a ziekmelding and a consult through the real views, the
  nightly purge of an old case with its medical file, the audit log chained and verified
  (tests/logins_scenario.py).

Role names are global to a PostgreSQL cluster, so each run makes its own three (a random
suffix) in its own database and drops them afterwards.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit

import psycopg
import pytest
from psycopg import errors, sql

from config import db_roles

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "deploy" / "postgres-init" / "10-roles.sh"
TIMEOUT = 240


def _server() -> dict:
    """Host, port and superuser of the local server, from the suite's DATABASE_URL."""
    url = urlsplit(os.environ["DATABASE_URL"])
    return {"host": url.hostname or "127.0.0.1", "port": url.port or 5432, "user": url.username}


def _url(login: str, password: str, database: str) -> str:
    server = _server()
    secret = quote(password, safe="")
    return f"postgres://{login}:{secret}@{server['host']}:{server['port']}/{database}"


def _connect(login: str, password: str, database: str):
    server = _server()
    return psycopg.connect(
        host=server["host"],
        port=server["port"],
        user=login,
        password=password,
        dbname=database,
        autocommit=True,
    )


def _admin():
    server = _server()
    return psycopg.connect(
        host=server["host"],
        port=server["port"],
        user=server["user"],
        dbname="postgres",
        autocommit=True,
    )


def _env(logins, database_login: str, medisch_login: str, files: Path) -> dict:
    database = logins["db"]
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
        "VK_ENVIRONMENT": "test",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _url(database_login, logins["passwords"][database_login], database),
        "MEDISCH_DATABASE_URL": _url(medisch_login, logins["passwords"][medisch_login], database),
        "DB_SET_ROLE": "false",
        "ALLOWED_HOSTS": "testserver",
        "DB_APP_ROLE": logins["app"],
        "DB_MEDISCH_ROLE": logins["medisch"],
        "MEDICAL_FILES_ROOT": str(files),
        "MEDICAL_ENCRYPTION_KEYS": "logins:" + "A" * 43,
    }


def _run(args, env, what):
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    output = f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert result.returncode == 0, f"{what} failed:\n{output}"
    return result


@pytest.fixture(scope="module")
def logins(tmp_path_factory):
    suffix = secrets.token_hex(4)
    names = {
        "db": f"vk_logins_{suffix}",
        "owner": f"vkt_{suffix}_owner",
        "app": f"vkt_{suffix}_app",
        "medisch": f"vkt_{suffix}_medisch",
    }
    passwords = {names[k]: secrets.token_urlsafe(16) + "'\"" for k in ("owner", "app", "medisch")}
    logins = {**names, "passwords": passwords, "files": tmp_path_factory.mktemp("medical-files")}
    server = _server()
    with _admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(names["db"])))
    try:
        _run(
            ["sh", str(SCRIPT)],
            {
                **os.environ,
                "PGHOST": server["host"],
                "PGPORT": str(server["port"]),
                "POSTGRES_USER": server["user"],
                "POSTGRES_DB": names["db"],
                "VK_OWNER_LOGIN": names["owner"],
                "VK_OWNER_PASSWORD": passwords[names["owner"]],
                "VK_APP_LOGIN": names["app"],
                "APP_DB_PASSWORD": passwords[names["app"]],
                "VK_MEDISCH_LOGIN": names["medisch"],
                "MEDISCH_DB_PASSWORD": passwords[names["medisch"]],
            },
            "the init script",
        )
        # The compose `migrate` service: the owner login for both aliases.
        owner_env = _env(logins, names["owner"], names["owner"], logins["files"])
        logins["migrate"] = _run(
            [sys.executable, "manage.py", "migrate", "--no-input"], owner_env, "migrate as owner"
        )
        yield logins
    finally:
        with _admin() as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(names["db"])
                )
            )
            for key in ("owner", "app", "medisch"):
                admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(names[key])))


def _as(logins, key):
    login = logins[key]
    return _connect(login, logins["passwords"][login], logins["db"])


def test_md2_three_logins_none_privileged_none_member_of_another(logins):
    """MD-2: the init script makes three logins with passwords, no superuser, no CREATEROLE, and
    no membership among them, after `migrate` ran as the owner (it adds none either)."""
    names = [logins[k] for k in ("owner", "app", "medisch")]
    with _admin() as admin:
        rows = admin.execute(
            "SELECT rolname, rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolinherit,"
            " rolpassword LIKE 'SCRAM-SHA-256$%%' FROM pg_authid WHERE rolname = ANY(%s)",
            [names],
        ).fetchall()
        assert sorted(r[0] for r in rows) == sorted(names)
        for name, login, superuser, createrole, createdb, inherit, scram in rows:
            assert (login, superuser, createrole, createdb, scram) == (
                True,
                False,
                False,
                False,
                True,
            ), name
            # The owner inherits pg_database_owner's rights on a database it owns (a restore
            # target); the other two inherit nothing.
            assert inherit is (name == logins["owner"]), name
        memberships = admin.execute(
            "SELECT r.rolname, m.rolname FROM pg_auth_members a"
            " JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member"
            " WHERE r.rolname = ANY(%s) OR m.rolname = ANY(%s)",
            [names, names],
        ).fetchall()
        assert memberships == []
        owner = admin.execute(
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", [logins["db"]]
        ).fetchone()[0]
        assert owner == logins["owner"]


@pytest.mark.parametrize(
    "who, target",
    [
        ("app", "medisch"),
        ("app", "owner"),
        ("medisch", "app"),
        ("medisch", "owner"),
        ("owner", "app"),
        ("owner", "medisch"),
    ],
)
def test_md2_no_login_can_set_role_to_another(logins, who, target):
    with _as(logins, who) as conn:
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(logins[target])))


def test_md2_application_login_cannot_read_or_change_a_medical_table(logins):
    """MD-2 layer 2: no privilege of any kind on any medical table, for the application login
    itself (not a role it drops to), so no RESET ROLE can give one back."""
    with _as(logins, "medisch") as conn:
        medical = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename LIKE 'medisch\\_%%'"
            )
        ]
    assert len(medical) >= 10
    with _as(logins, "app") as conn:
        conn.execute("RESET ROLE")
        for table in medical:
            held = conn.execute(
                "SELECT has_table_privilege(current_user, %s, 'SELECT, INSERT, UPDATE, DELETE,"
                " TRUNCATE, REFERENCES, TRIGGER')",
                [f"public.{table}"],
            ).fetchone()[0]
            assert held is False, table
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM medisch_consult")
        # SE-7: the audit log is append-only for it as well.
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("DELETE FROM privacy_auditevent")


def test_md2_medical_login_reads_only_the_shared_tables(logins):
    with _as(logins, "medisch") as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename NOT LIKE 'medisch\\_%%'"
            )
        ]
        readable = {
            t
            for t in tables
            if conn.execute(
                "SELECT has_table_privilege(current_user, %s, 'SELECT')", [f"public.{t}"]
            ).fetchone()[0]
        }
        assert readable == set(db_roles.SHARED_READ_TABLES)
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM verzuim_verlof")


@pytest.fixture(scope="module")
def scenario(logins):
    """tests/logins_scenario.py as web and worker run: the application and medical logins."""
    env = _env(logins, logins["app"], logins["medisch"], logins["files"])
    result = _run([sys.executable, "-m", "tests.logins_scenario"], env, "the scenario")
    line = next(x for x in result.stdout.splitlines() if x.startswith("SCENARIO "))
    return json.loads(line.removeprefix("SCENARIO "))


def test_md2_the_application_works_end_to_end_as_the_two_logins(logins, scenario):
    """MD-2, RT-6, SE-7: web and worker as the application and medical logins (DB_SET_ROLE=false):
    a ziekmelding and a consult through the views, the nightly purge of an old case with its
    encrypted file, the audit log chained and intact."""
    seen = scenario
    assert seen["logins"] == {"default": logins["app"], "medisch": logins["medisch"]}
    assert seen["ziekmelding_status"] == 302 and seen["ziekmeldingen"] == 1
    assert seen["consult_status"] == 302
    assert seen["consult_anamnesis"] == "Synthetisch consult via drie logins."
    assert "drie logins" not in seen["consult_stored"]  # MD-3: ciphertext at rest
    assert seen["old_file_before"] is True
    assert seen["old_after"] == {
        "werknemer": False,
        "ziekmeldingen": 0,
        "dossier": False,
        "document": False,
        "file": False,
    }
    assert seen["purge"]["counts"]
    assert seen["current_kept"] == {"werknemer": True, "consult": True}
    assert seen["partitions"] >= 4
    assert seen["verify_audit_log"] == "ok"


def test_md2_se7_backup_and_restore_run_as_the_owner_login(logins, scenario, tmp_path):
    """The backup and the restore (deploy/backup.sh, restore.sh) as the compose `backup` service
    runs them: as the owner login, no superuser. The restored database's audit chain verifies
    (SE-7), and `migrate` under the owner gives the two logins their privileges back (MD-2)."""
    assert scenario["verify_audit_log"] == "ok"
    owner_env = _env(logins, logins["owner"], logins["owner"], logins["files"])
    backups = tmp_path / "backups"
    backups.mkdir()
    made = _run(
        ["sh", str(ROOT / "deploy" / "backup.sh")],
        {**owner_env, "BACKUP_DIR": str(backups)},
        "backup.sh as the owner",
    )
    (backup_set,) = [p for p in backups.iterdir() if p.is_dir()]
    assert str(backup_set) in made.stdout
    target = logins["db"] + "_restored"
    with _admin() as admin:
        admin.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(target), sql.Identifier(logins["owner"])
            )
        )
    try:
        restored_env = {
            **owner_env,
            "DATABASE_URL": _url(logins["owner"], logins["passwords"][logins["owner"]], target),
            "MEDISCH_DATABASE_URL": _url(
                logins["owner"], logins["passwords"][logins["owner"]], target
            ),
            "MEDICAL_FILES_ROOT": str(tmp_path / "restored-files"),
            "PYTHON": sys.executable,
        }
        restored = _run(
            ["sh", str(ROOT / "deploy" / "restore.sh"), str(backup_set)],
            restored_env,
            "restore.sh as the owner",
        )
        assert "Auditlog intact" in restored.stdout
        app, medisch = logins["app"], logins["medisch"]
        with _connect(app, logins["passwords"][app], target) as conn:
            assert conn.execute("SELECT count(*) FROM verzuim_ziekmelding").fetchone()[0] == 1
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute("SELECT count(*) FROM medisch_consult")
        with _connect(medisch, logins["passwords"][medisch], target) as conn:
            assert conn.execute("SELECT count(*) FROM medisch_consult").fetchone()[0] == 1
    finally:
        with _admin() as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target))
            )
