"""The beheerder's retention pages (RT-5, RT-6, AV-1, SE-2): the dry-run report and "Nu
opschonen" (the task is queued on commit), the progress of a run, the processing register
generated from the registry, legal holds and extensions, and `manage.py retention_report`."""

import csv
import io
import json
import uuid
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.roles import OrganisationKind, Role
from privacy.models import AuditEvent
from reintegratie.models import Trajectory
from retention import registry
from retention.actions import clock_start, record_extension
from retention.models import LegalHold, PurgeRun, RetentionExtension
from retention.purge import dry_run, purge
from retention.rules import RULES, Period
from retention.tasks import purge_expired
from tests.factories import OrganisationFactory
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding, record_herstel
from verzuim.models import Werknemer, Ziekmelding

pytestmark = pytest.mark.django_db

OTHER_ROLES = [role for role in Role.values if role != Role.BEHEERDER]


# --- Helpers ----------------------------------------------------------------------------------


def expired_case(hr, organisation, employment_end=date(2020, 6, 30)):
    """A recovered sick report of an employee who left in 2020: RT-1 ended on 30-06-2022."""
    werknemer = WerknemerFactory(organisation=organisation, employment_start=date(2015, 1, 1))
    zm = create_ziekmelding(
        by=hr,
        werknemer=werknemer,
        first_day=date(2019, 2, 20),
        phone="06-12345678",
        expected_duration="onbekend",
        lopende_afspraken="",
        today=date(2019, 3, 1),
    )
    record_herstel(
        by=hr,
        ziekmelding=zm,
        kind="volledig",
        date=date(2019, 3, 1),
        absence_percentage=0,
        today=date(2019, 3, 1),
    )
    werknemer.employment_end = employment_end
    werknemer.save()  # the registry recomputes keep_until from the new starting event
    zm.refresh_from_db()
    return zm


def trajectory(organisation, end_on):
    """A re-integration trajectory of an employee still in service (the employee record has no
    end date, so only the trajectory's own RT-5 clock runs)."""
    werknemer = WerknemerFactory(organisation=organisation)
    provider = OrganisationFactory(kind=OrganisationKind.REINTEGRATIEBEDRIJF)
    return Trajectory.objects.create(
        case_id=uuid.uuid4(),
        werknemer=werknemer,
        organisation=organisation,
        provider=provider,
        category="coaching",
        commissioner_kind="werkgever",
        start_on=end_on - timedelta(days=120),
        end_on=end_on,
        status="afgerond",
        client_number=Trajectory.new_client_number(),
    )


@pytest.fixture
def beheerder(make_user):
    return make_user(Role.BEHEERDER)


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR)


@pytest.fixture
def client(verified_client, beheerder):
    return verified_client(beheerder)


# --- SE-2: beheerder only ---------------------------------------------------------------------


def _urls(run, hold):
    return [
        ("get", reverse("retention:index")),
        ("post", reverse("retention:start")),
        ("get", reverse("retention:run", args=[run.pk])),
        ("get", reverse("retention:run_status", args=[run.pk])),
        ("get", reverse("retention:register")),
        ("get", reverse("retention:register_export")),
        ("get", reverse("retention:register_export_csv")),
        ("get", reverse("retention:holds")),
        ("post", reverse("retention:holds")),
        ("post", reverse("retention:hold_lift", args=[hold.pk])),
        ("get", reverse("retention:extension")),
        ("post", reverse("retention:extension")),
    ]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_se2_rt6_every_retention_page_is_forbidden_to_other_roles(
    role, make_user, verified_client, django_capture_on_commit_callbacks
):
    """SE-2, RT-6, AV-1: only the beheerder keeps the retention register; every other role gets
    403 on every page and nothing changes."""
    run = PurgeRun.objects.create()
    hold = LegalHold.objects.create(
        category="verzuim.ziekmelding", object_id=1, reason="procedure", until=date(2099, 1, 1)
    )
    client = verified_client(make_user(role))
    with django_capture_on_commit_callbacks() as callbacks:
        for method, url in _urls(run, hold):
            response = getattr(client, method)(url)
            assert response.status_code == 403, (role, method, url)
    assert callbacks == []
    assert PurgeRun.objects.count() == 1
    hold.refresh_from_db()
    assert hold.lifted_at is None
    assert "Bewaartermijnen" not in client.get(reverse("accounts:dashboard")).content.decode()


