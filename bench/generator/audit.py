"""The audit log of the synthetic data set (bench/generate.py), as the application writes it
(privacy/audit.py), hash-chained with that module's own `_canonical` and `_digest`.

Imported after django.setup() (bench/generate.py)."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from bench.generator.write import copy_rows
from privacy.audit import GENESIS, _canonical, _digest
from privacy.models import AuditEvent


def write_audit(plan, conn) -> int:
    """The audit log of five years of use, as the application writes it (privacy/audit.py): one
    row per ziekmelding filed and per herstelmelding, per dossier opened and consult recorded,
    and reads — the overview's one row per sick report shown, case pages, employee pages,
    dossier pages — until the shape's total. Rows are sorted by time, numbered without gaps
    and hash-chained with the module's own `_canonical` and `_digest`."""
    rng = random.Random(plan.seed + 1)
    total = plan.shape.audit_events
    # Compact events first (time in µs, kind, reference), sorted; the rows are built streaming.
    events = []
    epoch = datetime(1970, 1, 1, tzinfo=UTC)

    def us(dt):
        return (dt - epoch) // timedelta(microseconds=1)

    for z in plan.zm:
        events.append((us(z.created) + rng.randrange(10**6), 0, z))
        for n, (_kind, _day, _pct, at) in enumerate(z.herstel):
            events.append((us(at) + rng.randrange(10**6), 1, (z, n)))
    for d in plan.dossier_list:
        events.append((us(d.opened) + rng.randrange(10**6), 2, d))
        for c in d.consults:
            events.append((us(c.created) + rng.randrange(10**6), 3, (d, c)))
    reads = total - len(events)
    if reads < 0:
        raise RuntimeError(f"audit total {total} < the {len(events)} write events")
    now_us = us(plan.now)
    for _ in range(reads):
        r = rng.random()
        z = plan.zm[rng.randrange(len(plan.zm))]
        start = us(z.created)
        end = us(plan.at(z.recovered_on, 17 * 60)) if z.recovered_on else now_us
        when = start + rng.randrange(max(1, end - start + 90 * 86_400 * 10**6))
        if when > now_us:  # read after the case ended: up to 90 days, never in the future
            when = start + rng.randrange(max(1, now_us - start))
        if r < 0.72:
            events.append((when, 4, z))  # overview: one row per sick report shown
        elif r < 0.84:
            events.append((when, 5, z))  # case page
        elif r < 0.92:
            events.append((when, 6, z.w))  # employee page
        else:
            d = z.w.dossier or plan.dossier_list[rng.randrange(len(plan.dossier_list))]
            opened = us(d.opened)
            if when <= opened:
                when = opened + rng.randrange(max(1, now_us - opened))
            events.append((when, 7, d))  # dossier page
    events.sort(key=lambda e: (e[0], e[1]))
    addresses = [f"10.{a}.{b}.{c}" for a in (20, 21) for b in range(4) for c in (11, 23, 37, 52)]

    def rows():
        prev = GENESIS
        seq = 0
        for when, kind, ref in events:
            seq += 1
            if kind in (0, 1, 4, 5):
                z = ref[0] if kind == 1 else ref
                w = z.w
                actor = plan.hr_of[w.org.id][0]
                object_type, ids = "verzuim.ziekmelding", [str(z.id)]
                if kind == 0:
                    action = "create"
                    detail = "ziekmelding (samentelling)" if z.continues else "ziekmelding"
                elif kind == 1:
                    action, detail = "update", f"herstelmelding ({z.herstel[ref[1]][0]})"
                elif kind == 4:
                    action, detail = "read", "verzuimoverzicht"
                else:
                    action, detail = "read", "ziekmelding ingezien"
            elif kind == 6:
                w, actor = ref, plan.hr_of[ref.org.id][0]
                object_type, ids = "verzuim.werknemer", [str(ref.id)]
                action, detail = "read", "werknemer ingezien"
            else:
                d = ref[0] if kind == 3 else ref
                w, actor = d.w, d.doctor
                if kind == 2:
                    object_type, ids = "medisch.dossier", [str(d.id)]
                    action, detail = "create", "medisch dossier geopend"
                elif kind == 3:
                    object_type, ids = "medisch.consult", [str(ref[1].id)]
                    action, detail = "create", "consult vastgelegd"
                else:
                    object_type = "medisch.dossier"
                    # The page lists the consults recorded by then.
                    ids = [str(d.id)]
                    ids += [f"consult:{c.id}" for c in d.consults if us(c.created) <= when]
                    action, detail = "read", "medisch dossier ingezien"
            event = SimpleNamespace(
                seq=seq,
                occurred_at=epoch + timedelta(microseconds=when),
                action=action,
                subject=w.pseudonym,
                actor=actor.pseudonym,
                actor_role=actor.role,
                on_behalf_of=None,
                ip_address=addresses[seq % len(addresses)],
                object_type=object_type,
                object_ids=ids,
                detail=detail,
            )
            event.hash = _digest(prev, _canonical(event))
            yield {
                **vars(event),
                "id": seq,
                "object_ids": json.dumps(ids),
                "subjects": "{}",  # one subject per row here (`subject`)
                "prev_hash": prev,
            }
            prev = event.hash

    # The months the rows fall in, before the COPY: else they would all land in the audit log's
    # default partition (privacy/partitions.py).
    if events:
        first = (epoch + timedelta(microseconds=events[0][0])).date()
        last = (epoch + timedelta(microseconds=events[-1][0])).date()
        with conn.cursor() as cur:
            cur.execute("SELECT privacy_audit_ensure_partitions(%s, %s)", [first, last])
    return copy_rows(conn, AuditEvent, rows())
