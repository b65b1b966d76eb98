# Semgrep test for vk-raw-sql-formatted (SE-6): run with `semgrep --test .semgrep`.
from django.db import connection
from django.db.models.expressions import RawSQL

from verzuim.models import Werknemer


def unsafe(cursor, name, order):
    # ruleid: vk-raw-sql-formatted
    cursor.execute(f"SELECT * FROM verzuim_werknemer WHERE last_name = '{name}'")
    # ruleid: vk-raw-sql-formatted
    cursor.execute("SELECT * FROM verzuim_werknemer WHERE last_name = '%s'" % name)
    # ruleid: vk-raw-sql-formatted
    cursor.execute("SELECT * FROM verzuim_werknemer WHERE last_name = '{}'".format(name))
    # ruleid: vk-raw-sql-formatted
    cursor.execute("SELECT * FROM verzuim_werknemer ORDER BY " + order)
    # ruleid: vk-raw-sql-formatted
    Werknemer.objects.raw(f"SELECT * FROM verzuim_werknemer WHERE last_name = '{name}'")
    # ruleid: vk-raw-sql-formatted
    Werknemer.objects.annotate(x=RawSQL("SELECT %s" % name, []))
    # ruleid: vk-raw-sql-formatted
    Werknemer.objects.extra(where=[f"last_name = '{name}'"])
    sql = f"DELETE FROM verzuim_werknemer WHERE last_name = '{name}'"
    # ruleid: vk-raw-sql-formatted
    cursor.execute(sql)
    q = connection.ops.quote_name
    # ruleid: vk-raw-sql-formatted
    cursor.execute(f"GRANT SELECT ON {q('t')} TO {name}")


def safe(cursor, name, table):
    q = connection.ops.quote_name
    # ok: vk-raw-sql-formatted
    cursor.execute("SELECT * FROM verzuim_werknemer WHERE last_name = %s", [name])
    # ok: vk-raw-sql-formatted
    Werknemer.objects.raw("SELECT * FROM verzuim_werknemer WHERE last_name = %s", [name])
    # ok: vk-raw-sql-formatted
    Werknemer.objects.annotate(x=RawSQL("SELECT %s", [name]))
    # ok: vk-raw-sql-formatted
    cursor.execute(f"GRANT SELECT ON {q(table)} TO {q(name)}")
    # ok: vk-raw-sql-formatted
    cursor.execute(f"REVOKE ALL ON {connection.ops.quote_name(table)} FROM PUBLIC")
    # ok: vk-raw-sql-formatted
    cursor.execute(
        f"GRANT SELECT, INSERT ON {q(table)} "
        f"TO {q(name)}"
    )


def indirect(cursor, table, pk, name):
    select = (
        f"SELECT {pk} FROM {table} "  # the names could come from anywhere
        "WHERE true"
    )
    # ruleid: vk-raw-sql-formatted
    cursor.execute(select, [])
    joined = "SELECT * FROM t WHERE a = '%s'" % name
    # ruleid: vk-raw-sql-formatted
    cursor.execute(joined)
    fixed = "SELECT 1"
    # ok: vk-raw-sql-formatted
    cursor.execute(fixed)
