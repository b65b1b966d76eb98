"""RT-6, the purge's set-based work (issue 8, bench/measure_purge.py): a chunk of roots costs a
fixed number of queries whatever its size, the optional `compute_many` of a category answers
for a whole chunk, a batch of members and roots is deleted without the collector where nothing
else is needed — and where something is (a document's file, SET_NULL) the collector still runs;
a protecting record that appears between the check and the delete still stops the delete."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from retention import purge as purge_module
from retention import registry
from retention.models import LegalHold
from retention.purge import dry_run
from tests.retention.builders import at, plan, purge_on, sick
from tests.verzuim.factories import WerknemerFactory
from verzuim.models import (
    DeadlineCompletion,
    DeadlineSignal,
    Herstelmelding,
    Noodinformatie,
    WachttijdVerlenging,
    Werknemer,
    Ziekmelding,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


def ex_employees(employer, n):
    """n employees whose employment ended in 2023: expired on TODAY (RT-1)."""
    return [
        WerknemerFactory(
            organisation=employer,
            employment_start=date(2020, 1, 1),
            employment_end=date(2023, 12, 31),
        )
        for _ in range(n)
    ]


def test_rt6_dry_run_queries_do_not_grow_with_the_number_of_expired_roots(
    employer, django_assert_max_num_queries
):
    """A chunk of roots is examined with a fixed number of queries (roots, holds, protecting
    records per relation, extensions), not a few per root."""
    ex_employees(employer, 2)
    with at(TODAY):
        with CaptureQueriesContext(connection) as few:
            assert {r.key: r.count for r in dry_run()}["verzuim.werknemer"] == 2
    ex_employees(employer, 10)
    with at(TODAY):
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert {r.key: r.count for r in dry_run()}["verzuim.werknemer"] == 12


def test_rt6_compute_many_answers_for_the_chunk_and_the_purge_uses_it(employer, monkeypatch):
    """A category without SQL dates (`sql`, issue 20): its `compute_many` is called once per
    chunk instead of `compute` per root, and the purge removes what it says."""
    ex_employees(employer, 3)
    cat = registry.category("verzuim.werknemer")
    compute, calls = cat.compute, []
    monkeypatch.setattr(cat, "sql", None)

    def compute_many(roots):
        calls.append(len(roots))
        return {root.pk: compute(root) for root in roots}

    monkeypatch.setattr(cat, "compute_many", compute_many)
    monkeypatch.setattr(cat, "compute", lambda root: pytest.fail("compute per root"))
    run = purge_on(TODAY)
    assert run.counts["verzuim.werknemer"] == 3
    assert not Werknemer.objects.exists()
    assert calls and max(calls) == 3


def test_rt6_set_based_delete_only_where_the_collector_adds_nothing():
    """Ziekmelding (CASCADE to herstelmeldingen) and werknemer (CASCADE, PROTECT, DO_NOTHING)
    go set-based; a dossier keeps the collector (its documents' post_delete removes the file),
    and so does a trajectory (a machtiging is SET_NULL)."""
    assert purge_module._set_based(Ziekmelding)
    assert purge_module._set_based(Werknemer)
    assert not purge_module._set_based(registry.category("medisch.dossier").model)
    assert not purge_module._set_based(registry.category("reintegratie.traject").model)


def test_rt6_set_based_delete_removes_members_first(make_user, employer):
    hr = make_user("hr", device=False)
    (werknemer,) = ex_employees(employer, 1)
    zm = sick(hr, werknemer, date(2023, 3, 1), date(2023, 3, 20))
    Noodinformatie.objects.create(
        werknemer=werknemer,
        text="synthetisch: wat collega's moeten weten",
        consent_text_version="1",
        consent_text="synthetisch",
        confirmed_at=timezone.now(),
    )
    assert Herstelmelding.objects.filter(ziekmelding=zm).exists()
    run = purge_on(TODAY)
    assert run.counts == {"verzuim.ziekmelding": 1, "verzuim.werknemer": 1}
    assert not Herstelmelding.objects.filter(ziekmelding_id=zm.pk).exists()
    assert not Ziekmelding.objects.filter(pk=zm.pk).exists()
    assert not Werknemer.objects.filter(pk=werknemer.pk).exists()
    assert not Noodinformatie.objects.filter(werknemer_id=werknemer.pk).exists()


def test_rt6_set_based_delete_still_refuses_a_protected_root(make_user, employer):
    """A record that protects the root but was not there when the batch was chosen (a sick
    report filed in between) stops the delete as the collector's PROTECT would: ProtectedError,
    the batch's transaction rolls back, nothing is removed."""
    hr = make_user("hr", device=False)
    (werknemer,) = ex_employees(employer, 1)
    sick(hr, werknemer, date(2023, 3, 1), date(2023, 3, 20))
    cat = registry.category("verzuim.werknemer")
    with pytest.raises(ProtectedError):
        with transaction.atomic():
            purge_module._delete(cat, [werknemer.pk], "default")
    assert Werknemer.objects.filter(pk=werknemer.pk).exists()
    assert Ziekmelding.objects.filter(werknemer=werknemer).exists()


def test_rt1_rt2_ziekmelding_compute_many_equals_compute_record_by_record(make_user, employer):
    """RT-1..3: the ziekmelding's batch form (one query for all case ends) answers exactly what
    the per-record computation answers — employed or not, open or recovered, samentelling chains
    with an open or only closed reports, with and without eigenrisicodragerschap."""
    from accounts.models import EigenrisicodragerPeriode, Organisation
    from verzuim.retention import ziekmelding_keep_until, ziekmelding_keep_until_many

    hr = make_user(Role.HR)
    erd = Organisation.objects.create(name="ERD BV", kind="werkgever")
    for kind in ("zw", "wga"):
        EigenrisicodragerPeriode.objects.create(organisation=erd, kind=kind)
    erd_hr = make_user(Role.HR, organisation=erd)
    rows = []
    for org, filer in ((employer, hr), (erd, erd_hr)):
        for end in (None, date(2022, 12, 31)):
            w = WerknemerFactory(
                organisation=org, employment_start=date(2015, 1, 1), employment_end=end
            )
            rows.append(sick(filer, w, date(2020, 3, 2), date(2020, 3, 20)))
            # Samentelling: a new report within 28 days continues the case; the last one open.
            rows.append(sick(filer, w, date(2020, 4, 6), date(2020, 4, 20)))
            rows.append(sick(filer, w, date(2020, 5, 4)))
            rows.append(
                sick(
                    filer,
                    WerknemerFactory(organisation=org, employment_end=end),
                    date(2021, 1, 4),
                    date(2021, 2, 1),
                )
            )
    zms = list(Ziekmelding.objects.select_related("werknemer", "organisation"))
    assert len(zms) == len(rows) == 16
    assert len({zm.case_id for zm in zms}) < len(zms)  # chains really exist
    assert ziekmelding_keep_until_many(zms) == {zm.pk: ziekmelding_keep_until(zm) for zm in zms}


def test_rt1_case_deadline_rows_stay_while_a_period_of_the_case_remains(make_user, employer):
    """RT-1, RT-6: the deadline rows of a case (Poortwachter completions, signals, a loonsanctie)
    belong to every period of the case (samentelling): a batch that removes one period while
    another of the same case stays (here: held) leaves them; they go with the case's last
    period. Another case's rows are never touched. verzuim's hook decides this in the
    database, one DELETE per table (bench/README.md, Purge, issue 20)."""
    hr = make_user("hr", device=False)
    (werknemer,) = ex_employees(employer, 1)
    first = sick(hr, werknemer, date(2023, 3, 6), date(2023, 3, 20))
    second = sick(hr, werknemer, date(2023, 4, 3), date(2023, 4, 17))
    assert first.case_id == second.case_id  # samentelling: one case
    staying = sick(hr, WerknemerFactory(organisation=employer), date(2024, 1, 8))

    def case_rows(case_id):
        DeadlineCompletion.objects.create(
            case_id=case_id, key="probleemanalyse", completed_on=date(2023, 3, 30)
        )
        DeadlineSignal.objects.create(
            case_id=case_id, key="probleemanalyse", state="due", recipient=hr
        )
        WachttijdVerlenging.objects.create(
            case_id=case_id,
            kind="loonsanctie",
            decided_on=date(2023, 4, 1),
            start=date(2023, 4, 1),
            end=date(2023, 4, 30),
            reference="synthetisch",
        )

    def rows_of(case_id):
        return [
            model.objects.filter(case_id=case_id).count()
            for model in (DeadlineCompletion, DeadlineSignal, WachttijdVerlenging)
        ]

    case_rows(first.case_id)
    case_rows(staying.case_id)
    before, other = rows_of(first.case_id), rows_of(staying.case_id)
    assert all(before) and all(other)
    LegalHold.objects.create(
        category="verzuim.ziekmelding",
        object_id=second.pk,
        reason="Geschil over loondoorbetaling (synthetisch).",
        until=date(2026, 6, 30),
    )
    run = purge_on(TODAY)
    assert run.counts == {"verzuim.ziekmelding": 1}
    assert not Ziekmelding.objects.filter(pk=first.pk).exists()
    assert rows_of(first.case_id) == before  # the held period keeps the case's rows
    run = purge_on(date(2026, 7, 1))
    assert run.counts == {"verzuim.ziekmelding": 1, "verzuim.werknemer": 1}
    assert rows_of(first.case_id) == [0, 0, 0]
    assert rows_of(staying.case_id) == other


def test_rt6_a_protected_root_waits_whether_the_chunk_query_or_a_separate_check_finds_it(
    make_user, employer
):
    """RT-6: an expired root that another record still protects waits, and the dry run says so.
    Protection on the root's own database is checked inside the chunk query (`NOT EXISTS`,
    issue 20); in a dry run a model that leaves earlier in the pass (the ziekmeldingen) is
    checked apart, its leaving records not counting. Three ex-employees: one kept by a held
    plan van aanpak, one by a held ziekmelding, one free — only the free one goes, in the
    dry run as in the run."""
    hr = make_user("hr", device=False)
    by_plan, by_case, free = ex_employees(employer, 3)
    plan_case = sick(hr, by_plan, date(2023, 3, 6), date(2023, 3, 20))
    held_plan = plan(hr, plan_case, date(2023, 3, 13))
    held_case = sick(hr, by_case, date(2023, 3, 6), date(2023, 3, 20))
    sick(hr, free, date(2023, 3, 6), date(2023, 3, 20))
    for key, pk in (("reintegratie.plan", held_plan.pk), ("verzuim.ziekmelding", held_case.pk)):
        LegalHold.objects.create(
            category=key, object_id=pk, reason="Geschil (synthetisch).", until=date(2027, 1, 1)
        )
    with at(TODAY):
        planned = {r.key: r.count for r in dry_run() if r.count}
    run = purge_on(TODAY)
    assert run.counts == planned
    assert run.counts["verzuim.werknemer"] == 1
    assert set(Werknemer.objects.values_list("pk", flat=True)) == {by_plan.pk, by_case.pk}
    assert Ziekmelding.objects.filter(pk=held_case.pk).exists()
    with at(TODAY):
        assert not any(r.count for r in dry_run())
