"""Helpers for the fault-injection tests (marker `fault`): a connection to the test
database as its owning login (outside the application roles, MD-2 layer 2), the database URL a
subprocess needs to reach the same test database, and a fingerprint of every table's contents.
"""

from urllib.parse import quote

import psycopg
from django.db import connections
from psycopg import sql


def _settings_dict():
    return connections["default"].settings_dict


def subprocess_database_url() -> str:
    """The URL of the database pytest-django created (test_<name>), for a worker subprocess."""
    s = _settings_dict()
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{s['NAME']}"


def owner_connection() -> psycopg.Connection:
    """A fresh autocommit connection to the test database as the login itself (the owner of the
    tables; no SET ROLE), for schema work, fingerprints and terminating backends."""
    s = _settings_dict()
    return psycopg.connect(
        dbname=s["NAME"],
        user=s["USER"] or None,
        password=s.get("PASSWORD") or None,
        host=s.get("HOST") or None,
        port=s.get("PORT") or None,
        autocommit=True,
    )


def db_fingerprint() -> dict[str, str]:
    """table → md5 of all its rows (both aliases' tables, medical ones included): any insert,
    update or delete anywhere changes the fingerprint of that table."""
    with owner_connection() as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        result = {}
        for table in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                "FROM {} AS t"
            ).format(sql.Identifier(table))
            count, digest = conn.execute(query).fetchone()
            result[table] = f"{count}:{digest}"
        return result


def fingerprint_diff(before: dict, after: dict) -> dict:
    return {
        table: (before.get(table), after.get(table))
        for table in sorted(set(before) | set(after))
        if before.get(table) != after.get(table)
    }
