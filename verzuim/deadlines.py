"""Glue between stored cases and the pure Poortwachter engine (RI-1, RI-11, ZM-5): the facts of a
case as the engine reads them - its sick periods, completions, vangnet yes/no, the end of
employment, Wazo leave with whether the bedrijfsarts joins the periods around it, loonsancties
and extensions - its deadlines, and the ONE next deadline every page, list, filter, signal and
the API show (stored on the case's periods by `refresh_next_deadline`, in the same transaction
as every change that moves it). The engine and its table live in verzuim/poortwachter/ and
verzuim/poortwachter.toml."""

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from medisch import public as medisch_public  # MD-2: the one face of the medical module

from . import poortwachter
from .models import DeadlineCompletion, Verlof, WachttijdVerlenging, Ziekmelding


def periods_of(chain) -> list:
    """A case's sick periods, oldest first; the end is the last sick day (the day before full
    recovery)."""
    return [
        poortwachter.Period(
            start=zm.first_day,
            end=(zm.recovered_on - timedelta(days=1)) if zm.recovered_on else None,
        )
        for zm in sorted(chain, key=lambda z: z.first_day)
    ]


def active_completions():
    """Completions that count: not undone (RI-1)."""
    return DeadlineCompletion.objects.filter(undone_at__isnull=True)


def completions_of(case_ids) -> dict:
    found = defaultdict(dict)
    for c in active_completions().filter(case_id__in=list(case_ids)):
        found[c.case_id][(c.key, c.occurrence)] = c.completed_on
    return found


def chains_of(ziekmeldingen) -> dict:
    """case_id → every period of that case, in one query for a whole page."""
    case_ids = {zm.case_id for zm in ziekmeldingen}
    chains = defaultdict(list)
    for zm in Ziekmelding.objects.filter(case_id__in=case_ids).only(
        "pk", "case_id", "first_day", "recovered_on", "vangnet"
    ):
        chains[zm.case_id].append(zm)
    return chains


def leaves_of(werknemer_ids) -> dict:
    """werknemer_id → their Wazo leaves with the doctor's same-cause yes/no (ZM-5). The yes/no
    comes through medisch.public as "joined or not" only."""
    rows = list(Verlof.objects.filter(werknemer_id__in=list(werknemer_ids)))
    joins = medisch_public.leave_joins([v.pk for v in rows]) if rows else {}
    found = defaultdict(list)
    for v in rows:
        found[v.werknemer_id].append(
            poortwachter.Leave(start=v.start, end=v.end, same_cause=joins.get(v.pk))
        )
    return found


def extensions_of(case_ids) -> dict:
    found = defaultdict(list)
    for ext in WachttijdVerlenging.objects.filter(case_id__in=list(case_ids)):
        found[ext.case_id].append(
            poortwachter.WageExtension(kind=ext.kind, start=ext.start, end=ext.end)
        )
    return found


def deadlines_for(zm, *, chain=None, completed=None, today=None, leaves=None, extensions=None):
    """Every Poortwachter deadline of `zm`'s case, computed from what is recorded. The batch
    callers (the daily signals) pass what they loaded for many cases at once."""
    today = today or timezone.localdate()
    chain = chain if chain is not None else list(Ziekmelding.objects.filter(case_id=zm.case_id))
    if completed is None:
        completed = completions_of([zm.case_id]).get(zm.case_id, {})
    if leaves is None:
        leaves = leaves_of([zm.werknemer_id]).get(zm.werknemer_id, [])
    if extensions is None:
        extensions = extensions_of([zm.case_id]).get(zm.case_id, [])
    return poortwachter.compute_deadlines(
        periods_of(chain),
        today=today,
        completed=completed,
        employment_end=zm.werknemer.employment_end,
        vangnet=any(z.vangnet for z in chain),
        leaves=leaves,
        extensions=extensions,
    )


def still_asked(deadlines, chain=None):
    """The deadlines that still ask something: all of them while the case runs; once it has
    ended, only the moments after its end (the hersteldmelding to UWV, RI-11)."""
    ended = _case_end(chain) if chain is not None else None
    if ended is None:
        return list(deadlines)
    return [d for d in deadlines if d.due and d.due >= ended]


def next_open(deadlines, chain=None):
    """The case's next deadline (RI-1), the one every page, list, filter and signal shows."""
    return poortwachter.next_open(still_asked(deadlines, chain))


def _case_end(chain):
    ends = [z.recovered_on for z in chain]
    return None if not ends or None in ends else max(ends)


def next_deadline_fields(deadlines, chain) -> dict:
    """What is stored on every period of the case for lists, filters, the dashboard, the API."""
    upcoming = next_open(deadlines, chain)
    return {
        "next_deadline_on": upcoming.due if upcoming else None,
        "next_deadline_key": upcoming.key if upcoming else "",
        "next_deadline_label": poortwachter.week_label(upcoming) if upcoming else "",
    }


NO_NEXT_DEADLINE = {"next_deadline_on": None, "next_deadline_key": "", "next_deadline_label": ""}


def store_next_deadline(chain, found) -> None:
    """The case's latest period carries its next deadline, the earlier ones none - so every list,
    filter and panel shows a case once."""
    latest = max(chain, key=lambda z: z.first_day)
    Ziekmelding.objects.filter(pk=latest.pk).update(**next_deadline_fields(found, chain))
    earlier = [z.pk for z in chain if z.pk != latest.pk]
    if earlier:
        Ziekmelding.objects.filter(pk__in=earlier).update(**NO_NEXT_DEADLINE)


def refresh_next_deadline(zm, today=None) -> None:
    """Store the case's next deadline. Called inside the transaction of every change that moves
    it, and daily for the passing of time (tasks.py)."""
    chain = list(Ziekmelding.objects.filter(case_id=zm.case_id).select_related("werknemer"))
    if not chain:
        return
    store_next_deadline(chain, deadlines_for(chain[-1], chain=chain, today=today))


def refresh_cases_of(werknemer, today=None) -> None:
    """Refresh every case of an employee (a change to their employment or leave)."""
    seen = set()
    for zm in Ziekmelding.objects.filter(werknemer=werknemer).select_related("werknemer"):
        if zm.case_id not in seen:
            seen.add(zm.case_id)
            refresh_next_deadline(zm, today=today)
