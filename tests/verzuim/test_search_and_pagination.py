"""Issue 20, item 2: search and filters that do not grow with history. The paginator counts
exactly up to a threshold and takes PostgreSQL's estimate above it (core/pagination.py); the
pages say "ongeveer" then; the last page and "Volgende" stay right; the name search still finds
partial names (the trigram indexes of verzuim migration 0007 change the plan, not the result);
query counts stay bounded. SE-9: everything stays scoped to the user's employer."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from core import pagination
from core.pagination import EstimatedCountPaginator
from tests.verzuim.conftest import ZM_DATA
from tests.verzuim.factories import WerknemerFactory
from verzuim import queries
from verzuim.actions import ziekmelding as ziekmelding_actions
from verzuim.models import Werknemer

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _employees(employer, n):
    WerknemerFactory.create_batch(n, organisation=employer)
    return Werknemer.objects.filter(organisation=employer).order_by("last_name", "pk")


def test_paginator_counts_exactly_up_to_the_threshold_and_the_last_page_works(employer):
    """Issue 20: at or below the threshold the count is exact, one COUNT query over at most
    threshold + 1 rows (no ORDER BY inside), and the pages are Django's own."""
    rows = _employees(employer, 11)
    paginator = EstimatedCountPaginator(rows, 4, threshold=11)
    with CaptureQueriesContext(connection) as ctx:
        assert paginator.count == 11
    assert not paginator.estimated
    assert len(ctx) == 1
    sql = ctx.captured_queries[0]["sql"]
    assert "LIMIT 12" in sql and "ORDER BY" not in sql
    assert paginator.num_pages == 3
    last = paginator.get_page(3)
    assert [w.pk for w in last] == [w.pk for w in rows][8:]
    assert last.has_previous() and not last.has_next()
    assert paginator.get_page(99).number == 3  # past the end: the last page, as Django's


def test_paginator_estimates_above_the_threshold_and_pages_to_the_real_end(employer):
    """Issue 20: above the threshold the count is the planner's estimate (EXPLAIN, no rows
    counted), never below threshold + 1; "Volgende" follows the rows, not the estimate."""
    rows = _employees(employer, 12)
    paginator = EstimatedCountPaginator(rows, 5, threshold=4)
    with CaptureQueriesContext(connection) as ctx:
        count = paginator.count
    assert paginator.estimated
    assert [q["sql"].startswith("EXPLAIN") for q in ctx.captured_queries] == [False, True]
    assert "LIMIT 5" in ctx.captured_queries[0]["sql"]
    planned = pagination._plan_rows(rows.order_by().explain(format="json"))
    assert count == max(5, round(planned, -2))
    pks = [w.pk for w in rows]
    first, last = paginator.page(1), paginator.page(3)
    assert [w.pk for w in first] == pks[:5] and first.has_next()
    assert [w.pk for w in last] == pks[10:] and not last.has_next() and last.has_previous()
    beyond = paginator.get_page(50)  # the estimate may be off: an empty page, no error
    assert list(beyond) == [] and not beyond.has_next()


def _fill_cases(hr, employer, n):
    for _ in range(n):
        w = WerknemerFactory(organisation=employer)
        ziekmelding_actions.create_ziekmelding(
            by=hr, werknemer=w, first_day=TODAY - timedelta(days=3), **ZM_DATA
        )


