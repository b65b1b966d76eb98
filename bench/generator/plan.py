"""The plan of the synthetic data set (bench/generate.py): every row in memory, ids allocated up
front, before anything is written. This module plans the people — employers, accounts,
employees; bench/generator/sickness.py plans their sick reports, cases and medical dossiers.

Same seed and same generation date → the same plan (tests/bench/test_generate.py)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from bench.generator.shape import (
    BENCH_ORGS_LARGEST,
    CITIES,
    DEPARTMENTS,
    DOMAIN,
    ERD_WGA,
    ERD_ZW,
    FIRST_NAMES,
    HR_PER_BENCH_ORG,
    LAST_NAMES,
    LEFT_LONG_AGO,
    LEFT_RECENTLY,
    ORG_TRADES,
    ORG_WORDS,
    STREETS,
    WINDOW_DAYS,
    Shape,
    uuid4,
    years_before,
)
from bench.generator.sickness import SicknessPlan


class Plan(SicknessPlan):
    """All rows of the data set, planned before anything is written. Set `rules` (the table of
    retention/rules.py) before planning the employees."""

    def __init__(self, shape: Shape, seed: int, today: date, now: datetime, tz):
        self.shape, self.seed, self.today, self.now, self.tz = shape, seed, today, now, tz
        self.rng = random.Random(seed)
        self.window_start = today - timedelta(days=WINDOW_DAYS)

    # local wall-clock time → aware datetime in UTC (what PostgreSQL returns to Django)
    def at(self, day: date, minutes: int) -> datetime:
        local = datetime(day.year, day.month, day.day, tzinfo=self.tz) + timedelta(minutes=minutes)
        return min(local.astimezone(UTC), self.now)

    def organisations(self):
        rng, n = self.rng, self.shape.organisations
        # Zipf-like sizes: a few large employers, a long tail of small ones (at least 20 people).
        weights = [1 / (rank + 1) ** 0.7 for rank in range(n)]
        minimum = min(20, self.shape.employees // n)
        spare = self.shape.employees - minimum * n
        sizes = [minimum + int(spare * w / sum(weights)) for w in weights]
        sizes[0] += self.shape.employees - sum(sizes)
        self.orgs = []
        for k in range(n):
            name = f"{ORG_WORDS[k % len(ORG_WORDS)]} {ORG_TRADES[(k // 3) % len(ORG_TRADES)]} B.V."
            self.orgs.append(
                SimpleNamespace(
                    id=k + 2,  # 1 is the arbodienst
                    index=k,
                    name=f"{name} (synthetisch {k + 1})",
                    size=sizes[k],
                    erd_zw=rng.random() < ERD_ZW,
                    erd_wga=rng.random() < ERD_WGA,
                )
            )
        self.arbodienst_id = 1
        # Benchmark employers: the largest ones and the smallest.
        self.bench_orgs = [*self.orgs[:BENCH_ORGS_LARGEST], self.orgs[-1]]
        if len(self.bench_orgs) != len({o.id for o in self.bench_orgs}):
            self.bench_orgs = self.orgs[:]  # --small: every employer is a benchmark employer
        return len(self.orgs) + 1

    def _account(self, email: str, role: str, organisation_id: int, bench: bool):
        """A new user with a drawn name and pseudonym, added to the plan's users."""
        rng = self.rng
        user = SimpleNamespace(
            id=len(self.users_) + 1,
            email=email,
            full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            role=role,
            organisation_id=organisation_id,
            pseudonym=uuid4(rng),
            bench=bench,
        )
        self.users_.append(user)
        return user

    def users(self):
        rng = self.rng
        self.users_ = []
        bench_ids = {o.id for o in self.bench_orgs}
        self.hr_of = {}
        for org in self.orgs:
            count = HR_PER_BENCH_ORG if org.id in bench_ids else 1
            for k in range(count):
                email = f"hr-{org.index + 1}-{k + 1}@{DOMAIN}"
                user = self._account(email, "hr", org.id, org.id in bench_ids)
                self.hr_of.setdefault(org.id, []).append(user)
        self.doctors = [
            self._account(f"arts-{k + 1}@{DOMAIN}", "bedrijfsarts", self.arbodienst_id, True)
            for k in range(self.shape.doctors)
        ]
        # Every employer has one bedrijfsarts; doctor k serves employers k, k + D, k + 2D, …
        self.doctor_of = {o.id: self.doctors[o.index % len(self.doctors)] for o in self.orgs}
        self.totp_keys = {u.id: rng.getrandbits(160).to_bytes(20, "big").hex() for u in self.users_}
        return len(self.users_)

    def werknemers(self):
        rng, today = self.rng, self.today
        oldest_birth = years_before(today, 67)
        old_cut = years_before(today, 2) - timedelta(days=2)  # ended before: RT-1 clock expired
        self.wn = []
        for org in self.orgs:
            for k in range(org.size):
                r = rng.random()
                if r < LEFT_LONG_AGO:
                    end = self.window_start + timedelta(
                        days=rng.randrange((old_cut - self.window_start).days)
                    )
                elif r < LEFT_LONG_AGO + LEFT_RECENTLY:
                    end = old_cut + timedelta(days=2 + rng.randrange((today - old_cut).days - 2))
                else:
                    end = None
                latest_start = (end or today) - timedelta(days=30)
                start = latest_start - timedelta(days=int(rng.random() ** 1.5 * 20 * 365))
                room = (start - oldest_birth).days - 18 * 365
                dob = start - timedelta(days=18 * 365 + rng.randrange(max(1, min(room, 27 * 365))))
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                self.wn.append(
                    SimpleNamespace(
                        id=len(self.wn) + 1,
                        org=org,
                        first_name=first,
                        last_name=last,
                        personnel_number=f"P{k + 1:06d}",
                        dob=dob,
                        email=f"werknemer-{len(self.wn) + 1}@{DOMAIN}",
                        phone=f"06-{rng.randrange(10**8):08d}",
                        address=f"{rng.choice(STREETS)} {rng.randint(1, 250)}",
                        postcode=f"{rng.randint(1000, 9999)} {rng.choice('ABCDEGHJKLMN')}"
                        f"{rng.choice('PRSTVWXZ')}",
                        city=rng.choice(CITIES),
                        start=start,
                        end=end,
                        department=rng.choice(DEPARTMENTS),
                        pseudonym=uuid4(rng),
                        propensity=rng.gammavariate(2.0, 0.5),
                        zms=[],
                        dossier=None,
                    )
                )
        for w in self.wn:
            w.keep_until = self.rule_after("verzuimadministratie", w.end) if w.end else None
        return len(self.wn)

    def rule_after(self, key, day):
        return self.rules[key].period.after(day)
