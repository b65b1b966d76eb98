"""RT-6: the purge is batched, idempotent and safe to kill and re-run. A mixed world of expired
and unexpired records across the categories is purged in batches of 2 and killed after N batches
(purge.Interrupted); a normal re-run then removes exactly what had expired — nothing unexpired is
touched, no encrypted document file is left without its row — a further run is a no-op, and the
purge records carry category keys and counts only, no names or pseudonyms."""

import json
from dataclasses import dataclass, field
from datetime import date

import pytest

from accounts.models import User
from accounts.roles import Role
from doelgroep.actions.registratie import create_kandidaat, record_registercheck
from doelgroep.actions.verklaring import sign_statement
from doelgroep.models import CheckedVia, Kandidaat, Registercheck
from doelgroep.synthetic import synthetic_bsns
from medisch.models import Consult, Document, Dossier, Keuring, document_storage
from reintegratie.models import (
    Factuur,
    PlanVanAanpak,
    PlanVersie,
    Trajectory,
    TrajectoryStaff,
    Voortgangsrapportage,
)
from retention import purge as purge_module
from retention import registry
from retention.models import LegalHold, PurgeRun, RetentionExtension
from tests.retention.builders import (
    at,
    dossier_with_document,
    employee,
    end_employment_on_model,
    keuring,
    plan,
    provider_with_consultant,
    purge_on,
    sick,
    stored_files,
    trajectory,
)
from verzuim.models import DeadlineCompletion, Herstelmelding, Werknemer, Ziekmelding

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)
BATCH = 2

ROOTS = {
    "verzuim.ziekmelding": Ziekmelding,
    "verzuim.werknemer": Werknemer,
    "reintegratie.plan": PlanVanAanpak,
    "reintegratie.traject": Trajectory,
    "medisch.dossier": Dossier,
    "medisch.keuring": Keuring,
    "doelgroep.registercheck": Registercheck,
    "doelgroep.sollicitant": Kandidaat,
}
# member model → (its root's category, the attribute naming the root)
MEMBERS = {
    Herstelmelding: ("verzuim.ziekmelding", "ziekmelding_id"),
    PlanVersie: ("reintegratie.plan", "plan_id"),
    TrajectoryStaff: ("reintegratie.traject", "trajectory_id"),
    Voortgangsrapportage: ("reintegratie.traject", "trajectory_id"),
    Factuur: ("reintegratie.traject", "trajectory_id"),
    Consult: ("medisch.dossier", "dossier_id"),
    Document: ("medisch.dossier", "dossier_id"),
}


@dataclass
class World:
    expired: dict = field(default_factory=dict)  # category → pks that must go
    personal: list = field(default_factory=list)  # strings no purge record may contain
    files_root: object = None

    def add(self, key, *objs):
        self.expired.setdefault(key, set()).update(o.pk for o in objs)


def snapshot() -> dict:
    rows = {
        key: set(model._default_manager.values_list("pk", flat=True))
        for key, model in ROOTS.items()
    }
    for model, (_, attr) in MEMBERS.items():
        rows[model.__name__] = set(model._default_manager.values_list("pk", attr))
    rows["DeadlineCompletion"] = set(DeadlineCompletion.objects.values_list("pk", "case_id"))
    return rows


def expected_after(world: World, before: dict, case_ids_gone: set) -> dict:
    after = {key: before[key] - world.expired.get(key, set()) for key in ROOTS}
    for model, (root, _) in MEMBERS.items():
        gone = world.expired.get(root, set())
        after[model.__name__] = {row for row in before[model.__name__] if row[1] not in gone}
    after["DeadlineCompletion"] = {
        row for row in before["DeadlineCompletion"] if row[1] not in case_ids_gone
    }
    return after


