"""The flows' figures as tables of text, the same for the page and the CSV: small counts hidden
with secondary suppression (`linkwell.outcomes.evaluation.suppression`), so no table, shown
or downloaded, gives away a count of 1 to 4 or lets one be worked out."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from linkwell.outcomes.evaluation.suppression import THRESHOLD, is_small, suppress

NOTHING = "\u2013"  # an en dash: no figure
MINUS = "\u2212"
TOTAL = "__total__"


@dataclass(frozen=True)
class Cell:
    text: str
    withheld: bool = False
    number: float | None = None  # the figure shown (None when withheld): for charts


@dataclass
class Table:
    key: str
    caption: str
    head: list[str]  # the first is the rows' header column
    rows: list[tuple[str, list[Cell]]] = field(default_factory=list)
    total: tuple[str, list[Cell]] | None = None
    note: str = ""
    chart: str = ""  # SVG of the same figures, drawn by the page
    html: str = ""  # the table as HTML, made by the page

    @property
    def lines(self) -> list[tuple[str, list[tuple[str, Cell]], bool]]:
        """(row header, [(column name, cell)], is the total row), the total last."""
        body = [(label, cells, False) for label, cells in self.rows]
        if self.total:
            body.append((*self.total, True))
        return [
            (label, list(zip(self.head[1:], cells, strict=True)), t) for label, cells, t in body
        ]

    def csv_rows(self) -> list[list[str]]:
        return [[label, *(cell.text for _, cell in cells)] for label, cells, _ in self.lines]


def explanation() -> str:
    return _(
        "To protect people's privacy, counts of 1 to %(last)s are shown as “fewer than "
        "%(threshold)s”. Where such a count could be worked out by taking the others from a "
        "total, the next smallest count in the same row or column is “withheld” too (it may "
        "be more). Medians, percentiles, averages and shares are shown only when they rest on "
        "at least %(threshold)s people or referrals, and never beside a hidden count they "
        "would give away."
    ) % {"last": THRESHOLD - 1, "threshold": THRESHOLD}


def number(value: float | None, places: int = 1) -> str:
    if value is None:
        return NOTHING
    text = f"{value:,.{places}f}"
    return text.replace("-", MINUS) if value < 0 else text


def count_cell(key: Hashable, counts: dict[Hashable, int], hidden: set[Hashable]) -> Cell:
    value = counts.get(key, 0)
    if key in hidden:
        return Cell(_("fewer than 5") if is_small(value) else _("withheld"), True)
    return Cell(f"{value:,}", number=float(value))


def grid(
    key: str,
    caption: str,
    rows: Sequence[tuple[Hashable, str]],
    columns: Sequence[tuple[Hashable, str]],
    counts: dict[tuple[Hashable, Hashable], int],
    *,
    row_heading: str,
    note: str = "",
) -> Table:
    """A table of counts with a total column and a total row, every sum protected: each row's
    cells add to its total, each column's to its total, the totals to the grand total."""
    full: dict[Hashable, int] = {}
    for r, _label in rows:
        for c, _name in columns:
            full[(r, c)] = counts.get((r, c), 0)
        full[(r, TOTAL)] = sum(full[(r, c)] for c, _name in columns)
    for c, _name in columns:
        full[(TOTAL, c)] = sum(full[(r, c)] for r, _label in rows)
    full[(TOTAL, TOTAL)] = sum(full[(r, TOTAL)] for r, _label in rows)
    sums: list[tuple[Hashable, list[Hashable]]] = []
    for r, _label in [*rows, (TOTAL, "")]:
        sums.append(((r, TOTAL), [(r, c) for c, _name in columns]))
    for c, _name in [*columns, (TOTAL, "")]:
        sums.append(((TOTAL, c), [(r, c) for r, _label in rows]))
    hidden = suppress(full, sums)
    all_columns = [*columns, (TOTAL, _("Total"))]
    table = Table(key, caption, [row_heading, *(name for _c, name in all_columns)], note=note)
    for r, label in rows:
        table.rows.append((label, [count_cell((r, c), full, hidden) for c, _n in all_columns]))
    table.total = (_("Total"), [count_cell((TOTAL, c), full, hidden) for c, _n in all_columns])
    return table
