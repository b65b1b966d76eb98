"""End-to-end in real Chromium with a real Celery worker on the real broker (RT-6, AV-1): the
beheerder opens the dry-run report, sees expired records counted per category, clicks "Nu
opschonen", and the progress page — polling status.json from its static script, no inline
JavaScript (SE-8) — follows the run to completion with the counts per category."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from accounts.roles import OrganisationKind, Role
from config.celery import app
from reintegratie.models import Trajectory
from retention.models import PurgeRun
from tests.e2e.test_enrolment import (
    CSP_LISTENER,
    PASSWORD,
    _device_code,
    _password_step,
    _submit,
    _url,
)
from tests.factories import OrganisationFactory, TOTPDeviceFactory, UserFactory
from tests.retention.test_pages import expired_case, trajectory
from verzuim.models import Werknemer, Ziekmelding

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EXPIRED_CASES = 3
WORKER_TIMEOUT_MS = 30_000


def _login(page, live_server, user, device):
    _password_step(page, live_server, user)
    page.fill("input[name='token-otp_token']", _device_code(device))
    _submit(page, "Inloggen")
    assert urlsplit(page.url).path == "/", page.url


@pytest.fixture
def scenario(db):
    arbodienst = OrganisationFactory(kind=OrganisationKind.ARBODIENST, name="E2E Arbo Beheer")
    employer = OrganisationFactory(name="E2E Werkgever Bewaren BV")
    beheerder = UserFactory(
        role=Role.BEHEERDER, organisation=arbodienst, full_name="Bea Beheer", password=PASSWORD
    )
    hr = UserFactory(role=Role.HR, organisation=employer, full_name="Hanna Rietveld")
    cases = [expired_case(hr, employer) for _ in range(EXPIRED_CASES)]
    # RT-5: a trajectory that ended more than 2 years ago, of an employee still in service.
    traject = trajectory(employer, timezone.localdate() - timedelta(days=3 * 365))
    # A case that is not expired: the employee is still in service.
    current = expired_case(hr, employer)
    Werknemer.objects.filter(pk=current.werknemer_id).update(employment_end=None)
    Werknemer.objects.get(pk=current.werknemer_id).save()  # recomputes keep_until: none yet
    return {
        "beheerder": (beheerder, TOTPDeviceFactory(user=beheerder)),
        "cases": cases,
        "traject": traject,
        "current": current,
    }


def _dry_run_count(page, key):
    return page.locator(f"#proefrun tr[data-category='{key}'] td[data-count]").inner_text()


def test_rt6_beheerder_sees_dry_run_starts_purge_and_follows_progress_to_completion(
    page, live_server, scenario
):
    """RT-6: the dry-run report shows what the next run removes; "Nu opschonen" queues the task
    on commit; a real worker runs it and the progress page follows it to done == total, then
    shows the counts per category. AV-1: the processing register is one click away."""
    page.add_init_script(CSP_LISTENER)
    _login(page, live_server, *scenario["beheerder"])

    # The navigation entry of the beheerder leads to the dry-run report.
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="Bewaartermijnen", exact=True).click()
    assert urlsplit(page.url).path == "/beheer/bewaren/"
    assert _dry_run_count(page, "verzuim.ziekmelding") == str(EXPIRED_CASES)
    assert _dry_run_count(page, "reintegratie.traject") == "1"
    assert int(page.locator("#proefrun-totaal").inner_text()) >= EXPIRED_CASES + 1

    # No worker yet: the click only queues the task (stale messages from earlier runs go first).
    app.control.purge()
    _submit(page, "Nu opschonen")
    run = PurgeRun.objects.get()
    assert urlsplit(page.url).path == f"/beheer/bewaren/runs/{run.pk}/"
    bar = page.locator("progress#purge-progress-bar")
    assert bar.get_attribute("value") == "0"
    assert "wacht op de achtergrondtaak" in page.locator("#purge-progress-text").inner_text()
    # The script polls; the no-JS "Vernieuwen" link is hidden while it does.
    page.wait_for_function("() => document.getElementById('purge-refresh').hidden === true")
    assert Ziekmelding.objects.count() == EXPIRED_CASES + 1

    # Now a real worker on the real broker picks the task up; the page follows by itself.
    app.loader.import_module("celery.contrib.testing.tasks")
    with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=10):
        page.locator("#purge-counts").wait_for(timeout=WORKER_TIMEOUT_MS)

    run.refresh_from_db()
    assert run.finished_at is not None
    text = page.locator("#purge-progress-text").inner_text()
    assert text.startswith(f"Klaar: {run.done} van {run.done} records verwijderd"), text
    assert bar.get_attribute("value") == bar.get_attribute("max") == str(run.done)
    counts = {
        row.get_attribute("data-category"): row.locator("td").inner_text()
        for row in page.locator("#purge-counts tbody tr").all()
    }
    assert counts == {
        "verzuim.ziekmelding": str(EXPIRED_CASES),
        "verzuim.werknemer": str(EXPIRED_CASES),
        "reintegratie.traject": "1",
    }
    assert run.counts == {key: int(value) for key, value in counts.items()}
    assert page.get_by_role("link", name="Vernieuwen").count() == 0
    status = page.request.get(_url(live_server, f"/beheer/bewaren/runs/{run.pk}/status.json"))
    assert status.json()["finished"] is True
    assert status.json()["done"] == status.json()["total"] == run.done

    # What expired is gone; the case of the employee still in service stays.
    assert list(Ziekmelding.objects.values_list("pk", flat=True)) == [scenario["current"].pk]
    assert not Trajectory.objects.filter(pk=scenario["traject"].pk).exists()

    # Back on the report: nothing left to remove, and the run is listed with its counts.
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="Terug naar de proefrun").click()
    assert _dry_run_count(page, "verzuim.ziekmelding") == "0"
    assert page.get_by_role("link", name=f"Run {run.pk}", exact=True).count() == 1

    # AV-1: the processing register, generated from the registry.
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="Verwerkingsregister", exact=True).click()
    assert page.locator("article[data-category='reintegratie.traject']").count() == 1
    article = page.locator("article[data-category='reintegratie.traject']")
    # RT-5 in words (the rule code itself is not shown to people, issue 18)
    assert "met reden tot 4 jaar" in article.inner_text()
    assert article.locator("tr[data-rule='RT-5']").count() == 1

    assert page.evaluate("() => window.__cspViolations") == []