def test_se2_rt6_beheerder_reaches_every_retention_page(client, monkeypatch):
    """SE-2, RT-6, AV-1: the beheerder gets every page; the nav carries the entry."""
    monkeypatch.setattr(purge_expired, "delay", lambda *args, **kwargs: None)
    run = PurgeRun.objects.create(finished_at=timezone.now())
    hold = LegalHold.objects.create(
        category="verzuim.ziekmelding", object_id=1, reason="procedure", until=date(2099, 1, 1)
    )
    for method, url in _urls(run, hold):
        response = getattr(client, method)(url)
        assert response.status_code in (200, 302), (method, url, response.status_code)
    dashboard = client.get(reverse("accounts:dashboard")).content.decode()
    assert reverse("retention:index") in dashboard


def test_se1_anonymous_is_sent_to_login():
    """SE-1: the pages need a login like everything else."""
    from django.test import Client

    response = Client().get(reverse("retention:index"))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


# --- RT-6: dry run and runs -------------------------------------------------------------------


def test_rt6_dry_run_report_shows_what_the_next_run_removes(client, hr, employer):
    """RT-6: the dry-run report shows per category the rules and the count the next run
    removes, and the total; nothing is removed by looking."""
    zm = expired_case(hr, employer)
    assert zm.keep_until == date(2022, 6, 30)
    response = client.get(reverse("retention:index"))
    assert response.status_code == 200
    rows = {row.key: row for row in response.context["rows"]}
    assert rows["verzuim.ziekmelding"].count == 1
    assert rows["verzuim.ziekmelding"].rules == "RT-1, RT-2, RT-3"
    assert response.context["total"] == sum(r.count for r in dry_run())
    html = response.content.decode()
    assert 'data-category="verzuim.ziekmelding"' in html
    assert "<td data-count>1</td>" in html
    assert "Nu opschonen" in html
    assert Ziekmelding.objects.filter(pk=zm.pk).exists()
    # SE-7: the audit log's months are on the same report, with their term (privacy/partitions.py).
    assert 'data-category="privacy.auditlog"' in html
    assert "5 jaar na het einde van de kalendermaand" in html


def test_rt6_start_queues_the_purge_task_only_on_commit(
    client, hr, employer, monkeypatch, django_capture_on_commit_callbacks
):
    """RT-6 (DESIGN.md, Celery): "Nu opschonen" creates a PurgeRun and queues the task with
    transaction.on_commit — never before the run is committed — and lands on the run page."""
    expired_case(hr, employer)
    queued = []
    monkeypatch.setattr(purge_expired, "delay", lambda run_id: queued.append(run_id))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("retention:start"))
        assert queued == []  # not before the commit
    run = PurgeRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("retention:run", args=[run.pk])
    assert len(callbacks) == 1
    callbacks[0]()
    assert queued == [run.pk]

    # Before the worker picked it up: waiting, with the no-JS refresh link.
    page = client.get(response["Location"]).content.decode()
    assert 'id="purge-refresh"' in page and "Vernieuwen" in page
    assert "js/purge-progress.js" in page
    assert "<script>" not in page  # CSP: no inline script

    # The worker runs the task (here: in-process) and the page reflects the result.
    purge_expired.run(run.pk)
    status = client.get(reverse("retention:run_status", args=[run.pk])).json()
    assert status["finished"] is True
    assert status["done"] == status["total"] == 2  # the employee record went after its case
    assert status["counts"]["verzuim.werknemer"] == 1
    assert status["counts"]["verzuim.ziekmelding"] == 1
    page = client.get(reverse("retention:run", args=[run.pk])).content.decode()
    assert "Klaar:" in page
    assert 'data-category="verzuim.ziekmelding"' in page
    assert "Vernieuwen" not in page
    assert not Ziekmelding.objects.exists()


def test_rt6_purge_run_total_counts_every_record_the_run_removes(hr, employer):
    """RT-6: a long task reports progress; its total includes what it will remove, also a root
    that a root removed earlier in the same run protected (the employee after their case)."""
    expired_case(hr, employer)
    run = purge()
    assert run.done == run.total


