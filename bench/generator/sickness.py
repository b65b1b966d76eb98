"""The sick reports, cases and medical dossiers of the plan (bench/generator/plan.py): who is
sick when, the samentelling into cases, the retention date of every ziekmelding and the next
Poortwachter deadline of every open case — computed with the application's own code — and the
dossiers with their consults. A mixin of `Plan`: it reads the employees that class planned."""

from __future__ import annotations

from bisect import bisect_left
from datetime import timedelta
from itertools import accumulate
from types import SimpleNamespace

from bench.generator.shape import (
    AFSPRAKEN,
    DURATIONS,
    OPEN_SHARE,
    WORDS,
    uuid4,
    weighted_sample,
)
from verzuim import deadlines, poortwachter
from verzuim.actions.termijnen import REPORT_KEY
from verzuim.retention import wia_window_day


class SicknessPlan:
    """Plans ziekmeldingen, cases and dossiers on the clock, employees and doctors of `Plan`."""

    def _duration(self):
        r, acc = self.rng.random(), 0.0
        for share, low, high in DURATIONS:
            acc += share
            if r < acc:
                return self.rng.randint(low, high)
        return DURATIONS[-1][2]

    def ziekmeldingen(self):
        rng, today, total = self.rng, self.today, self.shape.ziekmeldingen
        # Where each report can go: [ws, limit) with limit the first day that cannot be sick
        # any more (employment end, today); four days of room per report.
        capacity = []
        for w in self.wn:
            w.ws = max(w.start, self.window_start)
            w.limit = min(w.end, today) if w.end else today
            capacity.append(max(0, (w.limit - w.ws).days // 4))
        weights = [c * w.propensity for c, w in zip(capacity, self.wn, strict=True)]
        cum = list(accumulate(weights))
        counts = [0] * len(self.wn)
        placed = 0
        while placed < total:  # exactly `total` reports, nobody beyond their capacity
            for _ in range(total - placed):
                i = bisect_left(cum, rng.random() * cum[-1])
                if counts[i] < capacity[i]:
                    counts[i] += 1
                    placed += 1
        n_open = round(total * OPEN_SHARE)
        employed = [w.id for w, c in zip(self.wn, counts, strict=True) if c and w.end is None]
        open_ids = set(rng.sample(employed, n_open))
        zm_id = 0
        for w, k in zip(self.wn, counts, strict=True):
            if not k:
                continue
            limit = w.limit
            open_first = None
            if w.id in open_ids:
                ago = min(int(rng.expovariate(1 / 60)), 700)
                open_first = max(today - timedelta(days=ago), w.ws + timedelta(days=4 * (k - 1)))
                limit, k = open_first, k - 1
            slots = ((limit - w.ws).days - 1) // 2 + 1 if (limit - w.ws).days >= 1 else 0
            starts = sorted(rng.sample(range(slots), k)) if k else []
            days = [w.ws + timedelta(days=2 * s) for s in starts]
            periods = []
            for i, first in enumerate(days):
                nxt = days[i + 1] if i + 1 < len(days) else limit
                recovered = min(first + timedelta(days=self._duration()), nxt)
                periods.append((first, recovered))
            if open_first is not None:
                periods.append((open_first, None))
            case_id, prev_rec = None, None
            for first, recovered in periods:
                zm_id += 1
                if prev_rec is None or (first - prev_rec).days >= 28:  # samentelling (ZM-5)
                    case_id, continues = uuid4(rng), False
                else:
                    continues = True
                prev_rec = recovered
                span = ((recovered or today) - first).days
                percentage = 100 if rng.random() < 0.85 else rng.choice([40, 50, 60, 80])
                hersteld = []
                if span >= 28 and percentage == 100 and rng.random() < 0.3:
                    percentage = 50
                    hersteld.append(("gedeeltelijk", first + timedelta(days=span // 2), 50))
                if recovered is not None:
                    hersteld.append(("volledig", recovered, 0))
                if recovered is None:
                    expected = rng.choice(["zes_weken", "langer", "onbekend"])
                elif rng.random() < 0.1:
                    expected = "onbekend"
                else:
                    expected = (
                        "week"
                        if span <= 5
                        else "twee_weken"
                        if span <= 14
                        else "zes_weken"
                        if span <= 42
                        else "langer"
                    )
                created = self.at(first, 8 * 60 + rng.randrange(240))
                w.zms.append(
                    SimpleNamespace(
                        id=zm_id,
                        w=w,
                        first_day=first,
                        recovered_on=recovered,
                        case_id=case_id,
                        continues=continues,
                        percentage=percentage,
                        expected=expected,
                        afspraken=rng.choice(AFSPRAKEN),
                        vangnet=rng.random() < 0.03,
                        ongeval=rng.random() < 0.02,
                        regres=rng.random() < 0.01,
                        created=created,
                        herstel=[
                            (kind, day, pct, self.at(day, 9 * 60 + rng.randrange(300)))
                            for kind, day, pct in hersteld
                        ],
                        next_on=None,
                        next_key="",
                        next_label="",
                    )
                )
        self.zm = [zm for w in self.wn for zm in w.zms]
        self.open_zm = [zm for zm in self.zm if zm.recovered_on is None]
        return len(self.zm)

    def retention_and_deadlines(self):
        """keep_until of every ziekmelding (verzuim/retention.py ziekmelding_keep_until, on the
        planned rows) and the next Poortwachter deadline of every open case
        (verzuim/deadlines.py refresh_next_deadline)."""
        cases: dict[str, list] = {}
        for zm in self.zm:
            cases.setdefault(zm.case_id, []).append(zm)
        self.cases = cases
        window = wia_window_day()
        for chain in cases.values():
            ends = [z.recovered_on for z in chain]
            # RT-2, RT-3 count from the last day of absence, the day before the day back; the
            # WGA term only for a case that reached the WIA application (issue 24). The
            # generated employers are eigenrisicodrager for all time (one open period each).
            end = None if any(e is None for e in ends) else max(ends) - timedelta(days=1)
            days = None if end is None else sum((z.recovered_on - z.first_day).days for z in chain)
            for zm in chain:
                w, org = zm.w, zm.w.org
                if w.end is None:
                    zm.keep_until = None
                    continue
                base = self.rule_after("verzuimadministratie", w.end)
                candidates = [base]
                if end and org.erd_zw:
                    candidates.append(self.rule_after("eigenrisicodrager_zw", end))
                if end and org.erd_wga and days >= window:
                    candidates.append(self.rule_after("eigenrisicodrager_wga", end))
                if end is None and (org.erd_zw or org.erd_wga):
                    zm.keep_until = None
                else:
                    zm.keep_until = max(candidates)
        table = poortwachter.load_table()
        for zm in self.open_zm:
            chain = self.cases[zm.case_id]
            completed = {(REPORT_KEY, 1): chain[0].first_day}
            found = poortwachter.compute_deadlines(
                deadlines.periods_of(chain),
                today=self.today,
                completed=completed,
                employment_end=zm.w.end,
                vangnet=any(z.vangnet for z in chain),
                table=table,
            )
            upcoming = deadlines.next_open(found)
            for z in chain:  # refresh_next_deadline stores it on every period of the case
                z.next_on = upcoming.due if upcoming else None
                z.next_key = upcoming.key if upcoming else ""
                z.next_label = poortwachter.week_label(upcoming, table) if upcoming else ""
        return len(self.zm)

    def dossiers(self):
        rng, today = self.rng, self.today
        n = self.shape.dossiers
        chosen = [zm.w for zm in self.open_zm][:n]
        taken = {w.id for w in chosen}
        # Then employees with a long absence, rarely those whose employment ended long ago.
        rest, weights = [], []
        for w in self.wn:
            if w.id in taken or not w.zms:
                continue
            longest = max(((z.recovered_on or today) - z.first_day).days for z in w.zms)
            expired_leaver = w.keep_until is not None and w.keep_until < today
            rest.append(w)
            weights.append((3.0 if longest >= 15 else 0.3) * (0.15 if expired_leaver else 1.0))
        chosen += weighted_sample(rng, rest, weights, n - len(chosen))
        big_owner = next(
            w for w in chosen if w.org is self.orgs[0] and w.zms[-1].recovered_on is None
        )
        self.dossier_list = []
        consult_id = 0
        for d_id, w in enumerate(sorted(chosen, key=lambda w: w.id), start=1):
            long_zm = max(w.zms, key=lambda z: ((z.recovered_on or today) - z.first_day).days)
            if w is big_owner:
                n_consults, opened_day = (
                    self.shape.big_dossier_consults,
                    today - timedelta(days=400),
                )
            else:
                n_consults = rng.choice([2, 3])
                opened_day = min(long_zm.first_day + timedelta(days=rng.randint(3, 10)), today)
            end_day = min(today, opened_day + timedelta(days=365))
            span = (end_day - opened_day).days
            days = sorted(
                opened_day + timedelta(days=rng.randint(0, span)) for _ in range(n_consults)
            )
            doctor = self.doctor_of[w.org.id]
            consults = []
            for i, day in enumerate(days):
                consult_id += 1
                consults.append(
                    SimpleNamespace(
                        id=consult_id,
                        date=day,
                        created=self.at(day, 13 * 60 + i * 7 + rng.randrange(180)),
                        anamnesis=f"(synthetisch) anamnese {i + 1}: " + self.sentence(12),
                        findings="(synthetisch) " + self.sentence(10),
                        policy=f"(synthetisch) vervolgconsult over {rng.randint(2, 6)} weken",
                    )
                )
            opened = min(c.created for c in consults) - timedelta(minutes=30)
            last_changed = max(c.created for c in consults)
            exposure = rng.random() < 0.02
            rule = "medisch_dossier_blootstelling" if exposure else "medisch_dossier"
            d = SimpleNamespace(
                id=d_id,
                w=w,
                doctor=doctor,
                opened=opened,
                last_changed=last_changed,
                exposure=exposure,
                keep_until=self.rule_after(rule, last_changed.astimezone(self.tz).date()),
                consults=consults,
            )
            w.dossier = d
            self.dossier_list.append(d)
        self.big_dossier = big_owner.dossier
        return len(self.dossier_list)

    def sentence(self, n):
        return " ".join(self.rng.choice(WORDS) for _ in range(n)).capitalize() + "."

    def expected_expired(self):
        """What retention.purge.dry_run must find: ziekmeldingen whose date passed (nothing
        blocks them here), then employees whose date passed and whom no remaining ziekmelding
        and — by design (medisch/models.py, Dossier.werknemer) — no medical dossier protects
        (dossiers are kept 20 years, RT-4). Also the employee count if dossiers did not block,
        to tell the two apart in the verify stage."""
        today = self.today
        zm_gone = sum(1 for z in self.zm if z.keep_until is not None and z.keep_until < today)
        wn_gone = wn_with_dossier = 0
        for w in self.wn:
            if w.keep_until is None or w.keep_until >= today:
                continue
            if all(z.keep_until is not None and z.keep_until < today for z in w.zms):
                if w.dossier is None:
                    wn_gone += 1
                else:
                    wn_with_dossier += 1
        return {
            "verzuim.ziekmelding": zm_gone,
            "verzuim.werknemer": wn_gone,
            "werknemers expired but for their medical dossier": wn_with_dossier,
        }
