"""RT-1, RT-6: an employee's sick report is kept until 2 years after the employment ends — one
day before that date it stays, the day after it is gone, with its herstelmelding and deadline
rows; the purge is logged by category and count, and a second run removes nothing."""

from datetime import date

import pytest
import time_machine

from retention.models import PurgeRun
from retention.purge import dry_run, purge
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding, record_herstel
from verzuim.models import DeadlineCompletion, Herstelmelding, Werknemer, Ziekmelding

pytestmark = pytest.mark.django_db


def test_rt1_case_kept_until_two_years_after_employment_ends(make_user, employer):
    hr = make_user("hr")
    werknemer = WerknemerFactory(organisation=employer, employment_start=date(2020, 1, 1))
    with time_machine.travel(date(2023, 3, 1)):
        zm = create_ziekmelding(
            by=hr,
            werknemer=werknemer,
            first_day=date(2023, 2, 20),
            phone="06-12345678",
            expected_duration="onbekend",
            lopende_afspraken="",
        )
        record_herstel(
            by=hr, ziekmelding=zm, kind="volledig", date=date(2023, 3, 1), absence_percentage=0
        )
    zm.refresh_from_db()
    assert zm.keep_until is None  # still employed: the clock has not started
    werknemer.employment_end = date(2024, 6, 30)
    werknemer.save()
    zm.refresh_from_db()
    assert zm.keep_until == date(2026, 6, 30)
    with time_machine.travel(date(2026, 6, 30)):
        assert {r.key: r.count for r in dry_run()}["verzuim.ziekmelding"] == 0
        purge()
        assert Ziekmelding.objects.filter(pk=zm.pk).exists()
    with time_machine.travel(date(2026, 7, 1)):
        assert {r.key: r.count for r in dry_run()}["verzuim.ziekmelding"] == 1
        run = purge()
        assert not Ziekmelding.objects.filter(pk=zm.pk).exists()
        assert not Herstelmelding.objects.filter(ziekmelding_id=zm.pk).exists()
        assert not DeadlineCompletion.objects.filter(case_id=zm.case_id).exists()
        assert run.counts["verzuim.ziekmelding"] == 1
        assert run.finished_at is not None
        # The employee record (2 years after employment end as well) went after its case.
        assert not Werknemer.objects.filter(pk=werknemer.pk).exists()
        again = purge()
        assert again.counts == {}
    assert PurgeRun.objects.count() == 3
