"""k-anonymous count tables (DG-5): primary and complementary cell suppression.

Written by hand because no maintained Python library does cell suppression for small tables:
sdcMicro / tau-Argus are R and Java tools for statistical offices, far too heavy for a page. The
method is the textbook one, kept small and exact:

1. Primary suppression: every published number below k — cell, row total, column total, grand
   total — is hidden (zero included: "nobody in this department" is a statement about people).
2. Complementary suppression: the published numbers form linear equations (each row sums to its
   total, each column to its total, the totals to the grand total). A hidden number is
   *recoverable* when those equations fix it. Seen as a graph (see `_node_pair`), that is
   exactly when it is a bridge among the hidden numbers — exact, no arithmetic, linear time.
   While any hidden number is recoverable, hide the cheapest published number that closes a
   cycle through it (a margin before a publishable cell, the smallest first) and test again.
   The tests check the result independently with exact linear algebra (fractions).

3. Counts are never negative, which the equations alone do not know: when the hidden numbers
   of one row or column are all zero and its total is published, the total minus the published
   cells is 0, so each hidden number is 0 — "nobody in this department", disclosed although no
   single number is recoverable. Such a total is hidden as well (`zero_sums`), and the loop goes
   on (hiding it may make it recoverable elsewhere, which step 2 then closes).

A row total that is not published at all (`show_row_totals=False`) is an unknown to the reader,
not a suppressed number: it counts as a leak only when it is below k. (It used to count whenever
it was recoverable, so a one-column table, whose row totals equal its published cells, hid every
cell.)

The loop ends because every round hides one more number; at worst the whole table is hidden.

Shared by the doelgroep reports (DG-5) and the per-department absence statistics of verzuim,
which suppress small departments the same way (`k_threshold()`, setting DOELGROEP_K).
"""

from dataclasses import dataclass, field

from django.conf import settings

CELL, ROW, COL, TOTAL = "cell", "row", "col", "total"


def k_threshold() -> int:
    """The k of every k-anonymous table (DG-5): setting DOELGROEP_K, default 5, at least 2."""
    return settings.DOELGROEP_K


@dataclass
class Table:
    row_labels: list[str]
    col_labels: list[str]
    cells: list[list[int]]
    k: int
    show_row_totals: bool = True
    hidden: set = field(default_factory=set)

    def row_total(self, r) -> int:
        return sum(self.cells[r])

    def col_total(self, c) -> int:
        return sum(row[c] for row in self.cells)

    @property
    def total(self) -> int:
        return sum(map(sum, self.cells))

    def value(self, key) -> int:
        kind = key[0]
        if kind == CELL:
            return self.cells[key[1]][key[2]]
        if kind == ROW:
            return self.row_total(key[1])
        if kind == COL:
            return self.col_total(key[1])
        return self.total

    def shown(self, key) -> int | None:
        """The published number, or None where it is suppressed."""
        return None if key in self.hidden else self.value(key)

    def rows(self):
        """(label, [cell or None], row total or None) per row, for templates and CSV."""
        for r, label in enumerate(self.row_labels):
            yield (
                label,
                [self.shown((CELL, r, c)) for c in range(len(self.col_labels))],
                self.shown((ROW, r)) if self.show_row_totals else None,
            )

    def col_totals(self):
        return [self.shown((COL, c)) for c in range(len(self.col_labels))]

    @property
    def grand_total(self):
        return self.shown((TOTAL,))


def _keys(table):
    n_rows, n_cols = len(table.row_labels), len(table.col_labels)
    keys = [(CELL, r, c) for r in range(n_rows) for c in range(n_cols)]
    keys += [(ROW, r) for r in range(n_rows)] + [(COL, c) for c in range(n_cols)] + [(TOTAL,)]
    return keys


def _node_pair(key, n_rows, n_cols):
    """The table with its margins is a complete bipartite graph: row nodes 0..n_rows (the last
    is the column-totals row), column nodes 0..n_cols (the last is the row-totals column); every
    published or hidden number is the edge between its row node and column node, and every node
    sums to zero with signs. So the hidden numbers are determined exactly where they are bridges
    of the graph of hidden edges (the solutions differ by cycles, and only edges on a cycle can
    vary)."""
    kind = key[0]
    if kind == CELL:
        return ("r", key[1]), ("c", key[2])
    if kind == ROW:
        return ("r", key[1]), ("c", n_cols)
    if kind == COL:
        return ("r", n_rows), ("c", key[1])
    return ("r", n_rows), ("c", n_cols)


