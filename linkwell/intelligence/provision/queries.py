"""Reads of provision against need for the pages and the API: every area of a level with its
figures for a need and tier (zeros where the refresh stored none), the gap list, the change
since the previous snapshot and one area's profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models.fields.json import KeyTransform

from linkwell.intelligence.models import ProvisionArea, Snapshot
from linkwell.intelligence.provision.measures import (
    ALL_NEEDS,
    DEFAULT_MEASURE,
    LEVELS,
    TIERS,
    Measure,
    measure,
    need_codes,
)

ZERO = [0, 0, 0]


@dataclass(frozen=True)
class AreaFigures:
    level: str
    code: str
    name: str
    parent_code: str
    population: int | None
    population_source: str
    need_measure: float | None
    deprivation_quintile: int | None
    services_based: int
    services_serving: int
    per_10k: float | None
    gap: bool


@dataclass(frozen=True)
class Change:
    code: str
    name: str
    before: float
    after: float

    @property
    def difference(self) -> float:
        return round(self.after - self.before, 3)


@dataclass(frozen=True)
class Changes:
    month: str
    previous_month: str
    new_gaps: list[tuple[str, str]]  # (code, name)
    closed_gaps: list[tuple[str, str]]
    per_10k: list[Change]  # areas whose per 10,000 moved


@dataclass
class Profile:
    area: ProvisionArea
    measures: list[tuple[Measure, float]]
    # need -> per tier (all tiers first): (based, serving, per_10k, gap)
    rows: list[tuple[str, list[tuple[int, int, float | None, bool]]]] = field(default_factory=list)
    gaps: list[tuple[str, int]] = field(default_factory=list)  # (need, tier) flagged

    @property
    def parent(self) -> ProvisionArea | None:
        parent_level = {"ward": "constituency", "lsoa": "ward"}.get(self.area.level)
        if not parent_level or not self.area.parent_code:
            return None
        return ProvisionArea.objects.filter(level=parent_level, code=self.area.parent_code).first()


def is_level(level: str) -> bool:
    return level in LEVELS


def is_need(need: str) -> bool:
    return need in need_codes()


def is_tier(tier: int) -> bool:
    return tier in TIERS


def per_10k(serving: int, population: int | None) -> float | None:
    if not population:
        return None
    return round(serving * 10000 / population, 2)


def _figures(row: dict[str, Any], need: str, tier: int) -> list[int]:
    tiers = (row["figures"] or {}).get(need)
    return tiers[tier] if tiers else ZERO


_MEASURES: dict[tuple[str, Any], list[str]] = {}


def figures_stamp() -> str:
    """What changes when the figures do: the latest finished refresh."""
    from linkwell.intelligence.refresh import latest_refresh

    run = latest_refresh()
    return f"{run.pk}-{run.finished_at:%Y%m%d%H%M%S%f}" if run and run.finished_at else "none"


def measures_for(level: str) -> list[Measure]:
    """The measures published for some area of a level (IMD rank first, then the deciles);
    an area without a figure for one shows none. Worked out once per refresh."""
    key = (level, figures_stamp())
    if key not in _MEASURES:
        keys: set[str] = set()
        for found in ProvisionArea.objects.filter(level=level).values_list("measures", flat=True):
            keys.update(found or {})
        if len(_MEASURES) > 30:
            _MEASURES.clear()
        _MEASURES[key] = sorted(
            keys, key=lambda k: (k != DEFAULT_MEASURE, not k.endswith("decile"), k)
        )
    return [measure(k) for k in _MEASURES[key]]


FIELDS = ("code", "name", "parent_code", "population", "population_source",
          "deprivation_quintile", "measures", "figures")  # fmt: skip


def _area_figures(row: dict[str, Any], level: str, need: str, tier: int, key: str) -> AreaFigures:
    based, serving, gap = _figures(row, need, tier)
    return AreaFigures(
        level=level,
        code=row["code"],
        name=row["name"],
        parent_code=row["parent_code"],
        population=row["population"],
        population_source=row["population_source"],
        need_measure=(row["measures"] or {}).get(key),
        deprivation_quintile=row["deprivation_quintile"],
        services_based=based,
        services_serving=serving,
        per_10k=per_10k(serving, row["population"]),
        gap=bool(gap),
    )


def _rows(level: str) -> list[dict[str, Any]]:
    return list(ProvisionArea.objects.filter(level=level).order_by("name", "code").values(*FIELDS))


def level_rows(level: str) -> list[dict[str, Any]]:
    """The stored rows of a level's areas, to pass to `areas` and `unserved` (one read)."""
    return _rows(level)


