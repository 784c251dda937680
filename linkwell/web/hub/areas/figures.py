"""The map's and tables' figures as shown: need measures in bands, numbers as text, and the
GeoJSON the map script reads (embedded in the page, so the page is one request)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import get_language, gettext

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


_SEPARATORS: dict[str | None, tuple[str, int, str]] = {}


def _separators() -> tuple[str, int, str]:
    """The language's decimal mark, grouping and thousands separator (looked up once per
    language: a table of small areas formats a thousand numbers)."""
    language = get_language()
    if language not in _SEPARATORS:
        _SEPARATORS[language] = (
            get_format("DECIMAL_SEPARATOR", language),
            get_format("NUMBER_GROUPING", language),
            get_format("THOUSAND_SEPARATOR", language),
        )
    return _SEPARATORS[language]


def number(value: float | None, places: int = 2) -> str:
    """As Django's number_format with grouping, in the active language."""
    if value is None:
        return gettext("no figure")
    decimal, grouping, thousands = _separators()
    if float(value).is_integer():
        return numberformat.format(
            int(value), decimal, grouping=grouping, thousand_sep=thousands, force_grouping=True
        )
    return numberformat.format(
        round(value, places), decimal, places, grouping, thousands, force_grouping=True
    )


def area_url(level: str, code: str) -> str:
    return reverse("hub:area", args=[level, code])


PLACEHOLDER = "00000000-0000-0000-0000-000000000000"  # stands for a service id in a link


def area_link_parts(level: str) -> tuple[str, str]:
    """The link to an area's page, in two halves around its code (one reverse per page,
    not one per area)."""
    before, _, after = area_url(level, "CODE").rpartition("CODE")
    return before, after


def features(
    lines: list[dict[str, Any]], outlines: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The areas as GeoJSON features, from the table's lines (the same figures, formatted
    once)."""
    found = []
    for line in lines:
        outline = outlines.get(line["code"])
        if not outline or not outline["geometry"]:
            continue
        found.append(
            {
                "type": "Feature",
                "geometry": outline["geometry"],
                "properties": {
                    "code": line["code"],
                    "name": line["name"],
                    "band": line["band"],
                    "measure": line["measure"],
                    "serving": line["serving"],
                    "per10k": line["per_10k"],
                    "gap": line["gap"],
                    "url": line["url"],
                    "keys": outline["keys"],
                },
            }
        )
    return found


def marker_data(found: list[Marker]) -> dict[str, Any]:
    """The marked services, compact: one list per service ([id, name, tier, places as
    [latitude, longitude], coverage keys]), and the link to a service with PLACEHOLDER for
    its id (the script puts the id in)."""
    return {
        "url": reverse("directory:service_detail", args=[PLACEHOLDER]),
        "services": [[mk.id, mk.name, mk.tier, mk.points, mk.covers] for mk in found],
    }
