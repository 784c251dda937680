"""The map's and tables' figures as shown: need measures in bands, numbers as text, and the
GeoJSON the map script reads (embedded in the page, so the page is one request)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext

from linkwell.intelligence.provision.markers import Marker
from linkwell.intelligence.provision.measures import Measure
from linkwell.intelligence.provision.queries import AreaFigures

BANDS = 5  # 1 = the fifth of areas with the most need by the measure


def bands(rows: list[AreaFigures], measure: Measure) -> dict[str, int]:
    """Area code -> band 1 (most need) to 5, by the measure; areas without a figure get
    none."""
    known = [row for row in rows if row.need_measure is not None]
    known.sort(key=lambda r: r.need_measure if measure.lower_is_needier else -r.need_measure)
    return {row.code: 1 + (BANDS * n) // len(known) for n, row in enumerate(known)}


def number(value: float | None, places: int = 2) -> str:
    if value is None:
        return gettext("no figure")
    if float(value).is_integer():
        return number_format(int(value), force_grouping=True)
    return number_format(round(value, places), places, force_grouping=True)


def area_url(level: str, code: str) -> str:
    return reverse("hub:area", args=[level, code])


def features(
    rows: list[AreaFigures], outlines: dict[str, dict[str, Any]], banded: dict[str, int]
) -> list[dict[str, Any]]:
    found = []
    for row in rows:
        outline = outlines.get(row.code)
        if not outline or not outline["geometry"]:
            continue
        found.append(
            {
                "type": "Feature",
                "geometry": outline["geometry"],
                "properties": {
                    "code": row.code,
                    "name": row.name,
                    "band": banded.get(row.code),
                    "measure": number(row.need_measure),
                    "serving": row.services_serving,
                    "per10k": number(row.per_10k),
                    "gap": row.gap,
                    "url": area_url(row.level, row.code),
                    "keys": outline["keys"],
                },
            }
        )
    return found


def marker_data(found: list[Marker]) -> list[dict[str, Any]]:
    return [
        {
            "name": mk.name,
            "tier": mk.tier,
            "points": mk.points,
            "covers": mk.covers,
            "url": reverse("directory:service_detail", args=[mk.id]),
        }
        for mk in found
    ]
