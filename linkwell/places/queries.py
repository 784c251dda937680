"""Reads of place data: postcode and point look-ups."""

import re
from functools import lru_cache

from shapely.geometry import Point, shape
from shapely.prepared import prep

from linkwell.places.models import Postcode, Ward

# UK postcode: outward code (area, district) then inward code (sector digit, unit letters).
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


class PostcodeError(ValueError):
    """The text is not shaped like a UK postcode."""


def normalise_postcode(text: str) -> str:
    """'bd1 1aa' -> 'BD1 1AA'. Raises PostcodeError if it is not shaped like a postcode."""
    compact = re.sub(r"\s+", "", (text or "").upper())
    match = POSTCODE_RE.match(compact[:-3] + " " + compact[-3:] if len(compact) > 3 else compact)
    if not match:
        raise PostcodeError(f"{text!r} is not a valid UK postcode")
    return f"{match.group(1)} {match.group(2)}"


def find_postcode(text: str) -> Postcode | None:
    """The postcode's centroid and areas, or None if the place data doesn't hold it.

    Raises PostcodeError for text that is not shaped like a postcode.
    """
    code = normalise_postcode(text)
    return (
        Postcode.objects.select_related("ward__constituency", "small_area", "small_area_2011")
        .filter(postcode=code)
        .first()
    )


@lru_cache(maxsize=4)
def _prepared_wards(version: int) -> list[tuple[int, object, object]]:
    wards = Ward.objects.exclude(geometry=None).values_list("id", "geometry")
    result = []
    for ward_id, geometry in wards:
        geom = shape(geometry)
        result.append((ward_id, prep(geom), geom))
    return result


def ward_for_point(latitude: float, longitude: float) -> Ward | None:
    """The ward containing the point (point-in-polygon on the ward boundaries), if any."""
    version = Ward.objects.count()
    point = Point(longitude, latitude)
    for ward_id, prepared, _geom in _prepared_wards(version):
        if prepared.contains(point):
            return Ward.objects.select_related("constituency").get(pk=ward_id)
    return None
