"""The resource plan as the page, the API and the CSV downloads show it, read from the cells the
last refresh wrote (a few hundred rows at most: partners x tiers x kinds of funding)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from linkwell.directory.models import TierLevel, TierScheme
from linkwell.intelligence.models import SpendCell
from linkwell.intelligence.spend import tables
from linkwell.intelligence.spend.tables import NOT_GIVEN, Share, Table

OPERATING_MODEL = ""  # the scheme key of the operating model's tiers 1-4 in SpendCell
BY_CHOICES = ("department", "partner")


class UnknownScheme(ValueError):
    """A tier scheme no service was mapped in (or no such scheme)."""


@dataclass
class SpendReport:
    scheme_key: str
    scheme_name: str
    by: str
    columns: list[tuple[str, str]]  # tier columns of the counts and spend tables
    counts: Table
    spend: Table
    shares: list[Share]
    overall: Share
    short_term: Table
    model_columns: list[tuple[str, str]]  # the operating model's (short-term table)
    levels: list[tuple[str, str, int]] = field(default_factory=list)  # (code, label, tier)
    services: int = 0
    all_services: int = 0  # active services in the operating model's tables
    without_cost: int = 0
    without_tier: int = 0
    without_partner: int = 0
    demo_services: int = 0
    demo_costs: int = 0
    demo_short_term: int = 0  # short-term services whose funding type was invented


def schemes() -> list[tuple[str, str]]:
    """(key, name) of the partner schemes some active service was mapped in."""
    used = set(SpendCell.objects.exclude(scheme=OPERATING_MODEL).values_list("scheme", flat=True))
    return [
        (key, name)
        for key, name in TierScheme.objects.order_by("name").values_list("key", "name")
        if key in used
    ]


def _model_columns(cells: list[Any]) -> list[tuple[str, str]]:
    columns = [(str(n), _("Tier %(number)s") % {"number": n}) for n in (1, 2, 3, 4)]
    return _with_strays(columns, cells)


def _with_strays(columns: list[tuple[str, str]], cells: list[Any]) -> list[tuple[str, str]]:
    """Codes the cells hold that are not columns yet (a level since removed), then "not
    given" if any service gives no tier: every service falls in some column."""
    known = {key for key, _label in columns}
    strays = sorted({c.tier for c in cells if c.tier and c.tier not in known})
    columns = columns + [(code, code) for code in strays]
    if any(not c.tier for c in cells):
        columns.append((NOT_GIVEN, _("Tier not given")))
    return columns


def report(scheme: str = OPERATING_MODEL, *, by: str = "department") -> SpendReport:
    """The tables for the operating model (scheme "") or one partner scheme by its key.
    Raises UnknownScheme for a scheme no service was mapped in."""
    model_cells = list(SpendCell.objects.filter(scheme=OPERATING_MODEL))
    levels: list[tuple[str, str, int]] = []
    scheme_name = _("Operating model tiers 1 to 4")
    if scheme:
        found = TierScheme.objects.filter(key=scheme).first()
        cells = list(SpendCell.objects.filter(scheme=scheme))
        if found is None or not cells:
            raise UnknownScheme(scheme)
        scheme_name = found.name
        levels = [
            (level.code, level.label, level.tier)
            for level in TierLevel.objects.filter(scheme=found).order_by("tier", "code")
        ]
        columns = _with_strays([(code, _short(label)) for code, label, _t in levels], cells)
    else:
        cells = model_cells
        columns = _model_columns(cells)
    model_columns = _model_columns(model_cells)
    share_rows, overall = tables.shares(model_cells)
    return SpendReport(
        scheme_key=scheme,
        scheme_name=scheme_name,
        by=by,
        columns=columns,
        counts=tables.count_table(cells, columns, by=by),
        spend=tables.spend_table(cells, columns, by=by),
        shares=share_rows,
        overall=overall,
        short_term=tables.short_term_table(model_cells, model_columns),
        model_columns=model_columns,
        levels=levels,
        services=sum(c.services for c in cells),
        all_services=sum(c.services for c in model_cells),
        without_cost=sum(c.services - c.costed for c in cells),
        without_tier=sum(c.services for c in cells if not c.tier),
        without_partner=sum(c.services for c in cells if c.partner_key is None),
        demo_services=sum(c.demo_services for c in cells),
        demo_costs=sum(c.demo_costs for c in cells),
        demo_short_term=sum(c.demo_funding for c in model_cells if c.short_term),
    )


def _short(label: str) -> str:
    """'Tier 0: helping communities ...' -> 'Tier 0' (the full label is listed below)."""
    return label.split(":")[0].strip() or label
