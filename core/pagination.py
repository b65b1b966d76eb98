"""A paginator that does not count the whole history on every page (issue 20, item 2).

Django's `Paginator` runs `SELECT COUNT(*)` over every row the filters match, on every page: with
years of history that is the one query of a list page that grows with the data. This one counts
at most `threshold` + 1 rows (`COUNT(*)` over a `LIMIT` subquery without `ORDER BY`, so PostgreSQL
stops early). At or below the threshold that count is exact and the page is Django's own; above
it the count is PostgreSQL's planner estimate for the same filtered query (`EXPLAIN`, no rows
read), rounded, and the templates say "ongeveer". Queries: one count query up to the threshold
(as Django's), two above it (the capped count and the EXPLAIN) — bounded work either way.

A page is read by its keys first (`_rows`): the rows in full only for the page itself.

With `count_with_page` the count is taken from the page's own key query instead (`COUNT(*) OVER
()` beside the keys), for filters that make PostgreSQL find every match before it can order them
— a name search, a filter on the employee: there a separate count does the filter's work a second
time. Same count and pages, no more queries (one fewer when nothing matches); the filter runs once.

When the count is estimated the page number is not checked against it (the estimate may be off
either way): a page fetches one row more than it shows, so "Volgende" appears exactly when there
is a next row, and a number past the end gives an empty page rather than an error.
"""

from __future__ import annotations

import json

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, QuerySet, Window
from django.utils.functional import cached_property

# Above this many rows the count is estimated (PostgreSQL's planner), below it exact.
ESTIMATE_THRESHOLD = 10_000


def _plan_rows(explained) -> int:
    plan = json.loads(explained) if isinstance(explained, str) else explained
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedPage(Page):
    more = False  # estimated mode only: a row exists after this page

    def has_next(self):
        if self.paginator.estimated:
            return self.more
        return super().has_next()


class EstimatedCountPaginator(Paginator):
    """`Paginator` with an exact count up to `threshold` rows and an estimated one above it;
    `estimated` says which (read it after `count`, `num_pages` or `page`). `count_with_page`:
    the count comes from the requested page's key query (see the module docstring)."""

    def __init__(
        self,
        object_list,
        per_page,
        *,
        threshold: int | None = None,
        count_with_page: bool = False,
        **kwargs,
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.threshold = ESTIMATE_THRESHOLD if threshold is None else threshold
        self.estimated = False
        self.count_with_page = count_with_page and isinstance(object_list, QuerySet)
        self._fetched: tuple[int, list] | None = None  # (page number, its keys) read with the count

    @cached_property
    def count(self):
        if not isinstance(self.object_list, QuerySet):
            return super().count
        # ORDER BY dropped inside the subquery: with it PostgreSQL would sort every match first.
        capped = self.object_list.order_by()[: self.threshold + 1].count()
        if capped <= self.threshold:
            return capped
        return self._estimate()

    def _estimate(self) -> int:
        self.estimated = True
        estimate = _plan_rows(self.object_list.order_by().explain(format="json"))
        # The planner may guess low; there are more rows than the threshold, that much is known.
        return max(self.threshold + 1, round(estimate, -2))

    def _count_with_keys(self, number: int) -> None:
        """One query for the keys of page `number` and the number of matches (a window count,
        computed over the matches PostgreSQL collects for the sort anyway). Sets `count` as the
        count query would have — exact up to the threshold, the planner's estimate above it —
        unless the page is empty: past the end (or page 1 of nothing) the count is its own."""
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page + max(self.orphans, 1)  # as `page` would read, and one more
        fetched = list(
            self.object_list.annotate(_matches=Window(Count("*"))).values_list("pk", "_matches")[
                bottom:top
            ]
        )
        if not fetched and number == 1:
            self.__dict__["count"] = 0  # nothing matches: no second query to say so
        if not fetched:
            return
        total = fetched[0][1]
        self.__dict__["count"] = total if total <= self.threshold else self._estimate()
        self._fetched = (number, [pk for pk, _ in fetched])

    def validate_number(self, number):
        if self.count_with_page and "count" not in self.__dict__:
            self._count_with_keys(self._page_number(number))
        if not self.count or not self.estimated:  # self.count first: it sets `estimated`
            return super().validate_number(number)
        return self._page_number(number)

    def _page_number(self, number) -> int:
        """Django's checks of a page number that need no count."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if self.estimated:
            rows = list(self._fetched_or_rows(number, bottom, bottom + self.per_page + 1))
            page = self._get_page(rows[: self.per_page], number, self)
            page.more = len(rows) > self.per_page
            return page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._fetched_or_rows(number, bottom, top), number, self)

    def _fetched_or_rows(self, number, bottom, top):
        if self._fetched and self._fetched[0] == number:
            # The keys came with the count; the rows in full for just those (one query).
            return self.object_list.filter(pk__in=self._fetched[1][: top - bottom])
        return self._rows(bottom, top)

    def _rows(self, bottom, top):
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return rows[bottom:top]
        # Late row lookup, still one query: the page's keys in a subquery that needs only the
        # filter and order columns (index-only where an index covers them, e.g. verzuim's
        # ziekmelding_org_werknemer), then just those rows with their joined columns. Without it
        # PostgreSQL reads every matching row in full before the top-N sort keeps 25.
        return rows.filter(pk__in=rows.values("pk")[bottom:top])

    def _get_page(self, *args, **kwargs):
        return EstimatedPage(*args, **kwargs)
