"""The database side of bench/measure_purge.py: copies of the synthetic database, row counts and
primary keys per table, and the raw SQL the task is compared with — the same rows removed by
`DELETE ... WHERE col = ANY(%s)` in one transaction.

Importable without Django."""

from __future__ import annotations

import time

from psycopg import errors, sql

from bench import common

# The roots the purge removes on the synthetic data set and, per root table, its members:
# (table, column naming the root). Checked: every other table's count stays equal.
ROOTS = {
    "verzuim_ziekmelding": [("verzuim_herstelmelding", "ziekmelding_id")],
    "verzuim_werknemer": [
        ("verzuim_noodinformatie", "werknemer_id"),
        ("doelgroep_noriskpolis", "werknemer_id"),
        ("doelgroep_ondersteuningsmaatregel", "werknemer_id"),
        ("doelgroep_geboorteland", "werknemer_id"),
        ("doelgroep_bezwaar", "werknemer_id"),
        ("doelgroep_vog", "werknemer_id"),
    ],
}
CASE_TABLES = ("verzuim_deadlinecompletion", "verzuim_deadlinesignal")  # keyed by case_id


def drop(name: str) -> None:
    """Drop a copy (it has no login roles of its own: it uses its source's)."""
    common.drop_database(name, roles=())


def copy(source: str, target: str, *, attempts: int = 120) -> None:
    """CREATE DATABASE target TEMPLATE source; retried while others are connected to source."""
    drop(target)
    for attempt in range(attempts):
        try:
            common.pg(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(target), sql.Identifier(source)
                )
            )
            return
        except errors.ObjectInUse:
            if attempt == attempts - 1:
                raise
            time.sleep(1)


def table_counts(db: str) -> dict[str, int]:
    with common.connect(db) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {
            table: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


def pks(db: str, table: str) -> set[int]:
    with common.connect(db) as conn:
        return {
            row[0]
            for row in conn.execute(sql.SQL("SELECT id FROM {}").format(sql.Identifier(table)))
        }


def _delete_members(conn, root: str, ids: list[int]) -> None:
    for table, column in ROOTS[root]:
        conn.execute(
            sql.SQL("DELETE FROM {} WHERE {} = ANY(%s)").format(
                sql.Identifier(table), sql.Identifier(column)
            ),
            [ids],
        )


def raw_delete(db: str, gone: dict[str, list[int]]) -> float:
    """Delete the roots in `gone` ({root table: pks}) and their members with plain SQL in one
    transaction: members first, then the case rows of cases with no period left, then roots."""
    with common.connect(db, autocommit=False) as conn:
        started = time.perf_counter()
        with conn.transaction():
            zm = gone.get("verzuim_ziekmelding", [])
            for root in ROOTS:
                ids = gone.get(root, [])
                if root == "verzuim_werknemer" or not ids:
                    continue
                _delete_members(conn, root, ids)
            cases = [
                row[0]
                for row in conn.execute(
                    "DELETE FROM verzuim_ziekmelding WHERE id = ANY(%s) RETURNING case_id", [zm]
                )
            ]
            for table in CASE_TABLES:
                conn.execute(
                    sql.SQL(
                        "DELETE FROM {} t WHERE t.case_id = ANY(%s) AND NOT EXISTS "
                        "(SELECT 1 FROM verzuim_ziekmelding z WHERE z.case_id = t.case_id)"
                    ).format(sql.Identifier(table)),
                    [list(set(cases))],
                )
            werknemers = gone.get("verzuim_werknemer", [])
            _delete_members(conn, "verzuim_werknemer", werknemers)
            conn.execute("DELETE FROM verzuim_werknemer WHERE id = ANY(%s)", [werknemers])
        return time.perf_counter() - started
