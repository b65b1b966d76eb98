"""RT-6 (issue 24): the stored retention dates checked both ways. The purge re-checks only the
records whose stored date has passed; the nightly check (retention/drift.py) recomputes the date
of every record through the registry and repairs a date that is missing, too late (would keep a
record past its term) or too early (would purge too soon) — on the employer's database and on
the medical one (the `medisch` alias). The counts, never a name or an id, show on the operator's
page and in `retention_report`; the check is on the beat schedule before the purge."""

import io
import json
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections, router
from django.urls import reverse

from accounts.roles import Role
from config.components import beat_schedule
from retention import drift, registry
from retention.models import DriftCheck
from retention.tasks import DRIFT_LOCK_KEY, check_retention_dates
from tests.retention.builders import (
    day_after,
    day_before,
    dossier_with_document,
    employee,
    end_employment_on_model,
    purge_on,
    sick,
)
from verzuim.models import Werknemer, Ziekmelding

pytestmark = pytest.mark.django_db(databases=["default", "medisch"])

ZERO = {"missing": 0, "too_late": 0, "too_early": 0, "repaired": 0}


def computed(record):
    """The date the registry's rule gives `record` now (Python `compute`, as a save does)."""
    cat = next(c for c in registry.categories() if c.model is type(record))
    fresh = type(record)._default_manager.get(pk=record.pk)
    return cat.compute(fresh)[0]


def stored(record):
    return (
        type(record)._default_manager.filter(pk=record.pk).values_list("keep_until", flat=True)[0]
    )


def plant(record, keep_until):
    """A raw UPDATE of the stored date: no save, no signal, as a bug or a hand-made fix would
    leave it. Through the record's own database (the medical dossier: the `medisch` alias)."""
    assert type(record)._default_manager.filter(pk=record.pk).update(keep_until=keep_until) == 1


@pytest.fixture
def beheerder(make_user):
    return make_user(Role.BEHEERDER)


@pytest.fixture
def world(make_user, employer, settings, tmp_path):
    """An employee who left in 2020 with a recovered case, an employee still in service with an
    open case and a medical dossier. Built through the project's actions: every stored date is
    the computed one."""
    settings.MEDICAL_FILES_ROOT = str(tmp_path / "medical-files")
    hr = make_user(Role.HR, device=False)
    doctor = make_user(Role.BEDRIJFSARTS, device=False)
    left = employee(employer, employment_start=date(2015, 1, 1))
    left_case = sick(hr, left, date(2019, 2, 20), recovered_on=date(2019, 3, 1))
    left = end_employment_on_model(left, date(2020, 6, 30))
    staying = employee(employer, employment_start=date(2018, 1, 1))
    open_case = sick(hr, staying, date(2024, 5, 6))
    dossier, _ = dossier_with_document(doctor, staying, date(2024, 5, 7))
    records = {
        "left": left,
        "left_case": left_case,
        "staying": staying,
        "open_case": open_case,
        "dossier": dossier,
    }
    for record in records.values():
        assert stored(record) == computed(record), record
    return records


def plant_every_kind(world):
    """One drift of each kind, on both databases:
    - too late: the leaver's record kept ten years past its term;
    - too early: a date stored for the employee still in service (the rule says no end yet),
      and the dossier's date a year early (on the `medisch` alias);
    - missing: the leaver's case without a date."""
    left_until = computed(world["left"])
    assert left_until is not None and computed(world["staying"]) is None
    plant(world["left"], left_until + timedelta(days=3650))
    plant(world["staying"], date(2021, 1, 1))
    plant(world["left_case"], None)
    plant(world["dossier"], computed(world["dossier"]) - timedelta(days=365))


def test_rt6_the_check_finds_and_repairs_each_kind_of_drift(world):
    """RT-6: dates planted missing, too late and too early are counted per category and kind,
    repaired to the computed date (the medical dossier through the `medisch` alias), in batches
    (here of one root each); every other category is checked and found in order."""
    plant_every_kind(world)
    check = drift.check_dates(batch_size=1)

    assert check.finished_at is not None
    assert set(check.counts) == {cat.key for cat in registry.categories()}
    expected = {
        "verzuim.werknemer": {**ZERO, "too_late": 1, "too_early": 1, "repaired": 2},
        "verzuim.ziekmelding": {**ZERO, "missing": 1, "repaired": 1},
        "medisch.dossier": {**ZERO, "too_early": 1, "repaired": 1},
    }
    for cat in registry.categories():
        counts = dict(check.counts[cat.key])
        using = router.db_for_read(cat.model)
        assert counts.pop("checked") == cat.model._base_manager.using(using).count(), cat.key
        assert counts == expected.get(cat.key, ZERO), cat.key
    for record in world.values():
        assert stored(record) == computed(record), record
    assert stored(world["staying"]) is None  # "no end yet" again


