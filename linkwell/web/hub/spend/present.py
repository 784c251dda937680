"""The resource plan's tables as the page shows them and as CSV: the same rows either way
(money in whole pounds on the page, to the penny in CSV; "not given" where nobody gave it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from linkwell.intelligence.spend.queries import SpendReport
from linkwell.intelligence.spend.tables import Line, Share, Table

TABLES = ("counts", "spend", "share", "short_term")


@dataclass
class Shown:
    """One table of the page: head, lines of (label, [(column, text)], is_total), CSV rows."""

    key: str
    caption: str
    row_heading: str
    head: list[str]
    lines: list[tuple[str, list[tuple[str, str]], bool]] = field(default_factory=list)
    csv: list[list[Any]] = field(default_factory=list)


def not_given() -> str:
    return _("not given")


def money(value: int | Decimal | None) -> str:
    return not_given() if value is None else f"£{value:,.0f}"


def money_csv(value: int | Decimal | None) -> str:
    return not_given() if value is None else f"{value:.2f}"


def percent(value: float | None) -> str:
    return not_given() if value is None else f"{value * 100:.1f}%"


def percent_csv(value: float | None) -> str:
    return not_given() if value is None else f"{value * 100:.1f}"


def _add(shown: Shown, label: str, texts: list[str], raw: list[Any], total: bool) -> None:
    shown.lines.append((label, list(zip(shown.head, texts, strict=True)), total))
    shown.csv.append([label, *raw])


def _tier_table(key: str, caption: str, table: Table) -> Shown:
    labels = [label for _key, label in table.columns]
    money_table = key == "spend"
    head = [*labels, _("Total")]
    if money_table:
        head.append(_("Services with no cost given"))
    shown = Shown(key, caption, _("Partner"), head)
    for line, total in [*((line, False) for line in table.lines), (table.total, True)]:
        values = [line.cells[column] for column, _label in table.columns] + [line.total]
        label = _("Total") if total else line.label
        if money_table:
            texts = [money(v) for v in values] + [str(line.extra["without_cost"])]
            raw = [money_csv(v) for v in values] + [line.extra["without_cost"]]
        else:
            texts = [str(v) for v in values]
            raw = list(values)
        _add(shown, label, texts, raw, total)
    return shown


def _share_table(report: SpendReport) -> Shown:
    head = [
        _("Spend in tiers 1 and 2"),
        _("Spend with a tier given"),
        _("Share in tiers 1 and 2"),
        _("Spend with no tier given (left out of the share)"),
    ]
    shown = Shown("share", _("Share of spend in tiers 1 and 2, by partner"), _("Partner"), head)
    rows: list[tuple[Share, bool]] = [*((s, False) for s in report.shares), (report.overall, True)]
    for share, total in rows:
        label = _("All partners") if total else share.partner
        texts = [money(share.low), money(share.tiered), percent(share.share), money(share.untiered)]
        raw = [
            money_csv(share.low),
            money_csv(share.tiered),
            percent_csv(share.share),
            money_csv(share.untiered),
        ]
        _add(shown, label, texts, raw, total)
    return shown


def _short_term_table(report: SpendReport) -> Shown:
    table = report.short_term
    labels = [label for _key, label in table.columns]
    head = [
        *labels,
        _("Short-term total"),
        _("Short-term services"),
        _("All spend"),
        _("Short-term share of spend"),
    ]
    shown = Shown("short_term", _("Short-term funding, by partner and tier"), _("Partner"), head)
    lines: list[tuple[Line, bool]] = [*((line, False) for line in table.lines), (table.total, True)]
    for line, total in lines:
        values = [line.cells[column] for column, _label in table.columns] + [line.total]
        extra = line.extra
        texts = [money(v) for v in values] + [
            str(extra["services"]),
            money(extra["all_spend"]),
            percent(extra["share"]),
        ]
        raw = [money_csv(v) for v in values] + [
            extra["services"],
            money_csv(extra["all_spend"]),
            percent_csv(extra["share"]),
        ]
        _add(shown, _("Total") if total else line.label, texts, raw, total)
    return shown


def tables(report: SpendReport) -> list[Shown]:
    """The page's four tables, in the order shown (keys as in `TABLES`)."""
    scheme = report.scheme_name
    return [
        _tier_table(
            "counts",
            _("Services by partner and tier (%(scheme)s)") % {"scheme": scheme},
            report.counts,
        ),
        _tier_table(
            "spend",
            _("Annual spend by partner and tier (%(scheme)s)") % {"scheme": scheme},
            report.spend,
        ),
        _share_table(report),
        _short_term_table(report),
    ]


def csv_header(shown: Shown) -> list[str]:
    """The CSV's first row: money in pounds, shares in per cent."""
    header = [shown.row_heading, *shown.head]
    if shown.key == "share":
        header[3] = f"{header[3]} (%)"
    if shown.key == "short_term":
        header[-1] = f"{header[-1]} (%)"
    return header