def test_overview_says_ongeveer_when_estimated_and_keeps_its_query_count(
    hr, verified_client, employer, monkeypatch, django_assert_max_num_queries
):
    """Issue 20 (SE-9 scoping unchanged): with the count estimated the case list and the
    werknemers list read "ongeveer"; the query count is the exact page's plus one EXPLAIN and
    does not grow with the rows."""
    client = verified_client(hr)
    _fill_cases(hr, employer, 3)
    paths = ("/verzuim/meldingen/?status=all", "/verzuim/werknemers/")
    exact = {}
    for path in paths:
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(path).content.decode()
        exact[path] = len(ctx)
        assert "ongeveer" not in body.lower()
    assert "3 verzuimmeldingen gevonden." in client.get(paths[0]).content.decode()

    monkeypatch.setattr(pagination, "ESTIMATE_THRESHOLD", 1)
    monkeypatch.setattr("verzuim.queries.PAGE_SIZE", 2)
    _fill_cases(hr, employer, 4)
    for path in paths:
        with django_assert_max_num_queries(exact[path] + 1):
            response = client.get(path)
        body = response.content.decode()
        assert response.context["page"].paginator.estimated
        assert "van ongeveer" in body or "Pagina 1<" in body, body
    overview = client.get(paths[0]).content.decode()
    assert "Ongeveer" in overview and "verzuimmeldingen gevonden." in overview
    last = client.get(paths[0] + "&page=4")  # 7 cases, 2 a page: the 4th has one, no next
    assert len(last.context["page"]) == 1 and ">Volgende<" not in last.content.decode()


def test_search_still_finds_partial_names_and_exact_personnel_numbers(
    hr, verified_client, employer
):
    """Issue 20: the trigram indexes leave the search's meaning as it was — any part of a first
    or last name, any case; the personnel number whole (SE-9: own employer only)."""
    w = WerknemerFactory(organisation=employer, first_name="Annelies", last_name="Verhoeven")
    other = WerknemerFactory(organisation=employer, first_name="Kees", last_name="Jansen")
    for werknemer in (w, other):
        ziekmelding_actions.create_ziekmelding(
            by=hr, werknemer=werknemer, first_day=TODAY - timedelta(days=3), **ZM_DATA
        )
    client = verified_client(hr)
    for term, expected in (
        ("hoev", [w.pk]),
        ("ANNELI", [w.pk]),
        ("nneli", [w.pk]),
        ("jan", [other.pk]),
        (w.personnel_number.lower(), [w.pk]),
        (w.personnel_number[:-1], []),  # iexact, as before: no partial personnel numbers
    ):
        for path in ("/verzuim/meldingen/", "/verzuim/werknemers/"):
            client.post(path, {"q": term})
            page = client.get(path + ("?status=all" if "meldingen" in path else "")).context["page"]
            found = [getattr(row, "werknemer_id", row.pk) for row in page]
            assert found == expected, (path, term)


def test_paginator_of_a_list_counts_it_as_django_does():
    """Issue 20: a plain list (no query to estimate) keeps Django's exact count."""
    paginator = EstimatedCountPaginator(list(range(30)), 10, threshold=5)
    assert paginator.count == 30 and not paginator.estimated and paginator.num_pages == 3


CAPPED_COUNT = "SELECT COUNT(*) FROM (SELECT"  # the paginator's own count query


