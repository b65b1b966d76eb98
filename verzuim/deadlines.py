"""Glue between stored cases and the pure Poortwachter engine (RI-1, ZM-5): the periods of a
case, its completions, and the deadlines with their states. The engine itself and its table live
in verzuim/poortwachter.py and verzuim/poortwachter.toml."""

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from . import poortwachter
from .models import DeadlineCompletion, Ziekmelding


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


def completions_of(case_ids) -> dict:
    found = defaultdict(dict)
    for c in DeadlineCompletion.objects.filter(case_id__in=list(case_ids)):
        found[c.case_id][(c.key, c.occurrence)] = c.completed_on
    return found


def chains_of(ziekmeldingen) -> dict:
    """case_id → every period of that case, in one query for a whole page."""
    case_ids = {zm.case_id for zm in ziekmeldingen}
    chains = defaultdict(list)
    for zm in Ziekmelding.objects.filter(case_id__in=case_ids).only(
        "pk", "case_id", "first_day", "recovered_on"
    ):
        chains[zm.case_id].append(zm)
    return chains


def deadlines_for(zm, *, chain=None, completed=None, today=None):
    today = today or timezone.localdate()
    chain = chain if chain is not None else list(Ziekmelding.objects.filter(case_id=zm.case_id))
    if completed is None:
        completed = completions_of([zm.case_id]).get(zm.case_id, {})
    return poortwachter.compute_deadlines(
        periods_of(chain),
        today=today,
        completed=completed,
        employment_end=zm.werknemer.employment_end,
    )


def next_open(deadlines):
    pending = [
        d
        for d in deadlines
        if d.state in ("overdue", "due_soon", "open") and d.due and not d.informational
    ]
    return min(pending, key=lambda d: d.due) if pending else None


def refresh_next_deadline(zm, today=None) -> None:
    """Store the next open deadline on every period of the case (for filters and dashboards)."""
    upcoming = next_open(deadlines_for(zm, today=today))
    Ziekmelding.objects.filter(case_id=zm.case_id).update(
        next_deadline_on=upcoming.due if upcoming and zm.is_open else None,
        next_deadline_key=upcoming.key if upcoming and zm.is_open else "",
    )
