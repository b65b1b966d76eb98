"""The scripts bench/measure_purge.py runs with `python -c` in a fresh process pointed at a copy
of the synthetic database (the production environment of `bench.common.env_from_manifest`):
`CHILD` times the real purge task and measures its queries and peak memory; `EXPLAIN_CHILD`
records the plan of every statement shape the purge runs. Each prints one JSON line last.

The text of two programs: nothing here runs in this process."""

CHILD = r"""
import json, os, resource, sys, time
import django
django.setup()
from django.db import connections
from retention.tasks import purge_expired

if os.environ.get("VK_BENCH_WHAT_IF_COMPUTE_MANY"):
    # What-if (--what-if), NOT the production path: verzuim.ziekmelding given a set-based
    # compute_many (retention.registry) that runs the category's own ziekmelding_keep_until
    # with the case ends of the whole chunk from one aggregate query instead of case_end()'s
    # query per record. The hook itself would belong in verzuim/retention.py.
    from django.db.models import Count, Max, Q
    from retention import registry
    import verzuim.retention as vr
    from verzuim.models import Ziekmelding

    def compute_many(roots):
        ends = {
            row["case_id"]: None if row["open"] else row["end"]
            for row in Ziekmelding.objects.filter(case_id__in={r.case_id for r in roots})
            .values("case_id")
            .annotate(
                end=Max("recovered_on"),
                open=Count("pk", filter=Q(recovered_on__isnull=True)),
            )
        }
        real = vr.case_end
        vr.case_end = lambda zm: ends.get(zm.case_id)
        try:
            return {r.pk: vr.ziekmelding_keep_until(r) for r in roots}
        finally:
            vr.case_end = real

    registry.category("verzuim.ziekmelding").compute_many = compute_many

queries = {"n": 0}
def count(execute, sql, params, many, context):
    queries["n"] += 1
    return execute(sql, params, many, context)

def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
for alias in connections:
    connections[alias].ensure_connection()
before = rss_mb()
with connections["default"].execute_wrapper(count), connections["medisch"].execute_wrapper(count):
    started = time.perf_counter()
    result = purge_expired.apply()
    seconds = time.perf_counter() - started
outcome = result.get(propagate=True)
print(json.dumps({
    "seconds": seconds,
    "counts": outcome["counts"],
    "queries": queries["n"],
    "rss_before_mb": before,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


# The plans (--explain): the same task on a copy; before a statement of a shape not seen yet
# (IN lists folded) runs, EXPLAIN (ANALYZE, BUFFERS) of it runs in a transaction or savepoint
# that is rolled back, so a DELETE is measured without deleting. Written per shape with the
# number of times the shape ran in the whole purge.
EXPLAIN_CHILD = r"""
import json, re, sys
import django
django.setup()
from django.db import connections, transaction
from retention.tasks import purge_expired

shapes, guard = {}, {"on": False}
def shape_of(sql):
    return re.sub(r"\(%s(?:, %s)*\)", "(%s...)", sql)
def explain(execute, sql, params, many, context):
    conn = context["connection"]
    key = (conn.alias, shape_of(sql))
    if guard["on"]:
        return execute(sql, params, many, context)
    entry = shapes.get(key)
    kind = sql.lstrip().split(" ", 1)[0].upper()
    if entry is None and not many and kind in ("SELECT", "UPDATE", "DELETE"):
        guard["on"] = True
        try:
            with transaction.atomic(using=conn.alias):
                with conn.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                    plan = [row[0] for row in cursor.fetchall()]
                transaction.set_rollback(True, using=conn.alias)
        finally:
            guard["on"] = False
        entry = shapes[key] = {"alias": conn.alias, "sql": key[1], "plan": plan, "count": 0}
    if entry is not None:
        entry["count"] += 1
    return execute(sql, params, many, context)

default, medisch = connections["default"], connections["medisch"]
with default.execute_wrapper(explain), medisch.execute_wrapper(explain):
    purge_expired.apply().get(propagate=True)
json.dump(list(shapes.values()), sys.stdout)
"""
