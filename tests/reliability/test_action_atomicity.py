"""Fault injection (issue 7, item 4): an exception raised in the middle of a multi-step action —
after its first write, at the audit-log write, at the deadline or retention computation, at the
data-flow record — leaves the database exactly as it was and queues no Celery task.

The tests run on a transactional database (real commits, pytest-django `transactional_db`): in
the default per-test transaction a step committed too early would be rolled back with the test
and the partial write would go unseen. "Exactly as it was" is a fingerprint of every table's
rows, medical tables included (read as the owning login), so a stray insert, update or delete
anywhere shows. Tasks are caught at Celery's `Task.apply_async` (which `.delay` calls), so a
task queued through `transaction.on_commit` after a commit that should not have happened shows
too.
"""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from celery.app.task import Task
from django.utils import timezone

from accounts.roles import Role
from medisch.actions import dossier as medisch_actions
from privacy import audit
from privacy.actions import verzoek as verzoeken
from privacy.models import VerzoekKind
from reintegratie.actions import plan as plan_actions
from retention import actions as retention_actions
from retention import registry as retention_registry
from retention.models import PurgeRun
from tests.reliability.support import db_fingerprint, fingerprint_diff
from tests.verzuim.conftest import ZM_DATA
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions import termijnen as termijnen_actions
from verzuim.actions import ziekmelding as ziekmelding_actions

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]


class Injected(RuntimeError):
    """The fault: raised by the monkeypatched step."""


@pytest.fixture
def queued(monkeypatch):
    """Every Celery task queued (Task.apply_async, which .delay calls); nothing reaches Redis."""
    calls = []

    def record(self, args=None, kwargs=None, **options):
        calls.append((self.name, args, kwargs))

    monkeypatch.setattr(Task, "apply_async", record)
    return calls


@pytest.fixture
def fault(monkeypatch):
    """fault(obj, name): obj.name raises Injected on its first call (later calls run as usual)."""

    def install(obj, name):
        original = getattr(obj, name)
        state = {"raised": False}

        def step(*args, **kwargs):
            if not state["raised"]:
                state["raised"] = True
                raise Injected(f"{name} failed")
            return original(*args, **kwargs)

        monkeypatch.setattr(obj, name, step)
        return state

    return install


def assert_no_trace(action, state, queued):
    """Run `action`, which must fail with the injected fault: no table changed, no task queued."""
    before = db_fingerprint()
    with pytest.raises(Injected):
        action()
    assert state["raised"], "the injected step was never reached"
    assert fingerprint_diff(before, db_fingerprint()) == {}, "partial write"
    assert queued == []
    assert list(audit.verify()) == []  # SE-7: the chain has no gap either


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR, device=False)


@pytest.fixture
def werknemer(employer):
    return WerknemerFactory(organisation=employer, employment_start=date(2020, 1, 1))


@pytest.fixture
def case(hr, werknemer):
    return ziekmelding_actions.create_ziekmelding(
        by=hr,
        werknemer=werknemer,
        first_day=timezone.localdate() - timedelta(days=30),
        **{k: v for k, v in ZM_DATA.items() if k != "percentage"},
    )


@pytest.mark.parametrize("step", ["log_change", "refresh_next_deadline"])
def test_meld_ziek_interrupted_leaves_no_trace(step, hr, werknemer, fault, queued):
    """ZM-1, RI-1, SE-7: filing a ziekmelding writes the report, its week-1 report deadline, its
    audit row and its next deadline together or not at all — a fault at the audit write or at
    the deadline computation after them leaves no ziekmelding behind."""
    state = fault(ziekmelding_actions, step)
    assert_no_trace(
        lambda: ziekmelding_actions.create_ziekmelding(
            by=hr, werknemer=werknemer, first_day=timezone.localdate(), **ZM_DATA
        ),
        state,
        queued,
    )


@pytest.mark.parametrize(
    "target",
    [
        (ziekmelding_actions, "log_change"),
        (ziekmelding_actions, "refresh_next_deadline"),
        (retention_registry, "changed"),
    ],
    ids=["audit", "next-deadline", "retention-date"],
)
def test_meld_herstel_interrupted_leaves_no_trace(target, hr, case, fault, queued):
    """ZM-5, SE-7, RT-6: a full recovery writes the herstelmelding, closes the case, logs it and
    recomputes the next deadline and the retention date (which starts the RT-1 clock) as one
    unit — a fault at any of those steps leaves the case open and nothing written."""
    state = fault(*target)
    assert_no_trace(
        lambda: ziekmelding_actions.record_herstel(
            by=hr, ziekmelding=case, kind="volledig", date=timezone.localdate()
        ),
        state,
        queued,
    )


