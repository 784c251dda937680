"""Reads of place data: postcode and point look-ups, and lists of wards and constituencies."""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Count, Max, QuerySet
from shapely import STRtree
from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry

from linkwell.places.models import Constituency, Place, Postcode, SmallArea, Ward

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
        Postcode.objects.select_related(
            "ward__constituency", "small_area", "small_area_2011__deprivation"
        )
        .filter(postcode=code)
        .first()
    )


@dataclass(frozen=True)
class PostcodeLookup:
    """A postcode with the areas it lies in, flat, for the API and for matching."""

    postcode: str
    latitude: float
    longitude: float
    small_area_code: str | None
    small_area_name: str | None
    ward_code: str | None
    ward_name: str | None
    constituency_code: str | None
    constituency_name: str | None
    locality: str | None
    imd_decile: int | None  # IoD2019 decile of the postcode's 2011 LSOA (1 = most deprived)


def lookup_postcode(text: str) -> PostcodeLookup | None:
    """The postcode and its areas, or None if the place data doesn't hold it.

    Raises PostcodeError for text that is not shaped like a postcode.
    """
    found = find_postcode(text)
    if found is None:
        return None
    ward = found.ward
    constituency = ward.constituency if ward else None
    area = found.small_area
    deprivation = (
        getattr(found.small_area_2011, "deprivation", None) if found.small_area_2011 else None
    )
    return PostcodeLookup(
        postcode=found.postcode,
        latitude=found.latitude,
        longitude=found.longitude,
        small_area_code=area.code if area else None,
        small_area_name=area.name if area else None,
        ward_code=ward.code if ward else None,
        ward_name=ward.name if ward else None,
        constituency_code=constituency.code if constituency else None,
        constituency_name=constituency.name if constituency else None,
        locality=(ward.locality or None) if ward else None,
        imd_decile=deprivation.imd_decile if deprivation else None,
    )


@dataclass(frozen=True)
class PointAreas:
    """The areas a point falls in (None where no boundary holds it)."""

    ward: Ward | None
    small_area: SmallArea | None


class _Index:
    """An STRtree over boundaries with the primary keys of their rows."""

    def __init__(self, rows: list[tuple[int, dict]]):
        self.ids = [pk for pk, _geometry in rows]
        self.geometries: list[BaseGeometry] = [shape(geometry) for _pk, geometry in rows]
        self.tree = STRtree(self.geometries)

    def find(self, point: Point) -> int | None:
        """The primary key of the boundary containing the point (lowest pk if several)."""
        hits = self.tree.query(point, predicate="intersects")
        return min((self.ids[i] for i in hits), default=None)


def _version() -> tuple:
    """Changes whenever a place is (re)loaded, so cached indexes are rebuilt."""
    latest = Place.objects.aggregate(latest=Max("loaded_at"))["latest"]
    return (latest, Place.objects.count())


@lru_cache(maxsize=2)
def _indexes(version: tuple) -> tuple[_Index, _Index]:
    wards = _Index(list(Ward.objects.exclude(geometry=None).values_list("pk", "geometry")))
    areas = _Index(list(SmallArea.objects.exclude(geometry=None).values_list("pk", "geometry")))
    return wards, areas


def area_for_point(latitude: float, longitude: float) -> PointAreas:
    """The ward (and small area, where boundaries are loaded) containing a WGS84 point.

    Boundaries are generalised, so a point within a few metres of a ward edge may be placed
    in the neighbouring ward; a postcode's own ward (lookup_postcode) is the better answer.
    Raises ValueError for a latitude/longitude out of range.
    """
    if not (-90 <= latitude <= 90):
        raise ValueError(f"latitude {latitude} is outside -90..90")
    if not (-180 <= longitude <= 180):
        raise ValueError(f"longitude {longitude} is outside -180..180")
    ward_index, area_index = _indexes(_version())
    point = Point(longitude, latitude)
    ward_id, area_id = ward_index.find(point), area_index.find(point)
    ward = Ward.objects.select_related("constituency").get(pk=ward_id) if ward_id else None
    area = SmallArea.objects.get(pk=area_id) if area_id else None
    return PointAreas(ward=ward, small_area=area)


def ward_for_point(latitude: float, longitude: float) -> Ward | None:
    """The ward containing the point (point-in-polygon on the ward boundaries), if any."""
    return area_for_point(latitude, longitude).ward


# About 10 m at Bradford's latitude: outlines stay true at the zoom a district map is read at.
SIMPLIFY_DEGREES = 0.0001
COORDINATE_DECIMALS = 5


def _rounded(coordinates: object) -> object:
    if isinstance(coordinates, (list, tuple)):
        if coordinates and isinstance(coordinates[0], (int, float)):
            return [round(float(c), COORDINATE_DECIMALS) for c in coordinates]
        return [_rounded(c) for c in coordinates]
    return coordinates


@lru_cache(maxsize=2)
def _ward_features(version: tuple) -> dict:
    features = []
    for ward in list_wards().exclude(geometry=None):
        simple = shape(ward.geometry).simplify(SIMPLIFY_DEGREES, preserve_topology=True)
        geometry = mapping(simple)
        features.append(
            {
                "type": "Feature",
                "id": ward.code,
                "properties": {"code": ward.code, "name": ward.name, "locality": ward.locality},
                "geometry": {
                    "type": geometry["type"],
                    "coordinates": _rounded(geometry["coordinates"]),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def ward_boundaries() -> dict:
    """Every ward's outline as a GeoJSON FeatureCollection (WGS84), simplified for maps and
    worked out once per load of the place data."""
    return _ward_features(_version())


def list_wards(place: Place | None = None) -> QuerySet[Ward]:
    """Wards with their constituency, by name (all places unless one is given)."""
    wards = Ward.objects.select_related("constituency", "place").order_by("name")
    return wards.filter(place=place) if place else wards


def list_constituencies(place: Place | None = None) -> QuerySet[Constituency]:
    """Constituencies by name, with `ward_count`."""
    constituencies = (
        Constituency.objects.select_related("place")
        .annotate(ward_count=Count("wards"))
        .order_by("name")
    )
    return constituencies.filter(place=place) if place else constituencies


def list_places() -> QuerySet[Place]:
    """Loaded places, with their attributions (credits the product must show)."""
    return Place.objects.exclude(loaded_at=None).order_by("name")


def default_place() -> Place | None:
    """The place loaded first: the partnership's own when there is only one."""
    return list_places().order_by("pk").first()