@pytest.fixture
def world(make_user, employer, settings, tmp_path):
    """Expired on TODAY: 4 ex-employees with their recovered case (2 with a plan van aanpak),
    3 exams, 3 medical dossiers with a file, 3 ended trajectories, 2 applicants' checks.
    Not expired: 4 employees (3 of them with an expired dossier), an open case, a running
    trajectory, an extended and a held one, a recent exam, a recent dossier with a file, a
    recent applicant."""
    settings.MEDICAL_FILES_ROOT = str(tmp_path / "medical-files")
    w = World(files_root=tmp_path / "medical-files")
    hr = make_user(Role.HR, device=False)
    doctor = make_user(Role.BEDRIJFSARTS, device=False)
    sign_statement(by=hr)

    # RT-1: ex-employees, each with a case recovered in 2023, employment ended end of 2023.
    for i in range(4):
        werknemer = employee(employer)
        zm = sick(hr, werknemer, date(2023, 3, 6), recovered_on=date(2023, 4, 3))
        if i < 2:
            w.add("reintegratie.plan", plan(hr, zm, date(2023, 3, 20)))
        end_employment_on_model(werknemer, date(2023, 12, 31))
        w.add("verzuim.ziekmelding", zm)
        w.add("verzuim.werknemer", werknemer)
        w.personal += [werknemer.first_name, werknemer.last_name, str(werknemer.pseudonym)]

    # Employees still employed; the first three have a medical dossier that expired (RT-4).
    staying = [employee(employer) for _ in range(4)]
    for werknemer in staying:
        w.personal += [werknemer.first_name, werknemer.last_name, str(werknemer.pseudonym)]
    for werknemer in staying[:3]:
        dossier, _ = dossier_with_document(doctor, werknemer, date(2005, 6, 1))
        w.add("medisch.dossier", dossier)
    dossier_with_document(doctor, staying[3], date(2020, 2, 3))  # until 2040

    # RT-5: trajectories on an open case of staying[0].
    provider, consultant = provider_with_consultant(make_user)
    open_case = sick(hr, staying[0], date(2023, 9, 4))
    ended = [
        trajectory(hr, open_case, provider, consultant, date(2023, 10, 2), end_on=date(2024, 1, 31))
        for _ in range(5)
    ]
    w.add("reintegratie.traject", *ended[:3])
    RetentionExtension.objects.create(
        category="reintegratie.traject",
        object_id=ended[3].pk,
        reason="Terugval in dezelfde klachten is waarschijnlijk.",
        extended_until=date(2027, 1, 31),
    )
    LegalHold.objects.create(
        category="reintegratie.traject",
        object_id=ended[4].pk,
        reason="Procedure bij de rechtbank (synthetisch).",
        until=date(2027, 1, 1),
    )
    trajectory(hr, open_case, provider, consultant, date(2024, 2, 1))  # running

    # RT-4: exams requested a year ago (expired) and last month (kept).
    candidate = make_user(Role.WERKNEMER, organisation=employer, device=False)
    w.personal += [candidate.email, candidate.full_name, str(candidate.pseudonym)]
    w.add("medisch.keuring", *(keuring(hr, candidate, date(2025, 6, 2)) for _ in range(3)))
    keuring(hr, candidate, date(2026, 5, 4))

    # RT-6 'sollicitant': applicants checked in March (expired) and in May (kept).
    bsns = synthetic_bsns()
    for i, checked_on in enumerate((date(2026, 3, 2), date(2026, 3, 3), date(2026, 5, 20))):
        name = f"Sollicitant Vijf{i}"
        bsn = next(bsns)
        w.personal += [name, bsn]
        with at(checked_on):
            kandidaat = create_kandidaat(by=hr, name=name)
            check = record_registercheck(
                by=hr,
                kandidaat=kandidaat,
                in_register=False,
                checked_on=checked_on,
                checked_via=CheckedVia.BSN,
                bsn=bsn,
            )
        w.personal.append(str(kandidaat.pseudonym))
        if checked_on < date(2026, 5, 1):
            w.add("doelgroep.registercheck", check)
            w.add("doelgroep.sollicitant", kandidaat)
    w.personal += [u.email for u in User.objects.all()]
    return w


def assert_no_orphan_files(world):
    on_disk = stored_files(world.files_root)
    in_rows = set(Document.objects.values_list("file", flat=True))
    assert on_disk == in_rows
    for name in in_rows:
        assert document_storage().exists(name)


def assert_purge_records_hold_no_personal_data(world):
    keys = {cat.key for cat in registry.categories()}
    runs = list(PurgeRun.objects.values())
    for run in runs:
        assert set(run["counts"]) <= keys, run["counts"]
        assert all(isinstance(n, int) and n > 0 for n in run["counts"].values()), run["counts"]
    dumped = json.dumps(runs, default=str).lower()
    for text in world.personal:
        assert text and text.lower() not in dumped, text


def expected_counts(world, still_there: dict) -> dict:
    return {
        key: len(world.expired[key] & still_there[key])
        for key in world.expired
        if world.expired[key] & still_there[key]
    }


def test_rt6_dry_run_matches_the_world(world):
    """RT-6: the dry run reports per category exactly what the run will remove."""
    with at(TODAY):
        plan_ = {row.key: row.count for row in purge_module.dry_run()}
    for key, pks in world.expired.items():
        assert plan_[key] == len(pks), key
    assert sum(plan_.values()) == sum(len(pks) for pks in world.expired.values())


