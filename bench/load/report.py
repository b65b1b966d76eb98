"""The report of a load run (bench/load/run.py; bench/README.md, "Load"): locust's CSV
statistics, the percentiles after the ramp (from the locustfile's per-request timeline), the audit
rows written against the rows the locustfile expects, and the bar with PASS/FAIL per line."""

import csv
from pathlib import Path

P95_BAR_MS = 500


def read_stats(prefix: Path):
    stats, failures, exceptions = [], [], []
    with open(f"{prefix}_stats.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            stats.append(
                {
                    "method": row["Type"],
                    "name": row["Name"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50_ms": _num(row["50%"]),
                    "p95_ms": _num(row["95%"]),
                    "p99_ms": _num(row["99%"]),
                    "max_ms": _num(row["Max Response Time"]),
                    "rps": round(float(row["Requests/s"] or 0), 2),
                }
            )
    with open(f"{prefix}_failures.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            failures.append(
                {
                    "method": row["Method"],
                    "name": row["Name"],
                    "error": row["Error"],
                    "count": int(row["Occurrences"]),
                }
            )
    exc_path = Path(f"{prefix}_exceptions.csv")
    if exc_path.exists():
        with open(exc_path, newline="") as fh:
            for row in csv.DictReader(fh):
                exceptions.append({"count": int(row["Count"]), "message": row["Message"][:300]})
    return stats, failures, exceptions


def after_ramp(timeline_path: Path, since):
    """p50/p95/p99 per (method, name) of the requests started after the last login finished:
    the steady state, without the login burst of the ramp-up."""
    if since is None or not timeline_path.exists():
        return {}
    samples = {}
    with open(timeline_path, newline="") as fh:
        for row in csv.DictReader(fh):
            if float(row["start"]) >= since:
                key = (row["method"], row["name"])
                samples.setdefault(key, []).append(int(row["response_ms"]))
    result = {}
    for key, values in samples.items():
        values.sort()

        def pct(p, values=values):
            return values[max(0, min(len(values) - 1, -(-p * len(values) // 100) - 1))]

        result[key] = {
            "requests": len(values),
            "p50_ms": pct(50),
            "p95_ms": pct(95),
            "p99_ms": pct(99),
        }
    return result


def _num(value):
    try:
        return round(float(value))
    except (TypeError, ValueError):
        return None


def verdict(ok):
    return "PASS" if ok else "FAIL"


def report(args, meta, stats, failures, exceptions, tally, audit_actual, chain_ok, steady):
    lines = []
    per_page = [s for s in stats if s["name"] != "Aggregated"]
    total = next((s for s in stats if s["name"] == "Aggregated"), None)
    errors = sum(s["failures"] for s in per_page) + sum(e["count"] for e in exceptions)
    expected = {(r["object_type"], r["action"]): r["rows"] for r in tally["expected_rows"]}
    actual = {(t, a): n for t, a, n in audit_actual}
    expected_total, actual_total = sum(expected.values()), sum(actual.values())
    accesses_total = sum(tally["accesses"].values())

    lines.append(
        f"Load run {meta['started_at']}  users={args.users} spawn-rate={args.spawn_rate} "
        f"time={args.time} think={args.wait}s workers={args.workers}"
    )
    lines.append(
        f"machine: {meta['cpus']} cores, load average before/after "
        f"{meta['loadavg_before']} / {meta['loadavg_after']}; all users logged in after "
        f"{meta.get('ramp_seconds', '?')} s"
    )
    lines.append("")
    header = f"{'page':<30} {'method':<6} {'requests':>8} {'errors':>6} {'p50':>6} {'p95':>6} "
    header += f"{'p99':>6}  bar (0 errors, p95 < {P95_BAR_MS} ms)  | after ramp: p50 p95 p99"
    lines.append(header)
    lines.append("-" * len(header))
    bar, bar_steady = [], []
    for s in sorted(per_page, key=lambda s: s["name"]):
        ok = s["failures"] == 0 and s["p95_ms"] is not None and s["p95_ms"] < P95_BAR_MS
        bar.append(ok)
        st = steady.get((s["method"], s["name"]))
        if st:
            bar_steady.append(s["failures"] == 0 and st["p95_ms"] < P95_BAR_MS)
            after = f"{st['p50_ms']:>6} {st['p95_ms']:>6} {st['p99_ms']:>6}"
        else:
            after = f"{'—':>6} {'—':>6} {'—':>6}"
        s["after_ramp"] = st
        lines.append(
            f"{s['name'][:30]:<30} {s['method']:<6} {s['requests']:>8} {s['failures']:>6} "
            f"{s['p50_ms']!s:>6} {s['p95_ms']!s:>6} {s['p99_ms']!s:>6}  {verdict(ok):<37}"
            f"| {after}"
        )
    if total:
        lines.append(
            f"{'ALL (aggregated)':<30} {'':<6} {total['requests']:>8} {total['failures']:>6} "
            f"{total['p50_ms']!s:>6} {total['p95_ms']!s:>6} {total['p99_ms']!s:>6}  "
            f"({total['rps']} req/s)"
        )
    lines.append("")
    lines.append(f"{'audit rows (object_type / action)':<44} {'expected':>9} {'written':>8}")
    for key in sorted(set(expected) | set(actual)):
        lines.append(
            f"{key[0] + ' / ' + key[1]:<44} {expected.get(key, 0):>9} {actual.get(key, 0):>8}"
        )
    lines.append(f"{'total':<44} {expected_total:>9} {actual_total:>8}")
    lines.append(
        "accesses to audited pages (successful requests): "
        + ", ".join(f"{k} {v}" for k, v in sorted(tally["accesses"].items()))
        + f" = {accesses_total}"
    )
    for what, n in sorted(tally.get("unaudited", {}).items()):
        lines.append(f"not audited by the application — {what}: {n}")
    lines.append("")
    errors_ok = errors == 0
    pages_ok = all(bar)
    audit_ok = expected == actual and expected_total > 0
    summary = [
        (f"errors == 0 (got {errors})", errors_ok),
        (f"p95 < {P95_BAR_MS} ms on every page ({sum(bar)}/{len(bar)} pages)", pages_ok),
        (f"audit rows written == expected ({actual_total} vs {expected_total})", audit_ok),
        (
            f"(extra) p95 < {P95_BAR_MS} ms on every page after the ramp, i.e. for requests "
            f"started after the last login ({sum(bar_steady)}/{len(bar_steady)} pages)",
            bool(bar_steady) and all(bar_steady),
        ),
        ("audit hash chain intact after the run (verify_audit_log)", chain_ok),
        (f"every simulated user logged in ({tally['logins']})", not tally["logins"].get("failed")),
    ]
    lines.append("BAR")
    for text, ok in summary:
        lines.append(f"  {verdict(ok)}  {text}")
    if failures or exceptions:
        lines.append("")
        lines.append("errors by kind:")
        for f in failures:
            lines.append(f"  {f['count']:>5}  {f['method']} {f['name']}: {f['error'][:160]}")
        for e in exceptions:
            lines.append(f"  {e['count']:>5}  exception: {e['message'][:160]}")
    # The user's bar: errors, p95 over the whole run, audit; the extra lines inform.
    passed = errors_ok and pages_ok and audit_ok and chain_ok
    return (
        "\n".join(lines),
        passed,
        {
            "errors": errors,
            "errors_by_kind": failures,
            "exceptions": exceptions,
            "audit": {
                "expected_by_kind": [
                    {"object_type": k[0], "action": k[1], "rows": v}
                    for k, v in sorted(expected.items())
                ],
                "written_by_kind": [
                    {"object_type": k[0], "action": k[1], "rows": v}
                    for k, v in sorted(actual.items())
                ],
                "expected_total": expected_total,
                "written_total": actual_total,
                "accesses": tally["accesses"],
                "accesses_total": accesses_total,
                "chain_intact": chain_ok,
            },
            "bar": [{"line": text, "pass": ok} for text, ok in summary],
            "pass": passed,
        },
    )
