"""bench/generate.py's plan, without a database: the same seed gives the same rows, and the rows
obey what the schema and the application require (constraints, samentelling, retention dates).
The generator's own verify stage checks the written database (bench/README.md)."""

from collections import defaultdict
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bench.generator.plan import Plan
from bench.generator.shape import OPEN_SHARE, SMALL
from bench.generator.write import copy_columns, werknemer_rows
from retention.rules import RULES
from verzuim import poortwachter
from verzuim.deadlines import periods_of
from verzuim.models import Werknemer

TODAY = date(2026, 11, 24)
TZ = ZoneInfo("Europe/Amsterdam")


def build(seed=1, shape=SMALL):
    now = datetime(2026, 11, 24, 12, tzinfo=TZ).astimezone(UTC)
    plan = Plan(shape, seed, TODAY, now, TZ)
    plan.rules = RULES
    plan.organisations()
    plan.users()
    plan.werknemers()
    plan.ziekmeldingen()
    plan.retention_and_deadlines()
    plan.dossiers()
    return plan


def fingerprint(plan):
    return (
        [(o.name, o.size, o.erd_zw, o.erd_wga) for o in plan.orgs],
        [(u.email, u.pseudonym, plan.totp_keys[u.id]) for u in plan.users_],
        [(w.first_name, w.last_name, w.dob, w.start, w.end, w.pseudonym) for w in plan.wn],
        [(z.w.id, z.first_day, z.recovered_on, z.case_id, z.percentage, z.keep_until, z.next_on)
         for z in plan.zm],
        [(d.w.id, d.last_changed, [(c.date, c.anamnesis) for c in d.consults])
         for d in plan.dossier_list],
    )  # fmt: skip


@pytest.fixture(scope="module")
def plan():
    return build()


def test_same_seed_same_data_other_seed_other_data(plan):
    assert fingerprint(build()) == fingerprint(plan)
    assert fingerprint(build(seed=2)) != fingerprint(plan)


def test_the_shape_is_exact(plan):
    shape = SMALL
    assert len(plan.orgs) == shape.organisations
    assert len(plan.wn) == shape.employees
    assert len(plan.zm) == shape.ziekmeldingen
    assert len(plan.open_zm) == round(shape.ziekmeldingen * OPEN_SHARE)
    assert len(plan.dossier_list) == shape.dossiers
    assert len(plan.big_dossier.consults) == shape.big_dossier_consults
    assert all(2 <= len(d.consults) <= 3 for d in plan.dossier_list if d is not plan.big_dossier)


def test_unique_constraints(plan):
    assert len({(w.org.id, w.personnel_number) for w in plan.wn}) == len(plan.wn)
    assert len({w.pseudonym for w in plan.wn} | {u.pseudonym for u in plan.users_}) == len(
        plan.wn
    ) + len(plan.users_)
    assert len({u.email for u in plan.users_}) == len(plan.users_)
    assert len({d.w.id for d in plan.dossier_list}) == len(plan.dossier_list)  # OneToOne
    assert len({o.name for o in plan.orgs}) == len(plan.orgs)


def test_sick_reports_follow_the_rules_of_create_ziekmelding_and_record_herstel(plan):
    for w in plan.wn:
        assert w.dob < w.start and (w.end is None or w.start <= w.end)
        previous = None
        for z in w.zms:
            assert w.start <= z.first_day <= TODAY
            assert w.end is None or z.first_day <= w.end
            assert 1 <= z.percentage <= 100
            if z.recovered_on is not None:
                assert z.first_day < z.recovered_on <= TODAY  # ziekmelding_recovery_after_start
            if previous is not None:
                assert previous.recovered_on is not None  # one open report, the last one
                assert z.first_day >= previous.recovered_on
            previous = z
        for z in w.zms:
            dates = [day for _kind, day, _pct, _at in z.herstel]
            assert dates == sorted(dates) and all(z.first_day < d for d in dates)
            assert (z.recovered_on is None) == (not z.herstel or z.herstel[-1][0] != "volledig")


def test_case_ids_are_the_samentelling_of_the_engine(plan):
    for w in plan.wn:
        if not w.zms:
            continue
        chains = poortwachter.chain_periods(periods_of(w.zms))
        by_case = defaultdict(list)
        for z in w.zms:
            by_case[z.case_id].append(z.first_day)
        assert sorted(sorted(v) for v in by_case.values()) == sorted(
            [p.start for p in chain] for chain in chains
        )


def test_retention_dates_follow_the_rule_table(plan):
    rule = RULES["verzuimadministratie"].period
    for w in plan.wn:
        assert w.keep_until == (rule.after(w.end) if w.end else None)
    for z in plan.zm:
        if z.w.end is None:
            assert z.keep_until is None
        elif not (z.w.org.erd_zw or z.w.org.erd_wga):
            assert z.keep_until == rule.after(z.w.end)
    for d in plan.dossier_list:
        years = 40 if d.exposure else 20
        assert d.keep_until.year - d.last_changed.astimezone(TZ).year == years
    expected = plan.expected_expired()
    assert expected["verzuim.ziekmelding"] > 0 and expected["verzuim.werknemer"] > 0


def test_open_cases_carry_their_next_deadline(plan):
    for z in plan.open_zm:
        assert z.next_on is not None and z.next_key
    assert all(z.next_on is None for z in plan.zm if plan.cases[z.case_id][-1].recovered_on)


def test_werknemer_rows_name_every_column_but_the_generated_ones(plan):
    """The generator's COPY names every column PostgreSQL does not fill itself: the search's
    stored UPPER() columns (verzuim migration 0008) are left out, the rest all there."""
    columns = copy_columns(Werknemer)
    assert "last_name_upper" not in columns and "last_name" in columns
    assert sorted(next(werknemer_rows(plan))) == sorted(columns)
