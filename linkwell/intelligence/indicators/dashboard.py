"""The indicators as shown for a period (a month, or a quarter worked out whole), for the
page, its CSV and the API alike: small counts hidden with secondary suppression (the wards'
counts add up to the place's, with those whose ward is not known), and no value, rating or
share shown where it rests on fewer than 5 people or would give a hidden count away."""

from __future__ import annotations

from dataclasses import dataclass, field

from linkwell.intelligence.indicators.loader import load
from linkwell.intelligence.indicators.periods import months_back
from linkwell.intelligence.indicators.schema import Indicator
from linkwell.intelligence.models import IndicatorValue, Snapshot
from linkwell.outcomes.evaluation.suppression import THRESHOLD, is_small, suppress

TREND_MONTHS = 12
UNKNOWN = "__unknown__"


@dataclass(frozen=True)
class Shown:
    """One area's figures as they may be shown: None where withheld."""

    level: str
    code: str
    name: str
    value: float | None
    numerator: float | None
    denominator: float | None
    rag: str
    value_withheld: bool = False
    numerator_withheld: str = ""  # "small" (1 to 4) or "secondary", else ""
    denominator_withheld: str = ""


@dataclass
class Figure:
    indicator: Indicator
    place: Shown | None
    wards: list[Shown] = field(default_factory=list)
    trend: list[tuple[str, Shown | None]] = field(default_factory=list)
    error: str = ""  # why the last refresh could not work it out (its SQL failed)


def periods() -> list[str]:
    """Every period with values, the latest first (months before quarters of a year)."""
    found = IndicatorValue.objects.values_list("period", flat=True).distinct()
    return sorted(set(found), reverse=True)


def latest_month() -> str | None:
    months = [p for p in periods() if "Q" not in p]
    return months[0] if months else None


def _hidden(counts: dict[str, float | None], place: str) -> tuple[set[str], dict[str, int]]:
    whole = {k: int(v) for k, v in counts.items() if v is not None}
    if place in whole:
        known = sum(v for k, v in whole.items() if k != place)
        whole[UNKNOWN] = max(0, whole[place] - known)
    parts = [k for k in whole if k != place]
    return suppress(whole, [(place, parts)] if place in whole else []), whole


def _why(key: str, hidden: set[str], counts: dict[str, int]) -> str:
    if key not in hidden:
        return ""
    return "small" if is_small(counts.get(key)) else "secondary"


def protect(indicator: Indicator, rows: list[IndicatorValue]) -> list[Shown]:
    """The rows of one indicator and period (every area), as they may be shown."""
    place = next((r.area_code for r in rows if r.area_level == "place"), "")
    if indicator.counts_people:
        num_hidden, nums = _hidden({r.area_code: r.numerator for r in rows}, place)
        den_hidden, dens = _hidden({r.area_code: r.denominator for r in rows}, place)
    else:
        num_hidden, nums, den_hidden, dens = set(), {}, set(), {}
    shown = []
    for r in rows:
        num_why = _why(r.area_code, num_hidden, nums)
        den_why = _why(r.area_code, den_hidden, dens)
        few = indicator.counts_people and (r.denominator or 0) < THRESHOLD
        ratio = r.numerator is not None
        withheld = few or (ratio and bool(num_why or den_why))
        shown.append(
            Shown(
                level=r.area_level,
                code=r.area_code,
                name=r.area_name,
                value=None if withheld else r.value,
                numerator=None if num_why else r.numerator,
                denominator=None if den_why else r.denominator,
                rag="" if withheld else r.rag,
                value_withheld=withheld and r.value is not None,
                numerator_withheld=num_why,
                denominator_withheld=den_why,
            )
        )
    return shown


def _trend(indicator: Indicator, month: str, values: dict[str, IndicatorValue]) -> list:
    """The place's value for each of the last months: the refresh's own values, else the
    month's snapshot (figures of "now" exist for past months only there)."""
    wanted = months_back(month, TREND_MONTHS)
    snapshots = {
        s.month: (s.data.get("indicators") or {}).get(indicator.key)
        for s in Snapshot.objects.filter(month__in=wanted)
    }
    trend = []
    for m in wanted:
        row = values.get(m)
        kept = snapshots.get(m)
        if row is None and kept:
            row = IndicatorValue(
                indicator=indicator.key, period=m, area_level="place", area_code="",
                value=kept.get("value"), numerator=kept.get("numerator"),
                denominator=kept.get("denominator"), rag=kept.get("rag") or "",
            )  # fmt: skip
        trend.append((m, protect(indicator, [row])[0] if row else None))
    return [(m, s) for m, s in trend if s is not None]


def figures(period: str, *, trend: bool = True) -> list[Figure]:
    """Each indicator's figures for `period` (`YYYY-MM` or `YYYY-Qn`), in definition order."""
    indicators = load()
    rows = list(IndicatorValue.objects.filter(period=period))
    month = period if "Q" not in period else _last_month_of(period)
    place_months: dict[str, dict[str, IndicatorValue]] = {}
    if trend:
        for row in IndicatorValue.objects.filter(
            area_level="place", period__in=months_back(month, TREND_MONTHS)
        ):
            place_months.setdefault(row.indicator, {})[row.period] = row
    latest = Snapshot.objects.order_by("-month").first()
    errors = ((latest.data.get("indicators") or {}).get("_errors") or {}) if latest else {}
    out = []
    for key, indicator in indicators.items():
        shown = protect(indicator, [r for r in rows if r.indicator == key])
        place = next((s for s in shown if s.level == "place"), None)
        wards = sorted((s for s in shown if s.level == "ward"), key=lambda s: s.name.casefold())
        figure = Figure(indicator, place, wards, error=errors.get(key, ""))
        if trend:
            figure.trend = _trend(indicator, month, place_months.get(key, {}))
        out.append(figure)
    return out


def _last_month_of(quarter: str) -> str:
    year, q = quarter.split("-Q")
    return f"{year}-{int(q) * 3:02d}"