def test_rt6_a_second_check_finds_nothing(world):
    """RT-6: idempotent — the first check repaired everything, the second finds no drift and
    changes nothing."""
    plant_every_kind(world)
    drift.check_dates()
    before = {name: stored(record) for name, record in world.items()}
    second = drift.check_dates()
    assert all(
        {k: v for k, v in counts.items() if k != "checked"} == ZERO
        for counts in second.counts.values()
    )
    assert {name: stored(record) for name, record in world.items()} == before


def test_rt6_a_date_moved_by_a_save_meanwhile_is_not_overwritten(world):
    """RT-6: the repair writes the computed date only where the stored date is still the one
    the check read; a save that moved it in between keeps its own."""
    cat = registry.category("verzuim.werknemer")
    left = world["left"]
    moved = stored(left) + timedelta(days=1)
    plant(left, moved)
    stale = drift.Drift(left.pk, moved - timedelta(days=9), computed(left), "too_late")
    assert drift._repair(cat, router.db_for_write(Werknemer), [stale]) == 0
    assert stored(left) == moved


def test_rt6_kinds_of_drift():
    """RT-6: missing, too late, too early — and a date where the rule says "no end yet" is too
    early (it would let the record go before its term has started)."""
    day = date(2025, 1, 1)
    assert drift.kind_of(day, day) is None
    assert drift.kind_of(None, None) is None
    assert drift.kind_of(None, day) == "missing"
    assert drift.kind_of(day + timedelta(days=1), day) == "too_late"
    assert drift.kind_of(day - timedelta(days=1), day) == "too_early"
    assert drift.kind_of(day, None) == "too_early"


# --- The task and its schedule ----------------------------------------------------------------


def test_rt6_the_check_is_on_the_beat_schedule_before_the_purge():
    """RT-6: the check runs nightly, half an hour before the purge (also around midnight)."""
    entries = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert check_retention_dates.name in entries
    for purge_hour in (3, 0):
        schedule = {
            e["task"]: e["schedule"]
            for e in beat_schedule(
                cleanup_minutes=60, signals_hour=6, purge_hour=purge_hour
            ).values()
        }
        check = schedule["retention.tasks.check_retention_dates"]
        purge = schedule["retention.tasks.purge_expired"]
        assert check.hour == {(purge_hour - 1) % 24} and check.minute == {30}
        assert purge.hour == {purge_hour} and purge.minute == {0}


def test_rt6_the_task_repairs_and_a_second_one_waits_its_turn(world):
    """RT-6: the task records a DriftCheck with the counts; while another check holds the lock a
    delivery does nothing (the running check does the work)."""
    plant_every_kind(world)
    other = connections.create_connection("default")  # the running check's connection
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [DRIFT_LOCK_KEY])
        assert check_retention_dates() == {"check": None, "skipped": True}
        assert DriftCheck.objects.count() == 0
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [DRIFT_LOCK_KEY])
    finally:
        other.close()
    result = check_retention_dates()
    assert result["counts"]["verzuim.ziekmelding"]["missing"] == 1
    assert DriftCheck.objects.get().finished_at is not None
    for record in world.values():
        assert stored(record) == computed(record), record


# --- Where it shows: the operator's page and retention_report ---------------------------------


def _personal(world) -> list[str]:
    """Names and ids a report must not show."""
    people = [world["left"], world["staying"]]
    return [
        *(p.first_name for p in people),
        *(p.last_name for p in people),
        *(p.personnel_number for p in people if p.personnel_number),
    ]


