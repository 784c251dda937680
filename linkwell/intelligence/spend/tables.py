"""The resource plan's tables, summed from the precomputed cells: services by row (partner, or
a partner's department) and tier, in the review's Table 2 shape; spend the same way; each
partner's share of spend in tiers 1 and 2; short-term funding apart.

Every total (row, column and grand) is added up here from the rows shown, never stored or
typed, so a table always adds up. A figure nobody gave (no cost, no tier, no partner) is a
`None` cell or a "not given" row or column: it is counted and shown, never dropped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

NOT_GIVEN = "not_given"  # the key of the column or row for what a service does not give
LOW_TIERS = ("1", "2")  # the operating model's universal and universal-plus tiers

Number = int | Decimal | None


@dataclass
class Line:
    """One row of a table: its figure per column, and its total (summed from those)."""

    key: str
    label: str
    partner: str
    department: str
    cells: dict[str, Number] = field(default_factory=dict)
    total: Number = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Table:
    key: str
    columns: list[tuple[str, str]]  # (key, label) of the tier columns
    lines: list[Line]
    total: Line


def _money_sum(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the costs given; None (not given) if none was."""
    given = [v for v in values if v is not None]
    return sum(given, Decimal(0)) if given else None


def _row(cell: Any, by: str) -> tuple[str, str, str]:
    """(key, partner, department) of the row a cell falls in."""
    partner_key = cell.partner_key.hex if cell.partner_key else NOT_GIVEN
    if by == "partner" or not cell.department_key:
        return partner_key, cell.partner, ""
    return f"{partner_key}/{cell.department_key.hex}", cell.partner, cell.department


def _ordered_rows(cells: Sequence[Any], by: str) -> list[tuple[str, str, str]]:
    rows = {_row(c, by) for c in cells}
    # Partners by name, a partner's own row before its departments, "not given" last.
    return sorted(rows, key=lambda r: (r[0] == NOT_GIVEN, r[1].lower(), r[2].lower(), r[0]))


def count_table(cells: Sequence[Any], columns: list[tuple[str, str]], *, by: str) -> Table:
    """Services by row and tier (Table 2): each cell a count, totals summed from rows."""
    return _table("counts", cells, columns, by=by, figure=lambda c: c.services, money=False)


def spend_table(cells: Sequence[Any], columns: list[tuple[str, str]], *, by: str) -> Table:
    """Annual cost by row and tier; a cell, row or column with services none of which gave a
    cost is None (not given), one with no services £0; each row also says how many of its
    services gave no cost (`extra["without_cost"]`)."""
    table = _table(
        "spend", cells, columns, by=by, figure=lambda c: c.cost if c.costed else None, money=True
    )
    without: dict[str, int] = {}
    for cell in cells:
        key = _row(cell, by)[0]
        without[key] = without.get(key, 0) + cell.services - cell.costed
    for line in table.lines:
        line.extra["without_cost"] = without.get(line.key, 0)
    table.total.extra["without_cost"] = sum(line.extra["without_cost"] for line in table.lines)
    return table


def _table(
    key: str,
    cells: Sequence[Any],
    columns: list[tuple[str, str]],
    *,
    by: str,
    figure: Any,
    money: bool,
) -> Table:
    found: dict[tuple[str, str], list[Number]] = {}
    for cell in cells:
        found.setdefault((_row(cell, by)[0], cell.tier or NOT_GIVEN), []).append(figure(cell))
    add = _money_sum if money else (lambda values: sum(v or 0 for v in values))

    def nothing_given(values: list[Number]) -> bool:
        """Services there, none of which gave a cost: "not given", not £0."""
        return money and bool(values) and all(v is None for v in values)

    lines = []
    for row_key, partner, department in _ordered_rows(cells, by):
        line = Line(row_key, _label(partner, department, row_key), partner, department)
        for column, _label_text in columns:
            values = found.get((row_key, column), [])
            line.cells[column] = add(values) if values else (Decimal(0) if money else 0)
        row_values = [v for column, _l in columns for v in found.get((row_key, column), [])]
        line.total = None if nothing_given(row_values) else _add_line(line.cells.values(), money)
        lines.append(line)
    total = Line("total", "", "", "")
    for column, _label_text in columns:
        column_values = [v for line in lines for v in found.get((line.key, column), [])]
        total.cells[column] = (
            None
            if nothing_given(column_values)
            else _add_line((line.cells[column] for line in lines), money)
        )
    every = [v for values in found.values() for v in values]
    total.total = None if nothing_given(every) else _add_line((line.total for line in lines), money)
    return Table(key, columns, lines, total)