def need_rows(level: str, need: str, measure_key: str) -> list[dict[str, Any]]:
    """The stored rows of a level's areas with one need's figures and one measure, for
    `areas` with that need and measure: the database picks them out of the JSON (reading
    every need's figures was most of the time of a map of small areas)."""
    found = (
        ProvisionArea.objects.filter(level=level)
        .order_by("name", "code")
        .annotate(
            need_figures=KeyTransform(need, "figures"),
            measure_value=KeyTransform(measure_key, "measures"),
        )
        .values(
            *(f for f in FIELDS if f not in ("measures", "figures")),
            "need_figures",
            "measure_value",
        )
    )
    return [
        row
        | {
            "figures": {need: row["need_figures"]} if row["need_figures"] else {},
            "measures": {measure_key: row["measure_value"]},
        }
        for row in found
    ]


def areas(
    level: str,
    need: str = ALL_NEEDS,
    tier: int = 0,
    measure_key: str = DEFAULT_MEASURE,
    rows: list[dict[str, Any]] | None = None,
) -> list[AreaFigures]:
    """Every area of the level (by name), with zeros where nothing is based or serving."""
    found = _rows(level) if rows is None else rows
    return [_area_figures(row, level, need, tier, measure_key) for row in found]


def gaps(level: str, need: str = ALL_NEEDS, tier: int = 0) -> list[AreaFigures]:
    """High need and little provision: the gap areas, fewest per 10,000 first."""
    found = [area for area in areas(level, need, tier) if area.gap]
    return sorted(found, key=lambda a: (a.per_10k or 0, a.name))


def unserved(
    level: str, tier: int = 0, rows: list[dict[str, Any]] | None = None
) -> list[tuple[str, list[AreaFigures]]]:
    """For each need, the areas no active service serves (based there or covering it)."""
    rows = _rows(level) if rows is None else rows
    result = []
    for need in need_codes():
        if need == ALL_NEEDS:
            continue
        empty = [
            _area_figures(row, level, need, tier, DEFAULT_MEASURE)
            for row in rows
            if _figures(row, need, tier)[1] == 0
        ]
        if empty:
            result.append((need, empty))
    return result


def latest_snapshots() -> tuple[Snapshot | None, Snapshot | None]:
    """The latest snapshot with provision figures, and the one before it."""
    found = [s for s in Snapshot.objects.order_by("-month")[:24] if s.data.get("provision")]
    return (found[0] if found else None, found[1] if len(found) > 1 else None)


def changes(level: str, need: str = ALL_NEEDS) -> Changes | None:
    """What moved between the previous snapshot and the latest (all tiers): gaps that
    opened, gaps that closed, and each area's change in services serving per 10,000."""
    current, previous = latest_snapshots()
    if current is None or previous is None:
        return None
    now = current.data["provision"].get("levels", {}).get(level, {}).get(need)
    before = previous.data["provision"].get("levels", {}).get(level, {}).get(need)
    if now is None or before is None:
        return None
    names = dict(ProvisionArea.objects.filter(level=level).values_list("code", "name"))
    now_gaps, old_gaps = set(now["gaps"]), set(before["gaps"])
    moved = []
    for code in sorted(set(now["per_10k"]) | set(before["per_10k"])):
        after, was = now["per_10k"].get(code, 0.0), before["per_10k"].get(code, 0.0)
        if round(after - was, 3) != 0:
            moved.append(Change(code, names.get(code, code), was, after))
    return Changes(
        month=current.month,
        previous_month=previous.month,
        new_gaps=sorted((c, names.get(c, c)) for c in now_gaps - old_gaps),
        closed_gaps=sorted((c, names.get(c, c)) for c in old_gaps - now_gaps),
        per_10k=sorted(moved, key=lambda c: (c.difference, c.name)),
    )


def profile(level: str, code: str) -> Profile | None:
    area = ProvisionArea.objects.filter(level=level, code=code).first()
    if area is None:
        return None
    measures = [(measure(key), value) for key, value in sorted(area.measures.items())]
    measures.sort(key=lambda pair: (pair[0].key != DEFAULT_MEASURE, pair[0].key))
    rows = []
    flagged = []
    for need in need_codes():
        tiers = area.figures.get(need) or [ZERO] * len(TIERS)
        cells = [(b, s, per_10k(s, area.population), bool(g)) for b, s, g in tiers]
        rows.append((need, cells))
        flagged += [(need, tier) for tier, cell in zip(TIERS, cells, strict=True) if cell[3]]
    return Profile(area=area, measures=measures, rows=rows, gaps=flagged)