def test_rt6_the_page_shows_the_last_check_without_personal_data(world, verified_client, beheerder):
    """RT-6: the operator's retention page shows when the last check ran and per category what
    it found (ontbrak, te laat, te vroeg) and repaired — no names, no record ids."""
    client = verified_client(beheerder)
    page = client.get(reverse("retention:index")).content.decode()
    assert "Nog geen controle uitgevoerd." in page
    plant_every_kind(world)
    drift.check_dates()
    response = client.get(reverse("retention:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Bewaartermijnen — Verzuimkluis</title>" in page
    assert page.count('id="controle"') == 1  # the section once, in the page's content
    section = page.split('id="controle-titel"', 1)[1].split("</section>", 1)[0]
    for label in ("Ontbrak", "Te laat", "Te vroeg", "Hersteld"):
        assert label in section
    row = section.split('<tr data-category="verzuim.werknemer">', 1)[1].split("</tr>", 1)[0]
    assert "<td data-too-late>1</td>" in row and "<td data-too-early>1</td>" in row
    assert "<td data-repaired>2</td>" in row
    row = section.split('<tr data-category="medisch.dossier">', 1)[1].split("</tr>", 1)[0]
    assert "<td data-too-early>1</td>" in row and "<td data-repaired>1</td>" in row
    for text in _personal(world):
        assert text not in section
    for record in world.values():
        assert f"#{record.pk}" not in section


def test_rt6_retention_report_prints_the_check(world):
    """RT-6: `retention_report --check-dates` runs the check and prints, after the dry run, the
    last check per category (and in `--json`); counts only."""
    plant_every_kind(world)
    out = io.StringIO()
    call_command("retention_report", "--check-dates", stdout=out)
    text = out.getvalue()
    assert "Controle bewaardata:" in text
    lines = text.split("Controle bewaardata:", 1)[1].splitlines()
    assert lines[1].split() == [
        "Categorie",
        "Gecontroleerd",
        "Ontbrak",
        "Te",
        "laat",
        "Te",
        "vroeg",
        "Hersteld",
    ]
    row = next(line for line in lines if line.startswith("verzuim.ziekmelding"))
    assert row.split() == ["verzuim.ziekmelding", "2", "1", "0", "0", "1"]
    for personal in _personal(world):
        assert personal not in text
    assert stored(world["left_case"]) == computed(world["left_case"])

    out = io.StringIO()
    call_command("retention_report", "--json", stdout=out)
    data = json.loads(out.getvalue())["date_check"]
    by_key = {row["key"]: row for row in data["categories"]}
    assert by_key["verzuim.werknemer"]["too_late"] == 1
    assert by_key["medisch.dossier"]["too_early"] == 1
    assert set(by_key) == {cat.key for cat in registry.categories()}
    assert set(by_key["verzuim.werknemer"]) == {
        "key",
        "label",
        "checked",
        "missing",
        "too_late",
        "too_early",
        "repaired",
        "drift",
    }


def test_rt6_dossier_is_checked_on_the_medisch_alias(world):
    """RT-6, MD-2: the medical dossier's dates are read and repaired through the `medisch`
    connection (its role alone may touch the medical tables)."""
    # The model through the registry: outside medisch/ only medisch.public is imported (MD-2).
    assert router.db_for_write(registry.category("medisch.dossier").model) == "medisch"
    plant(world["dossier"], None)
    counts = drift.check_category(registry.category("medisch.dossier"))
    assert counts["missing"] == 1 and counts["repaired"] == 1
    assert stored(world["dossier"]) == computed(world["dossier"])
    assert Ziekmelding.objects.count() == 2  # the employer side untouched by the medical pass


def test_rt6_categories_without_sql_dates_are_checked_in_python(world, monkeypatch):
    """RT-6: a category without SqlDates is recomputed as the purge would — `compute_many` where
    it has one (the ziekmelding), else `compute` per root (the werknemer) — with the same
    counts and the same repair."""
    ziekmelding = registry.category("verzuim.ziekmelding")
    werknemer = registry.category("verzuim.werknemer")
    assert ziekmelding.compute_many is not None
    monkeypatch.setattr(ziekmelding, "sql", None)
    monkeypatch.setattr(werknemer, "sql", None)
    monkeypatch.setattr(werknemer, "compute_many", None)
    plant_every_kind(world)
    counts = {cat.key: drift.check_category(cat, batch_size=1) for cat in (ziekmelding, werknemer)}
    assert counts["verzuim.ziekmelding"] == {"checked": 2, **ZERO, "missing": 1, "repaired": 1}
    assert counts["verzuim.werknemer"] == {
        "checked": 2,
        **ZERO,
        "too_late": 1,
        "too_early": 1,
        "repaired": 2,
    }
    for name in ("left", "left_case", "staying", "open_case"):
        assert stored(world[name]) == computed(world[name]), name


def test_rt6_a_date_stored_too_late_keeps_a_record_until_the_check_repairs_it(world):
    """RT-6 by time travel: the leaver's case (left 2020, recovered 2019) is kept through its
    last day. With its stored date planted ten years late the purge the day after that last day
    keeps it — the purge trusts a date that has not passed; the nightly check repairs it, and then
    the purge the day before keeps it and the purge the day after removes it."""
    case = world["left_case"]
    last_day = computed(case)
    plant(case, last_day + timedelta(days=3650))
    purge_on(day_after(last_day))
    assert Ziekmelding.objects.filter(pk=case.pk).exists()  # kept past its term, unnoticed
    drift.check_dates()
    assert stored(case) == last_day
    purge_on(day_before(last_day))
    assert Ziekmelding.objects.filter(pk=case.pk).exists()
    purge_on(day_after(last_day))
    assert not Ziekmelding.objects.filter(pk=case.pk).exists()