def test_rt6_a_second_start_while_a_run_is_in_progress_shows_that_run(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    """RT-6: two runs side by side would count the same deletions twice; a start while one is
    running leads to the running one."""
    monkeypatch.setattr(purge_expired, "delay", lambda run_id: None)
    running = PurgeRun.objects.create(total=5, done=2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("retention:start"))
    assert response["Location"] == reverse("retention:run", args=[running.pk])
    assert callbacks == []
    assert PurgeRun.objects.count() == 1


def test_rt6_run_page_and_status_json_reflect_progress(client):
    """RT-6: long tasks report progress: the page shows a <progress> (value=done, max=total) and
    the current category; status.json answers done, total, current, finished and counts."""
    run = PurgeRun.objects.create()
    PurgeRun.objects.filter(pk=run.pk).update(total=10, done=4, current="machtigingen")
    status = client.get(reverse("retention:run_status", args=[run.pk]))
    assert status["Content-Type"].startswith("application/json")
    assert status.json() == {
        "done": 4,
        "total": 10,
        "current": "machtigingen",
        "finished": False,
        "counts": {},
    }
    html = client.get(reverse("retention:run", args=[run.pk])).content.decode()
    assert 'value="4" max="10"' in html
    assert "4 van 10 records verwijderd — bezig met machtigingen" in html
    assert 'data-status-url="/beheer/bewaren/runs/' in html

    PurgeRun.objects.filter(pk=run.pk).update(
        done=10, current="", finished_at=timezone.now(), counts={"reintegratie.machtiging": 10}
    )
    status = client.get(reverse("retention:run_status", args=[run.pk])).json()
    assert status["finished"] is True and status["done"] == status["total"] == 10
    html = client.get(reverse("retention:run", args=[run.pk])).content.decode()
    assert 'value="10" max="10"' in html
    assert "machtigingen <small>(reintegratie.machtiging)</small></th><td>10</td>" in html


def test_rt6_index_lists_the_last_runs_with_counts_per_category(client):
    """RT-6: the purge is logged by category and count; the report shows the last runs."""
    finished = timezone.now()
    PurgeRun.objects.create(finished_at=finished, counts={"verzuim.ziekmelding": 3})
    html = client.get(reverse("retention:index")).content.decode()
    assert "ziekmeldingen, herstelmeldingen en Poortwachter-termijnen: 3" in html
    assert timezone.localtime(finished).strftime("%d-%m-%Y") in html


# --- AV-1: the processing register ------------------------------------------------------------


def test_av1_processing_register_lists_every_registered_category(client):
    """AV-1: every category of personal data has a recorded purpose, legal basis, recipients and
    retention (RT ids with their source); the register is generated from that metadata, and the
    personal data outside the purge is listed with its reason."""
    html = client.get(reverse("retention:register")).content.decode()
    assert "AVG art. 30" in html  # named by what it is, not by its rule code (issue 18)
    for cat in registry.categories():
        assert f'data-category="{cat.key}"' in html
        for text in (cat.purpose, cat.legal_basis, cat.recipients, cat.subjects):
            assert str(text) in html or str(text).replace("'", "&#x27;") in html, (cat.key, text)
        for rule in cat.rule_rows:
            assert rule.rule_id in html and rule.source in html and str(rule.period) in html
        assert str(cat.model._meta.verbose_name) in html
        for member in cat.members:
            assert str(member._meta.verbose_name) in html
    for model, reason in registry.declared_outside_purge().items():
        assert reason in html, model
    assert "met reden tot 4 jaar" in html  # RT-5's maximum


def test_av1_processing_register_exports_json_and_csv(client):
    """AV-1: the same register as JSON and CSV (machine-readable)."""
    response = client.get(reverse("retention:register_export"))
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["rule"] == "AV-1"
    keys = {cat.key for cat in registry.categories()}
    assert {c["key"] for c in data["categories"]} == keys
    traject = next(c for c in data["categories"] if c["key"] == "reintegratie.traject")
    assert traject["retention"] == [
        {
            "rule_id": "RT-5",
            "key": "reintegratiebedrijf",
            "label": RULES["reintegratiebedrijf"].label,
            "period": "2 jaar",
            "starts": "einde van het traject",
            "source": RULES["reintegratiebedrijf"].source,
            "max_extension": "4 jaar",
        }
    ]
    assert all(c["purpose"] and c["legal_basis"] and c["recipients"] for c in data["categories"])
    assert len(data["outside_purge"]) == len(registry.declared_outside_purge())

    response = client.get(reverse("retention:register_export_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0][:3] == ["categorie", "omschrijving", "doel"]
    assert {row[0] for row in rows[1:]} >= keys
    assert (
        sum(len(cat.rule_rows) for cat in registry.categories())
        + len(registry.declared_outside_purge())
        == len(rows) - 1
    )


# --- RT-6: legal holds ------------------------------------------------------------------------


def test_rt6_legal_hold_blocks_the_purge_and_lifting_lets_it_go(client, hr, employer):
    """RT-6: a recorded legal hold (with reason) postpones the purge of that record; lifting it
    lets the next run remove it. Placing and lifting are audited."""
    zm = expired_case(hr, employer)
    until = timezone.localdate() + timedelta(days=365)
    response = client.post(
        reverse("retention:holds"),
        {
            "category": "verzuim.ziekmelding",
            "object_id": zm.pk,
            "reason": "lopende procedure bij de kantonrechter",
            "until": until.isoformat(),
        },
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.category, hold.object_id, hold.until) == ("verzuim.ziekmelding", zm.pk, until)
    event = AuditEvent.objects.filter(object_type="retention.legalhold").get()
    assert event.action == "update" and event.object_ids == [str(hold.pk)]
    assert event.subject is None
    page = client.get(reverse("retention:holds")).content.decode()
    assert "lopende procedure bij de kantonrechter" in page and until.strftime("%d-%m-%Y") in page

    with time_machine.travel(until - timedelta(days=30)):
        assert {r.key: r.count for r in dry_run()}["verzuim.ziekmelding"] == 0
        run = purge()
        assert Ziekmelding.objects.filter(pk=zm.pk).exists()
        assert "verzuim.ziekmelding" not in run.counts

    response = client.post(reverse("retention:hold_lift", args=[hold.pk]))
    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_at is not None
    assert AuditEvent.objects.filter(object_type="retention.legalhold").count() == 2
    with time_machine.travel(until - timedelta(days=29)):
        run = purge()
    assert not Ziekmelding.objects.filter(pk=zm.pk).exists()
    assert run.counts["verzuim.ziekmelding"] == 1


def test_rt6_legal_hold_form_requires_a_reason_and_an_existing_record(client):
    """RT-6: a hold without a reason, on a record that does not exist, or ending in the past is
    refused with a message at the field; nothing is saved."""
    response = client.post(
        reverse("retention:holds"),
        {"category": "verzuim.ziekmelding", "object_id": "", "reason": " ", "until": ""},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"object_id", "reason", "until"}
    response = client.post(
        reverse("retention:holds"),
        {
            "category": "verzuim.ziekmelding",
            "object_id": 987654,
            "reason": "procedure",
            "until": (timezone.localdate() + timedelta(days=10)).isoformat(),
        },
    )
    assert "Er is geen record met dit nummer" in response.content.decode()
    assert 'class="error-summary"' in response.content.decode()
    assert not LegalHold.objects.exists()


# --- RT-5: extensions -------------------------------------------------------------------------


def _extension(client, obj, until, reason="herhaling om dezelfde reden is waarschijnlijk"):
    return client.post(
        reverse("retention:extension"),
        {
            "category": "reintegratie.traject",
            "object_id": obj.pk,
            "reason": reason,
            "extended_until": until.isoformat(),
        },
    )


def test_rt5_extension_beyond_four_years_after_the_trajectory_ends_is_refused(client, employer):
    """RT-5: a re-integration company's dossier may be kept up to 4 years after the trajectory
    ends with a recorded reason — not a day longer."""
    end_on = timezone.localdate() - timedelta(days=400)
    traject = trajectory(employer, end_on)
    limit = Period(years=4).after(end_on)
    response = _extension(client, traject, limit + timedelta(days=1))
    assert response.status_code == 200
    errors = response.context["form"].errors["extended_until"]
    assert errors == [
        f"Verlengen kan tot uiterlijk {limit:%d-%m-%Y}: 4 jaar na einde van het traject "
        f"({end_on:%d-%m-%Y}), RT-5."
    ]
    assert not RetentionExtension.objects.exists()


def test_rt5_extension_within_four_years_is_recorded_and_honoured_by_the_purge(client, employer):
    """RT-5, RT-6: an extension within the maximum is recorded (with reason, audited) and the
    purge keeps the dossier until the extended date, then removes it."""
    end_on = timezone.localdate() - timedelta(days=400)
    traject = trajectory(employer, end_on)
    assert traject.keep_until == Period(years=2).after(end_on)
    limit = Period(years=4).after(end_on)
    response = _extension(client, traject, limit)
    assert response.status_code == 302
    extension = RetentionExtension.objects.get()
    assert extension.extended_until == limit
    assert extension.reason == "herhaling om dezelfde reden is waarschijnlijk"
    assert AuditEvent.objects.filter(object_type="retention.retentionextension").exists()
    assert limit.strftime("%d-%m-%Y") in client.get(reverse("retention:extension")).content.decode()

    with time_machine.travel(traject.keep_until + timedelta(days=1)):
        purge()
        assert Trajectory.objects.filter(pk=traject.pk).exists()  # the normal date has passed
    with time_machine.travel(limit):
        purge()
        assert Trajectory.objects.filter(pk=traject.pk).exists()  # kept through the last day
    with time_machine.travel(limit + timedelta(days=1)):
        run = purge()
    assert not Trajectory.objects.filter(pk=traject.pk).exists()
    assert run.counts["reintegratie.traject"] == 1
    assert Werknemer.objects.filter(pk=traject.werknemer_id).exists()  # still employed


def test_rt5_extension_not_later_than_the_normal_date_is_refused(client, employer):
    """RT-5: an extension must extend."""
    traject = trajectory(employer, timezone.localdate() - timedelta(days=400))
    response = _extension(client, traject, traject.keep_until)
    assert "kies een latere datum" in response.content.decode()
    assert not RetentionExtension.objects.exists()


def test_rt5_categories_without_a_maximum_extension_refuse_an_extension(client, hr, employer):
    """RT-5: only the re-integration company's dossier has a longer period; other categories
    (here RT-1) refuse an extension with a clear message."""
    zm = expired_case(hr, employer)
    response = client.post(
        reverse("retention:extension"),
        {
            "category": "verzuim.ziekmelding",
            "object_id": zm.pk,
            "reason": "graag langer bewaren",
            "extended_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["category"]
    assert "geen verlenging" in error and "10 jaar na" in error and "legal hold" in error
    assert not RetentionExtension.objects.exists()


def test_rt5_extension_of_a_running_trajectory_is_refused(client, employer):
    """RT-5: the clock has not started while the trajectory runs: nothing to extend yet."""
    traject = trajectory(employer, timezone.localdate())
    Trajectory.objects.filter(pk=traject.pk).update(end_on=None, keep_until=None)
    response = _extension(client, traject, timezone.localdate() + timedelta(days=400))
    assert "loopt nog niet" in response.content.decode()


def test_rt5_extension_reason_is_required_and_free_of_medical_terms(client, employer):
    """RT-5, ZM-3: the reason is required and may not carry medical data."""
    traject = trajectory(employer, timezone.localdate() - timedelta(days=400))
    limit = Period(years=4).after(traject.end_on)
    response = _extension(client, traject, limit, reason="")
    assert "reason" in response.context["form"].errors
    response = _extension(client, traject, limit, reason="hernia kan terugkomen")
    assert "reason" in response.context["form"].errors
    assert not RetentionExtension.objects.exists()


def test_rt5_the_limit_counts_from_the_same_day_around_29_february(employer, beheerder):
    """RT-5: 2 years after 29-02-2024 is 28-02-2026; the 4-year maximum counts from the same
    event, so it is 29-02-2028, not 28-02-2028."""
    assert clock_start(Period(years=2), date(2026, 2, 28)) == date(2024, 2, 29)
    assert clock_start(Period(months=6), date(2025, 2, 28)) == date(2024, 8, 31)
    assert clock_start(Period(years=2), date(2026, 3, 1)) == date(2024, 3, 1)
    traject = trajectory(employer, date(2024, 2, 29))
    assert traject.keep_until == date(2026, 2, 28)
    with time_machine.travel(date(2026, 1, 1)):
        extension = record_extension(
            by=beheerder,
            category="reintegratie.traject",
            object_id=traject.pk,
            reason="herhaling is waarschijnlijk",
            extended_until=date(2028, 2, 29),
        )
    assert extension.extended_until == date(2028, 2, 29)


# --- RT-6: retention_report -------------------------------------------------------------------


def test_rt6_retention_report_prints_the_dry_run(hr, employer):
    """RT-6 (DESIGN.md, management commands): `retention_report` prints per category the rules
    and the count of the next run, and the total; `--json` prints the same as JSON."""
    expired_case(hr, employer)
    out = io.StringIO()
    call_command("retention_report", stdout=out)
    # The dry run comes first; the last check of the stored dates follows it (test_drift.py).
    lines = out.getvalue().split("Controle bewaardata:", 1)[0].strip().splitlines()
    assert lines[0].split() == ["Categorie", "Regels", "Aantal"]
    row = next(line for line in lines if line.startswith("verzuim.ziekmelding"))
    assert row.split() == ["verzuim.ziekmelding", "RT-1,", "RT-2,", "RT-3", "1"]
    expected_total = sum(r.count for r in dry_run())
    assert lines[-1].split() == ["Totaal", str(expected_total)]
    listed = len(registry.categories()) + len(registry.partitioned_logs())  # + the audit log
    assert len([line for line in lines if "." in line.split()[0]]) == listed

    out = io.StringIO()
    call_command("retention_report", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["total"] == expected_total
    by_key = {row["key"]: row for row in data["categories"]}
    assert by_key["verzuim.ziekmelding"]["count"] == 1
    assert by_key["verzuim.ziekmelding"]["rules"] == "RT-1, RT-2, RT-3"
    assert set(by_key) == set(registry.labels())  # every category and the audit log