@pytest.mark.parametrize(
    "target",
    [
        (plan_actions, "_new_version"),
        (plan_actions, "log"),
        (plan_actions.termijnen, "complete_by_document"),
        (termijnen_actions, "_record"),
        (termijnen_actions.deadlines, "refresh_next_deadline"),
    ],
    ids=["version", "audit", "deadline", "completion-row", "next-deadline"],
)
def test_save_plan_interrupted_leaves_no_trace(target, hr, case, fault, queued):
    """RI-1, RI-3, SE-7: a new plan van aanpak, its first version, its audit row and the
    completed week-8 deadline are written together — a fault after the plan row leaves none."""
    state = fault(*target)
    assert_no_trace(
        lambda: plan_actions.save_plan(
            by=hr,
            ziekmelding=case,
            version=0,
            drawn_up_on=timezone.localdate(),
            casemanager="Carla Casemanager",
            spoor="eigen_werk",
            goals="Binnen 8 weken terug in het eigen werk.",
            advies_ref=None,
        ),
        state,
        queued,
    )


@pytest.mark.parametrize(
    "target",
    [
        (medisch_actions, "touch_dossier"),
        (medisch_actions, "log"),
        (medisch_actions, "record_advice_flow"),
    ],
    ids=["dossier-date", "audit", "data-flow"],
)
def test_release_advice_interrupted_leaves_no_trace(target, make_user, case, fault, queued):
    """MD-5, SE-7, RI-9: the doctor's released advice, the dossier's last change (RT-4), its
    audit row and the recorded data flow to the employer are one unit — never a released advice
    without its audit row or its flow record, across the two database connections."""
    doctor = make_user(Role.BEDRIJFSARTS, device=False)
    dossier = medisch_actions.open_dossier(by=doctor, werknemer=case.werknemer)
    state = fault(*target)
    assert_no_trace(
        lambda: medisch_actions.record_advies(
            by=doctor,
            dossier=dossier,
            case_id=case.case_id,
            release=True,
            date=timezone.localdate(),
            limitations="Niet langer dan 2 uur achtereen staan.",
            capabilities="Zittend werk, 4 uur per dag.",
            expected_duration="middel",
            incapacity_percentage=50,
            adjustments="",
        ),
        state,
        queued,
    )


@pytest.mark.parametrize("step", ["register", "record_notifications"])
def test_data_subject_request_interrupted_leaves_no_trace(
    step, make_user, werknemer, fault, queued
):
    """AV-3, SE-7: registering a request, or recording the recipients told of an erasure, is
    written with its audit row or not at all."""
    beheerder = make_user(Role.BEHEERDER, device=False)
    person = SimpleNamespace(subject=werknemer.pseudonym, name="Synthetische Persoon")
    if step == "register":
        state = fault(verzoeken, "_log")
        action = lambda: verzoeken.register(  # noqa: E731
            by=beheerder, person=person, kind=VerzoekKind.INZAGE, received_on=timezone.localdate()
        )
    else:
        verzoek = verzoeken.register(
            by=beheerder,
            person=person,
            kind=VerzoekKind.VERWIJDERING,
            received_on=timezone.localdate(),
        )
        state = fault(verzoeken, "_log")
        action = lambda: verzoeken.record_notifications(  # noqa: E731
            by=beheerder,
            verzoek=verzoek,
            recipients=[("werkgever", "Werkgever A BV"), ("verzekeraar", "Verzekeraar NV")],
        )
    assert_no_trace(action, state, queued)


def test_start_purge_run_interrupted_queues_no_task(make_user, fault, queued):
    """RT-6, SE-7: starting a purge run creates the PurgeRun, logs it and queues the task on
    commit — a fault at the audit write leaves no run and queues no task (the task is never
    sent for a run that was not committed, DESIGN.md: on_commit)."""
    beheerder = make_user(Role.BEHEERDER, device=False)
    state = fault(audit, "record")
    assert_no_trace(lambda: retention_actions.start_run(by=beheerder), state, queued)

    # The control: without the fault the same call commits the run and queues exactly its task.
    run, started = retention_actions.start_run(by=beheerder)
    assert started
    assert queued == [("retention.tasks.purge_expired", (run.pk,), {})]
    assert PurgeRun.objects.filter(pk=run.pk).exists()