@pytest.mark.parametrize("fail_after_batches", [0, 1, 3, 6, 9, 12])
def test_rt6_purge_killed_mid_run_then_rerun_removes_exactly_the_expired(world, fail_after_batches):
    """RT-6: killed after N batches of 2, the purge leaves a consistent state (whole batches
    only, no orphan files); a normal re-run removes exactly what had expired and touches
    nothing else; the killed run stays unfinished; a further run is a no-op."""
    before = snapshot()
    case_ids_gone = set(
        Ziekmelding.objects.filter(pk__in=world.expired["verzuim.ziekmelding"]).values_list(
            "case_id", flat=True
        )
    )
    expected = expected_after(world, before, case_ids_gone)

    with pytest.raises(purge_module.Interrupted):
        purge_on(TODAY, batch_size=BATCH, fail_after_batches=fail_after_batches)
    killed = PurgeRun.objects.get()
    assert killed.finished_at is None
    middle = snapshot()
    removed = sum(len(before[key] - middle[key]) for key in ROOTS)
    assert killed.done == removed  # the progress it recorded is what it did
    assert (removed == 0) == (fail_after_batches == 0)
    for key in ROOTS:  # only expired roots went, never anything else
        assert before[key] - middle[key] <= world.expired.get(key, set()), key
    assert_no_orphan_files(world)

    run = purge_on(TODAY, batch_size=BATCH)
    assert snapshot() == expected
    assert run.finished_at is not None
    assert run.counts == expected_counts(world, middle)
    assert_no_orphan_files(world)

    again = purge_on(TODAY, batch_size=BATCH)
    assert again.counts == {}
    assert snapshot() == expected
    assert_purge_records_hold_no_personal_data(world)


def test_rt6_purge_killed_between_removing_files_and_deleting_rows(world, monkeypatch):
    """RT-6: a kill after a batch's document files were removed but before its rows were
    deleted: the re-run finds the rows still expired and finishes them; no orphans remain."""
    before = snapshot()
    case_ids_gone = set(
        Ziekmelding.objects.filter(pk__in=world.expired["verzuim.ziekmelding"]).values_list(
            "case_id", flat=True
        )
    )
    expected = expected_after(world, before, case_ids_gone)
    category = registry.category("medisch.dossier")
    original = category.before_delete

    def remove_files_then_die(roots):
        original(roots)
        raise purge_module.Interrupted("killed between files and rows")

    monkeypatch.setattr(category, "before_delete", remove_files_then_die)
    with pytest.raises(purge_module.Interrupted):
        purge_on(TODAY, batch_size=BATCH)
    assert snapshot() == before  # no row went
    monkeypatch.setattr(category, "before_delete", original)

    run = purge_on(TODAY, batch_size=BATCH)
    assert snapshot() == expected
    assert run.counts == {key: len(pks) for key, pks in world.expired.items()}
    assert_no_orphan_files(world)
    assert purge_on(TODAY, batch_size=BATCH).counts == {}


def test_rt6_purge_twice_is_a_noop_and_logs_only_categories_and_counts(world):
    """RT-6: an uninterrupted run removes the expired records and logs counts per category; a
    second run on the same day removes nothing and logs an empty count."""
    before = snapshot()
    case_ids_gone = set(
        Ziekmelding.objects.filter(pk__in=world.expired["verzuim.ziekmelding"]).values_list(
            "case_id", flat=True
        )
    )
    first = purge_on(TODAY, batch_size=BATCH)
    assert first.counts == {key: len(pks) for key, pks in world.expired.items()}
    assert first.done == sum(len(pks) for pks in world.expired.values())
    assert first.current == ""
    after = snapshot()
    assert after == expected_after(world, before, case_ids_gone)
    second = purge_on(TODAY, batch_size=BATCH)
    assert second.counts == {}
    assert second.total == 0
    assert snapshot() == after
    assert PurgeRun.objects.count() == 2
    assert_no_orphan_files(world)
    assert_purge_records_hold_no_personal_data(world)


@pytest.mark.django_db(transaction=True)
def test_rt6_a_second_purge_waits_while_one_runs():
    """RT-6: a purge delivered again while one still runs (the broker's redelivery after its
    visibility timeout, or "Nu opschonen" during the nightly run) does not purge beside it: it
    is retried later, and starts no run of its own."""
    from celery.exceptions import Retry
    from django.db import connections

    from retention.tasks import PURGE_LOCK_KEY, purge_expired

    other = connections.create_connection("default")  # the running purge's connection
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [PURGE_LOCK_KEY])
        with pytest.raises(Retry):
            purge_expired()
        assert PurgeRun.objects.count() == 0
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [PURGE_LOCK_KEY])
        done = purge_expired()
        assert PurgeRun.objects.get(pk=done["run"]).finished_at is not None
    finally:
        other.close()