def _add_line(values: Iterable[Number], money: bool) -> Number:
    values = list(values)
    if money:
        return _money_sum(values)  # type: ignore[arg-type]
    return sum(int(v or 0) for v in values)


def _label(partner: str, department: str, key: str) -> str:
    if key == NOT_GIVEN or key.startswith(f"{NOT_GIVEN}/") or not partner:
        partner = _("Partner not given")
    return f"{partner}: {department}" if department else partner


@dataclass
class Share:
    """A partner's spend in tiers 1 and 2 against its spend whose tier is given."""

    key: str
    partner: str  # the row's label
    low: Decimal  # spend in tiers 1 and 2
    tiered: Decimal  # spend with a tier given (the share's denominator)
    untiered: Decimal  # spend with no tier given: left out of the share, and said so

    @property
    def share(self) -> float | None:
        return float(self.low / self.tiered) if self.tiered else None


def shares(cells: Sequence[Any]) -> tuple[list[Share], Share]:
    """Each partner's share of spend in tiers 1 and 2 (operating-model cells), and overall
    (summed from the partners' rows)."""
    by_partner: dict[str, Share] = {}
    for key, partner, _department in _ordered_rows(cells, "partner"):
        by_partner[key] = Share(key, _label(partner, "", key), Decimal(0), Decimal(0), Decimal(0))
    for cell in cells:
        if not cell.costed:
            continue
        share = by_partner[_row(cell, "partner")[0]]
        if not cell.tier:
            share.untiered += cell.cost
            continue
        share.tiered += cell.cost
        if cell.tier in LOW_TIERS:
            share.low += cell.cost
    rows = list(by_partner.values())
    overall = Share(
        "total",
        "",
        sum((s.low for s in rows), Decimal(0)),
        sum((s.tiered for s in rows), Decimal(0)),
        sum((s.untiered for s in rows), Decimal(0)),
    )
    return rows, overall


def short_term_table(cells: Sequence[Any], columns: list[tuple[str, str]]) -> Table:
    """Short-term spend by partner and tier, with each partner's short-term services, all its
    spend and the part of it that is short-term (`extra`)."""
    short = [c for c in cells if c.short_term]
    found = {line.key: line for line in spend_table(short, columns, by="partner").lines}
    counts: dict[str, int] = {}
    for cell in short:
        key = _row(cell, "partner")[0]
        counts[key] = counts.get(key, 0) + cell.services
    lines = []
    for line in spend_table(cells, columns, by="partner").lines:  # every partner, once
        shown = found.get(line.key) or Line(
            line.key,
            line.label,
            line.partner,
            "",
            dict.fromkeys((c for c, _label in columns), Decimal(0)),
            Decimal(0),
        )
        shown.extra = {
            "services": counts.get(line.key, 0),
            "all_spend": line.total,
            "share": _part(shown.total, line.total),
        }
        lines.append(shown)
    total = Line("total", "", "", "")
    for column, _label_text in columns:
        total.cells[column] = _money_sum(line.cells[column] for line in lines)
    total.total = _money_sum(line.total for line in lines)
    all_spend = _money_sum(line.extra["all_spend"] for line in lines)
    total.extra = {
        "services": sum(line.extra["services"] for line in lines),
        "all_spend": all_spend,
        "share": _part(total.total, all_spend),
    }
    return Table("short_term", columns, lines, total)


def _part(part: Decimal | None, whole: Decimal | None) -> float | None:
    if not whole:
        return None
    return float((part or Decimal(0)) / whole)