def _bridges(edges) -> set:
    """Bridges of an undirected multigraph given as {key: (u, v)} (Tarjan, iterative)."""
    adjacency = {}
    for key, (u, v) in edges.items():
        adjacency.setdefault(u, []).append((v, key))
        adjacency.setdefault(v, []).append((u, key))
    order, low, bridges = {}, {}, set()
    counter = 0
    for root in adjacency:
        if root in order:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack = [(root, None, iter(adjacency[root]))]
        while stack:
            node, via, neighbours = stack[-1]
            advanced = False
            for neighbour, key in neighbours:
                if key == via:
                    continue
                if neighbour in order:
                    low[node] = min(low[node], order[neighbour])
                    continue
                order[neighbour] = low[neighbour] = counter
                counter += 1
                stack.append((neighbour, key, iter(adjacency[neighbour])))
                advanced = True
                break
            if advanced:
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    bridges.add(via)
    return bridges


def _unpublished(table, key) -> bool:
    """A row total of a table without a totals column, at or above k: nothing to protect."""
    return key[0] == ROW and not table.show_row_totals and table.value(key) >= table.k


def recoverable(table) -> list:
    """The hidden numbers that the published ones determine exactly (bridges, see _node_pair),
    leaving out unpublished row totals that could have been published (`_unpublished`)."""
    n_rows, n_cols = len(table.row_labels), len(table.col_labels)
    edges = {key: _node_pair(key, n_rows, n_cols) for key in table.hidden}
    return sorted(key for key in _bridges(edges) if not _unpublished(table, key))


def _component(edges, start, without):
    """Nodes reachable from `start` over `edges` ({key: (u, v)}) not using edge `without`."""
    adjacency = {}
    for key, (u, v) in edges.items():
        if key != without:
            adjacency.setdefault(u, []).append(v)
            adjacency.setdefault(v, []).append(u)
    seen, todo = {start}, [start]
    while todo:
        for neighbour in adjacency.get(todo.pop(), ()):
            if neighbour not in seen:
                seen.add(neighbour)
                todo.append(neighbour)
    return seen


def _margin_of(node, n_rows, n_cols):
    """The total a node's numbers add up to: a row's total, a column's total, or the grand total
    for the two margin nodes."""
    side, i = node
    if side == "r":
        return (ROW, i) if i < n_rows else (TOTAL,)
    return (COL, i) if i < n_cols else (TOTAL,)


def zero_sums(table) -> list:
    """Published totals whose hidden parts are all zero (step 3 of the module docstring): the
    total minus its published parts gives 0, and counts are never negative."""
    n_rows, n_cols = len(table.row_labels), len(table.col_labels)
    parts = {}
    for key in _keys(table):
        for node in _node_pair(key, n_rows, n_cols):
            if key != _margin_of(node, n_rows, n_cols):
                parts.setdefault(node, []).append(key)
    found = set()
    for node, keys in parts.items():
        margin = _margin_of(node, n_rows, n_cols)
        if margin in table.hidden:
            continue
        hidden = [key for key in keys if key in table.hidden]
        if hidden and all(table.value(key) == 0 for key in hidden):
            found.add(margin)
    return sorted(found)


def _cost(table, key):
    # Keep the cells that may be published (>= k) as long as possible: hide a margin before such
    # a cell, then the smallest number first.
    publishable_cell = key[0] == CELL and table.value(key) >= table.k
    return (publishable_cell, table.value(key), key)


def _complement(table, bridge):
    """The published number to hide next so that `bridge` moves towards a cycle: one that closes
    a cycle through it if there is one, else the cheapest one touching it."""
    n_rows, n_cols = len(table.row_labels), len(table.col_labels)
    edges = {key: _node_pair(key, n_rows, n_cols) for key in table.hidden}
    u, v = edges[bridge]
    side_u, side_v = _component(edges, u, bridge), _component(edges, v, bridge)
    visible = [key for key in _keys(table) if key not in table.hidden]
    closing = []
    touching = []
    for key in visible:
        a, b = _node_pair(key, n_rows, n_cols)
        if (a in side_u and b in side_v) or (a in side_v and b in side_u):
            closing.append(key)
        elif a in (u, v) or b in (u, v):
            touching.append(key)
    for candidates in (closing, touching, visible):
        if candidates:
            return min(candidates, key=lambda key: _cost(table, key))
    return None


def suppress(row_labels, col_labels, cells, k, *, show_row_totals=True) -> Table:
    table = Table(
        list(row_labels),
        list(col_labels),
        [list(r) for r in cells],
        k,
        show_row_totals=show_row_totals,
    )
    for key in _keys(table):
        if table.value(key) < k:
            table.hidden.add(key)
    if not show_row_totals:
        # Unpublished row totals are unknowns, not facts the reader has.
        table.hidden.update((ROW, r) for r in range(len(table.row_labels)))
    while True:
        leaks = recoverable(table)
        if not leaks:
            zeros = zero_sums(table)
            if not zeros:
                return table
            table.hidden.add(zeros[0])
            continue
        extra = _complement(table, leaks[0])
        if extra is None:  # everything is hidden already
            return table
        table.hidden.add(extra)
