"""Issue 20, item 4: the case page reads each record of the case once — the completions, the
Wazo leaves and the wage-period extensions are read for the deadline engine and shown from the
same rows (RI-1, ZM-5) — and its query count stays bounded as the case grows."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.verzuim.conftest import ZM_DATA
from verzuim.actions import termijnen
from verzuim.actions import ziekmelding as ziekmelding_actions

pytestmark = pytest.mark.django_db(databases=["default", "medisch"])

TABLES = ("verzuim_deadlinecompletion", "verzuim_verlof", "verzuim_wachttijdverlenging")


def _reads(client, url) -> tuple[Counter, int]:
    with (
        CaptureQueriesContext(connections["default"]) as default,
        CaptureQueriesContext(connections["medisch"]) as medisch,
    ):
        assert client.get(url).status_code == 200
    sql = [q["sql"] for q in default.captured_queries + medisch.captured_queries]
    reads = Counter(
        table for statement in sql for table in TABLES if f'FROM "{table}"' in statement
    )
    return reads, len(sql)


def test_ri1_zm5_case_page_reads_completions_leaves_and_extensions_once(
    hr, werknemer, verified_client
):
    zm = ziekmelding_actions.create_ziekmelding(
        by=hr, werknemer=werknemer, first_day=date.today() - timedelta(days=120), **ZM_DATA
    )
    termijnen.record_verlof(
        by=hr,
        werknemer=werknemer,
        start=date.today() - timedelta(days=300),
        end=date.today() - timedelta(days=200),
    )
    client = verified_client(hr)
    url = f"/verzuim/meldingen/{zm.pk}/"
    client.get(url)
    reads, first = _reads(client, url)
    assert reads == dict.fromkeys(TABLES, 1)
    for n in range(3):  # a longer case: the count does not grow with its records
        termijnen.record_verlof(
            by=hr,
            werknemer=werknemer,
            start=date.today() - timedelta(days=500 + 30 * n),
            end=date.today() - timedelta(days=490 + 30 * n),
        )
    _reads_again, later = _reads(client, url)
    assert later == first
