"""Area outlines for the map, simplified once and kept in memory (the place's boundaries
change only when it is loaded again), so a map page sends a few hundred kilobytes at most.

Each outline carries the coverage keys of the directory's search rows that contain the area
("W<ward id>", "C<constituency id>", "P<place id>"), so the map can outline where a
service serves."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max
from shapely.geometry import mapping, shape

from linkwell.places import models as places

TOLERANCE = {"ward": 0.0008, "lsoa": 0.0004, "constituency": 0.0015}  # degrees
_CACHE: dict[tuple, dict[str, dict[str, Any]]] = {}


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, list | tuple):
        return [_round(v) for v in value]
    return value


def _simplified(geometry: dict | None, tolerance: float) -> dict | None:
    if not geometry:
        return None
    found = shape(geometry).simplify(tolerance, preserve_topology=True)
    if found.is_empty:
        return None
    out = mapping(found)
    return {"type": out["type"], "coordinates": _round(out["coordinates"])}


_MODELS = {"ward": places.Ward, "lsoa": places.SmallArea, "constituency": places.Constituency}


def _stamp(level: str) -> tuple:
    """What the kept outlines were made from: each place's load, and the level's areas (how
    many, the newest id), so areas added or removed without a reload are seen too."""
    loaded = tuple(places.Place.objects.order_by("pk").values_list("pk", "loaded_at"))
    areas = _MODELS.get(level, places.Constituency).objects.aggregate(n=Count("id"), top=Max("id"))
    return (level, loaded, areas["n"], areas["top"])


def forget() -> None:
    """Drop the kept outlines (tests: each starts from its own place)."""
    _CACHE.clear()


def outlines(level: str) -> dict[str, dict[str, Any]]:
    """Area code -> {"geometry": simplified GeoJSON or None, "keys": coverage keys}."""
    stamp = _stamp(level)
    if stamp not in _CACHE:
        if len(_CACHE) > 12:  # places reloaded many times over: forget the old outlines
            _CACHE.clear()
        _CACHE[stamp] = {
            code: {"geometry": _simplified(geometry, TOLERANCE[level]), "keys": keys}
            for code, geometry, keys in _rows(level)
        }
    return _CACHE[stamp]


def _rows(level: str) -> list[tuple[str, dict | None, list[str]]]:
    if level == "ward":
        wards = places.Ward.objects.values_list(
            "code", "geometry", "id", "constituency_id", "place_id"
        )
        return [(c, g, [f"W{w}", f"C{k}", f"P{p}"]) for c, g, w, k, p in wards]
    if level == "lsoa":
        small = places.SmallArea.objects.filter(vintage=2011).values_list(
            "code", "geometry", "ward_id", "ward__constituency_id", "place_id"
        )
        return [(c, g, [f"W{w}", f"C{k}", f"P{p}"]) for c, g, w, k, p in small]
    seats = places.Constituency.objects.values_list("code", "geometry", "id", "place_id")
    return [(c, g, [f"C{k}", f"P{p}"]) for c, g, k, p in seats]
