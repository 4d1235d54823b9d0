"""Pure figures for the reports: minimum-count suppression and quartiles from a histogram.

No Django: the reports' queries hand these plain numbers, so the rules are tested on their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: A count under this many people is shown as "<5" (and so is any total that would give it away).
MINIMUM = 5


#: Shown instead of a figure hidden only so that a small count cannot be worked out from it.
COMPLEMENT = "x"


def small(minimum: int = MINIMUM) -> str:
    """Shown instead of a count under ``minimum``."""
    return f"<{minimum}"


@dataclass(frozen=True)
class Suppressed:
    """A table of counts after suppression: a hidden figure is the text ``small()`` (a count
    under the minimum) or ``COMPLEMENT`` (hidden so that such a count cannot be derived)."""

    cells: list[list[int | str]]
    row_totals: list[int | str]
    column_totals: list[int | str]
    total: int | str | None


def suppress(
    cells: Sequence[Sequence[int]],
    minimum: int = MINIMUM,
    *,
    row_totals: bool = True,
    column_totals: bool = True,
) -> Suppressed:
    """Hide every count from 1 to ``minimum - 1`` (primary suppression), then, as long as a row
    or a column (its total included) hides exactly one figure, also hide its smallest shown one
    (secondary suppression), so that no hidden count is the difference of shown ones.

    Zero stays shown (it names nobody) unless it is needed as a complement. Totals are the sums
    of the cells; with ``row_totals``/``column_totals`` off, those lines are not shown and so
    constrain nothing.
    """
    rows = len(cells)
    columns = len(cells[0]) if rows else 0
    # The grid: cells, a total column on the right, a total row at the bottom, the grand total.
    grid = [list(row) + [sum(row)] for row in cells]
    grid.append([sum(row[j] for row in grid) for j in range(columns + 1)])
    # 0 shown, 1 a small count, 2 a complement.
    hidden = [[1 if 0 < value < minimum else 0 for value in row] for row in grid]
    shown_rows = range(rows + 1) if column_totals else range(rows)
    shown_columns = range(columns + 1) if row_totals else range(columns)
    lines = []
    if row_totals:
        lines += [[(i, j) for j in range(columns + 1)] for i in shown_rows]
    if column_totals:
        lines += [[(i, j) for i in range(rows + 1)] for j in shown_columns]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(bool(hidden[i][j]) for i, j in line) != 1:
                continue
            candidates = [(i, j) for i, j in line if not hidden[i][j]]
            if not candidates:
                continue
            # The smallest figure that is not zero; a zero only when nothing else is left.
            i, j = min(candidates, key=lambda at: (grid[at[0]][at[1]] == 0, grid[at[0]][at[1]]))
            hidden[i][j] = 2
            changed = True

    markers = {1: small(minimum), 2: COMPLEMENT}

    def value(i, j):
        return markers[hidden[i][j]] if hidden[i][j] else grid[i][j]

    return Suppressed(
        cells=[[value(i, j) for j in range(columns)] for i in range(rows)],
        row_totals=[value(i, columns) for i in range(rows)] if row_totals else [],
        column_totals=[value(rows, j) for j in range(columns)] if column_totals else [],
        total=value(rows, columns) if row_totals and column_totals else None,
    )


def quantile(histogram: Mapping[float, int], q: float) -> float | None:
    """The ``q`` quantile (0–1) of the values counted in ``histogram`` (value -> how many), by
    linear interpolation between the closest ranks: PostgreSQL's ``percentile_cont``."""
    total = sum(histogram.values())
    if not total:
        return None
    position = q * (total - 1)
    below, fraction = int(position), position - int(position)
    lower = upper = None
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        if count <= 0:
            continue
        if lower is None and below < seen + count:
            lower = value
        if below + 1 < seen + count:
            upper = value
            break
        seen += count
    if upper is None:
        upper = lower
    return lower + (upper - lower) * fraction


def quartiles(histogram: Mapping[float, int]) -> tuple[float | None, float | None, float | None]:
    """First quartile, median and third quartile of ``histogram``."""
    return quantile(histogram, 0.25), quantile(histogram, 0.5), quantile(histogram, 0.75)
