"""DG-5: k-anonymous tables (core/kanon.py). Property-based (hypothesis): for any table, no
published number is below k, and no suppressed number can be recomputed from the published ones —
checked with an independent oracle (exact linear algebra over the fractions), not with the
module's own graph argument."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from core import kanon
from core.kanon import CELL, COL, ROW, TOTAL


def _all_keys(table):
    n_rows, n_cols = len(table.row_labels), len(table.col_labels)
    keys = [(CELL, r, c) for r in range(n_rows) for c in range(n_cols)]
    return keys + [(ROW, r) for r in range(n_rows)] + [(COL, c) for c in range(n_cols)] + [(TOTAL,)]


def _determined_by_linear_algebra(table) -> set:
    """Hidden numbers fixed by the published ones: x_j is determined iff the unit vector e_j is
    in the row space of the equations over the hidden unknowns (rank test)."""
    n_rows, n_cols = len(table.row_labels), len(table.col_labels)
    equations = []
    for r in range(n_rows):
        equations.append({**{(CELL, r, c): 1 for c in range(n_cols)}, (ROW, r): -1})
    for c in range(n_cols):
        equations.append({**{(CELL, r, c): 1 for r in range(n_rows)}, (COL, c): -1})
    equations.append({**{(ROW, r): 1 for r in range(n_rows)}, (TOTAL,): -1})
    equations.append({**{(COL, c): 1 for c in range(n_cols)}, (TOTAL,): -1})
    hidden = sorted(table.hidden)
    index = {key: i for i, key in enumerate(hidden)}
    matrix = [
        [Fraction(eq.get(key, 0)) for key in hidden]
        for eq in equations
        if any(key in index for key in eq)
    ]

    def rank(rows):
        rows = [list(r) for r in rows]
        rank_, col = 0, 0
        width = len(hidden)
        while rank_ < len(rows) and col < width:
            pivot = next((i for i in range(rank_, len(rows)) if rows[i][col] != 0), None)
            if pivot is None:
                col += 1
                continue
            rows[rank_], rows[pivot] = rows[pivot], rows[rank_]
            for i in range(len(rows)):
                if i != rank_ and rows[i][col] != 0:
                    f = rows[i][col] / rows[rank_][col]
                    rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank_], strict=True)]
            rank_ += 1
            col += 1
        return rank_

    base = rank(matrix)
    found = set()
    for key, i in index.items():
        unit = [Fraction(1 if j == i else 0) for j in range(len(hidden))]
        if rank([*matrix, unit]) == base:
            found.add(key)
    return found


def _zero_sums_by_hand(table) -> set:
    """Published totals (row, column, grand) minus their published parts that give 0 while some
    part is hidden: then every hidden part is 0, since counts are never negative."""
    n_rows, n_cols = len(table.row_labels), len(table.col_labels)
    groups = [((ROW, r), [(CELL, r, c) for c in range(n_cols)]) for r in range(n_rows)]
    groups += [((COL, c), [(CELL, r, c) for r in range(n_rows)]) for c in range(n_cols)]
    groups.append(((TOTAL,), [(ROW, r) for r in range(n_rows)]))
    groups.append(((TOTAL,), [(COL, c) for c in range(n_cols)]))
    found = set()
    for total, parts in groups:
        hidden = [key for key in parts if key in table.hidden]
        if total in table.hidden or not hidden:
            continue
        rest = table.value(total) - sum(table.value(k) for k in parts if k not in table.hidden)
        if rest == 0:
            found.add(total)
    return found


tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda n_rows: st.integers(min_value=1, max_value=5).flatmap(
        lambda n_cols: st.lists(
            st.lists(st.integers(min_value=0, max_value=14), min_size=n_cols, max_size=n_cols),
            min_size=n_rows,
            max_size=n_rows,
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(cells=tables, k=st.integers(min_value=2, max_value=6), totals=st.booleans())
def test_dg5_no_published_number_below_k_and_no_hidden_number_recoverable(cells, k, totals):
    rows = [f"r{i}" for i in range(len(cells))]
    cols = [f"c{j}" for j in range(len(cells[0]))]
    table = kanon.suppress(rows, cols, cells, k, show_row_totals=totals)
    for key in _all_keys(table):
        shown = table.shown(key)
        assert shown is None or shown >= k, (key, shown)
    # An unpublished row total (no totals column) at or above k is no secret: the reader may
    # work it out (in a one-column table it equals the published cell).
    harmless = {(ROW, r) for r in range(len(rows)) if not totals and table.value((ROW, r)) >= k}
    assert _determined_by_linear_algebra(table) - harmless == set(), table.hidden
    # The module's own check agrees with the oracle.
    assert kanon.recoverable(table) == []
    # Counts are never negative: no published total leaves only zeros hidden beneath it.
    assert _zero_sums_by_hand(table) == set(), table.hidden
    # Published numbers are the true ones.
    for key in _all_keys(table):
        if key not in table.hidden:
            assert table.shown(key) == table.value(key)


def test_dg5_the_oracle_sees_a_single_hidden_cell_in_a_row():
    """A control that the property above can fail: hiding one small cell alone leaks it."""
    table = kanon.Table(["a", "b"], ["x", "y"], [[2, 9], [8, 7]], 5)
    table.hidden = {(CELL, 0, 0)}
    assert _determined_by_linear_algebra(table) == {(CELL, 0, 0)}
    assert kanon.recoverable(table) == [(CELL, 0, 0)]


def test_dg5_complementary_suppression_keeps_what_is_safe():
    table = kanon.suppress(
        ["A", "B", "C"], ["x", "y", "z"], [[10, 2, 8], [7, 9, 6], [12, 11, 15]], 5
    )
    assert table.shown((CELL, 0, 1)) is None  # primary: 2 < 5
    # Complementary suppression takes margins before publishable cells: every other cell stays.
    assert [key for key in table.hidden if key[0] == CELL] == [(CELL, 0, 1)]
    assert table.shown((ROW, 0)) is None and table.shown((COL, 1)) is None
    assert table.shown((CELL, 2, 0)) == 12 and table.shown((ROW, 1)) == 22


def test_dg5_one_column_without_row_totals_keeps_the_publishable_cells():
    """The bug of the register per department (one column, `show_row_totals=False`): every cell
    was hidden because the unpublished row totals, equal to their cells, counted as leaks. Now
    only the small cell and one complementary cell are hidden."""
    table = kanon.suppress(["A", "B", "C"], ["n"], [[10], [2], [8]], 5, show_row_totals=False)
    assert [cells for _, cells, _ in table.rows()] == [[10], [None], [None]]
    assert table.col_totals() == [20]
    assert _determined_by_linear_algebra(table) == {(ROW, 0)}  # = the published 10


def test_dg5_hidden_zeros_under_a_published_total_are_not_given_away():
    """DG-5: a department of 6 and two of 0: showing 6 and the total 6 says the two hidden
    numbers add up to 0 — so both are 0, "nobody there". The total is hidden too."""
    table = kanon.suppress(["A", "B", "C"], ["n"], [[6], [0], [0]], 5, show_row_totals=False)
    assert [cells for _, cells, _ in table.rows()] == [[6], [None], [None]]
    assert table.col_totals() == [None] and table.grand_total is None
    assert _zero_sums_by_hand(table) == set()
    # The same in two dimensions: a row of a 2x2 whose small cells are both 0.
    table = kanon.suppress(["A", "B"], ["x", "y", "z"], [[0, 0, 9], [6, 7, 8]], 5)
    assert (CELL, 0, 0) in table.hidden and (CELL, 0, 1) in table.hidden
    assert _zero_sums_by_hand(table) == set() and kanon.recoverable(table) == []


def test_dg5_one_column_without_row_totals_and_no_small_cell_hides_nothing():
    table = kanon.suppress(["A", "B"], ["n"], [[6], [7]], 5, show_row_totals=False)
    assert [cells for _, cells, _ in table.rows()] == [[6], [7]]
    assert table.col_totals() == [13]