def _captured(fn):
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return result, [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("orphans", [0, 2])
def test_count_with_page_gives_the_plain_querysets_count_and_pages_in_two_queries(
    employer, orphans
):
    """Issue 20, item 2: with `count_with_page` the count comes from the page's key query (a
    window count, the filter evaluated once); count, pages, page numbers past the end and "not a
    number" are those of Django's own Paginator over the same queryset; a page in range takes two
    queries (keys with the count, the rows) — as many as without it, and no COUNT of its own."""
    rows = _employees(employer, 13)
    for number in (1, 2, 3, 4, 99, "x", "2"):
        expected = Paginator(rows, 4, orphans=orphans).get_page(number)
        paginator = EstimatedCountPaginator(rows, 4, orphans=orphans, count_with_page=True)
        page, sqls = _captured(lambda p=paginator, n=number: p.get_page(n))
        assert [w.pk for w in page] == [w.pk for w in expected], number
        assert (page.number, paginator.count, paginator.num_pages) == (
            expected.number,
            expected.paginator.count,
            expected.paginator.num_pages,
        )
        assert (page.has_next(), page.has_previous()) == (
            expected.has_next(),
            expected.has_previous(),
        )
        assert not paginator.estimated
        if str(page.number) != str(number):  # past the end, not a number: another page read
            continue
        _, sqls = _captured(
            lambda n=number: list(
                EstimatedCountPaginator(rows, 4, orphans=orphans, count_with_page=True).get_page(n)
            )
        )
        assert len(sqls) == 2 and "COUNT(*) OVER ()" in sqls[0], sqls
        assert not any(sql.startswith(CAPPED_COUNT) for sql in sqls)


def test_count_with_page_of_nothing_is_one_query(employer):
    """Issue 20, item 2: a search that finds nothing learns the count (0) from its empty key
    query; no count query, no rows query."""
    rows = Werknemer.objects.filter(organisation=employer, last_name="Bestaatniet").order_by("pk")
    paginator = EstimatedCountPaginator(rows, 4, count_with_page=True)
    page, sqls = _captured(lambda: list(paginator.get_page(1)))
    assert page == [] and paginator.count == 0 and paginator.num_pages == 1
    assert len(sqls) == 1


def test_count_with_page_above_the_threshold_still_estimates(employer):
    """Issue 20, item 2: above the threshold the page shows the planner's estimate as without
    `count_with_page` ("ongeveer", EXPLAIN as the one extra query) and "Volgende" follows the
    rows; the pages are the same."""
    rows = _employees(employer, 12)
    pks = [w.pk for w in rows]
    plain = EstimatedCountPaginator(rows, 5, threshold=4)
    paginator = EstimatedCountPaginator(rows, 5, threshold=4, count_with_page=True)
    page, sqls = _captured(lambda: list(paginator.get_page(2)))
    assert paginator.estimated and paginator.count == plain.count
    assert [w.pk for w in page] == pks[5:10]
    assert len(sqls) == 3 and sqls[1].startswith("EXPLAIN")
    last = EstimatedCountPaginator(rows, 5, threshold=4, count_with_page=True).get_page(3)
    assert [w.pk for w in last] == pks[10:] and not last.has_next()
    assert (
        EstimatedCountPaginator(rows, 5, threshold=4, count_with_page=True).get_page(2).has_next()
    )
    beyond = EstimatedCountPaginator(rows, 5, threshold=4, count_with_page=True).get_page(50)
    assert list(beyond) == [] and not beyond.has_next()


def test_overview_search_and_department_pages_count_with_their_keys(hr, verified_client, employer):
    """Issue 20, item 2: the case list filtered on the employee (a name, a department) and the
    werknemers list with a search take the count from the page's key query: no separate COUNT,
    the same rows and count as the plain queryset."""
    named = [
        WerknemerFactory(organisation=employer, last_name="Zoekmaar", department="Inkoop")
        for _ in range(3)
    ]
    for n, w in enumerate(named):
        ziekmelding_actions.create_ziekmelding(
            by=hr, werknemer=w, first_day=TODAY - timedelta(days=n + 1), **ZM_DATA
        )
    _fill_cases(hr, employer, 2)
    client = verified_client(hr)
    client.post("/verzuim/werknemers/", {"q": "oekmaa"})
    client.post("/verzuim/meldingen/", {"q": "oekmaa"})
    for path, expected in (
        ("/verzuim/meldingen/?status=all", 3),
        ("/verzuim/meldingen/?status=all&department=Inkoop", 3),
        ("/verzuim/werknemers/", 3),
    ):
        response, sqls = _captured(lambda p=path: client.get(p))
        page = response.context["page"]
        assert page.paginator.count == expected and len(page) == expected, path
        assert any("COUNT(*) OVER ()" in sql for sql in sqls), path
        assert not any(sql.startswith(CAPPED_COUNT) for sql in sqls), path
    client.post("/verzuim/meldingen/", {"q": ""})
    response, sqls = _captured(lambda: client.get("/verzuim/meldingen/?status=all"))
    assert response.context["page"].paginator.count == 5
    assert not any("OVER ()" in sql for sql in sqls)  # unfiltered: the capped count, as before
    assert any(sql.startswith(CAPPED_COUNT) for sql in sqls)


def test_overview_search_keeps_its_query_count_as_matches_grow(
    hr, verified_client, employer, django_assert_max_num_queries
):
    """Issue 20, item 2: the searched case list runs as many queries with 23 matches as with 3
    (and as the unsearched list)."""

    def fill(n):
        for _ in range(n):
            w = WerknemerFactory(organisation=employer, last_name="Willems")
            ziekmelding_actions.create_ziekmelding(
                by=hr, werknemer=w, first_day=TODAY - timedelta(days=2), **ZM_DATA
            )

    fill(3)
    plain, searching = verified_client(hr), verified_client(hr)
    searching.post("/verzuim/meldingen/", {"q": "willem"})
    path = "/verzuim/meldingen/?status=all"
    counts = []
    for client in (plain, searching):
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    fill(20)
    with django_assert_max_num_queries(counts[1]):
        response = searching.get(path)
    assert response.context["page"].paginator.count == 23


def test_search_on_the_upper_columns_finds_what_icontains_found(employer):
    """Issue 20, item 2: `queries.werknemer_search` on the stored UPPER() columns finds exactly
    the employees Django's icontains/iexact found, also for letters where PostgreSQL's UPPER()
    and Python's str.upper() differ (ß, ĳ) and for LIKE's own characters (%, _, backslash); the
    columns follow a rename."""
    names = [
        ("Straße", "de Vries"),
        ("Ĳsbrand", "van der Ĳssel"),
        ("Zoë", "Öztürk"),
        ("Jan", "50%_korting\\"),
        ("jan-willem", "JANSEN"),
    ]
    people = [
        WerknemerFactory(organisation=employer, first_name=f, last_name=last) for f, last in names
    ]
    people[0].personnel_number = "ab-12"
    people[0].save()
    employees = Werknemer.objects.filter(organisation=employer)

    def old(term):
        return (
            Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(personnel_number__iexact=term)
        )

    for term in (
        "strasse",
        "STRAßE",
        "ß",
        "ĳs",
        "ĲS",
        "zoË",
        "ÖZ",
        "%",
        "_",
        "\\",
        "50%_",
        "jan",
        "AB-12",
        "ab-1",
        "",
        " ",
    ):
        expected = set(employees.filter(old(term)).values_list("pk", flat=True))
        found = set(employees.filter(queries.werknemer_search(term)).values_list("pk", flat=True))
        assert found == expected, term
    assert set(
        employees.filter(queries.werknemer_search("Straß")).values_list("pk", flat=True)
    ) == {people[0].pk}
    people[1].last_name = "Hoogland"
    people[1].save()
    assert set(
        employees.filter(queries.werknemer_search("hoogl")).values_list("pk", flat=True)
    ) == {people[1].pk}


def test_api_search_uses_the_same_match(hr, bearer_client, employer):
    """Issue 20, item 2: the API's `?q=` is the lists' search (`queries.werknemer_search`): part
    of a name in any case, or the whole personnel number; own employer only (SE-9)."""
    w = WerknemerFactory(organisation=employer, first_name="Annelies", last_name="Verhoeven")
    WerknemerFactory(organisation=employer, first_name="Kees", last_name="Jansen")
    client = bearer_client(hr)
    for term, expected in (
        ("HOEV", [w.pk]),
        ("nneli", [w.pk]),
        (w.personnel_number.lower(), [w.pk]),
        (w.personnel_number[:-1], []),
    ):
        listed = client.get("/api/v1/werknemers/", {"q": term}).json()["results"]
        assert [row["id"] for row in listed] == expected, term
