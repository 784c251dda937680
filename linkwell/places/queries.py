"""Reads of place data: postcode and point look-ups, lists of wards and constituencies, and GP
practices by name or postcode."""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext as _
from shapely import STRtree
from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry

from linkwell.places.gazetteer import Gazetteer, build_gazetteer
from linkwell.places.models import Constituency, GPPractice, Place, Postcode, SmallArea, Ward

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


class PlaceNotUnderstood(ValueError):
    """The text names no place the place data holds; the message says what was not
    understood and what to type instead."""


@dataclass(frozen=True)
class PlaceMatch:
    """A place as a person typed it: a full postcode, an outward code ("BD1"), or a town,
    village or ward name, with the point searches measure from and the areas it lies in
    (several for a town or an outward code that spans wards)."""

    text: str  # as typed
    label: str  # as shown back: "BD5 0BQ", "BD1 (Bradford)", "Skipton"
    kind: str  # "postcode", "outward_code", "town", "ward" or "locality"
    latitude: float
    longitude: float
    place_id: int
    ward_ids: tuple[int, ...]
    constituency_ids: tuple[int, ...]
    postcode: str = ""  # the normalised postcode, for a full postcode


def find_place(text: str) -> PlaceMatch:
    """The place the text names: a full postcode (any case or spacing), an outward code
    ("BD1": the centroid of its postcodes), or a town, village or ward name (case, "&" or
    "and", hyphens, apostrophes and small typos forgiven: see places.gazetteer).

    Raises PlaceNotUnderstood, saying what was typed and what to type instead.
    """
    typed = (text or "").strip()
    compact = _compact(typed)
    try:
        postcode = normalise_postcode(typed)
    except PostcodeError:
        postcode = ""
    if postcode:
        found = find_postcode(postcode)
        if found is None:
            raise PlaceNotUnderstood(
                _("We could not find the postcode %(text)s in this area. %(examples)s")
                % {"text": postcode, "examples": _examples()}
            )
        return _postcode_match(text, found)
    gazetteer = _gazetteer(_version())
    area = gazetteer.find_outward_code(compact) if OUTWARD_CODE_RE.match(compact) else None
    if area is None and not OUTWARD_CODE_RE.match(compact):
        area = gazetteer.find_name(typed)
        if area is None and "," in typed:  # "Skipton, North Yorkshire"
            area = gazetteer.find_name(typed.split(",", 1)[0])
    if area is None:
        if not typed:
            raise PlaceNotUnderstood(
                _("No place was given. %(examples)s") % {"examples": _examples()}
            )
        raise PlaceNotUnderstood(
            _("We could not find %(text)s. %(examples)s")
            % {"text": f"\u201c{typed[:100]}\u201d", "examples": _examples()}
        )
    return PlaceMatch(
        text=text,
        label=area.label,
        kind=area.kind,
        latitude=area.latitude,
        longitude=area.longitude,
        place_id=area.place_id,
        ward_ids=area.ward_ids,
        constituency_ids=area.constituency_ids,
    )


def _examples() -> str:
    return _(
        "Enter a postcode (like BD5 0BQ), the first half of one (like BD1 or BD23), or a "
        "town, village or ward name (like Skipton, Keighley or Cross Hills)."
    )


def _postcode_match(text: str, found: Postcode) -> PlaceMatch:
    ward = found.ward
    return PlaceMatch(
        text=text,
        label=found.postcode,
        kind="postcode",
        latitude=found.latitude,
        longitude=found.longitude,
        place_id=found.place_id,
        ward_ids=(ward.pk,) if ward else (),
        constituency_ids=(ward.constituency_id,) if ward and ward.constituency_id else (),
        postcode=found.postcode,
    )


@lru_cache(maxsize=2)
def _gazetteer(version: tuple) -> Gazetteer:
    """The place names and postcode districts, built once per load of the place data."""
    return build_gazetteer(_POST_TOWNS)


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
    found = Place.objects.aggregate(latest=Max("loaded_at"), count=Count("pk"))
    return (found["latest"], found["count"])


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


# GP practices: chosen by name, town or postcode; stored by their ODS code ("B83005").

ODS_PRACTICE_RE = re.compile(r"^[A-Z][0-9]{5}$")
OUTWARD_CODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")

# Royal Mail post towns of the postcode districts of Bradford District and Craven: the town
# people write in their address, which the practice data does not hold. A district not here
# shows the practice's ward instead.
_POST_TOWNS = {
    **{f"BD{district}": "Bradford" for district in range(1, 16)},
    "BD16": "Bingley",
    "BD17": "Shipley",
    "BD18": "Shipley",
    "BD19": "Cleckheaton",
    "BD20": "Keighley",
    "BD21": "Keighley",
    "BD22": "Keighley",
    "BD23": "Skipton",
    "BD24": "Settle",
    "BB8": "Colne",
    "BB18": "Barnoldswick",
    "HG3": "Harrogate",
    "LA2": "Lancaster",
    "LA6": "Carnforth",
    "LS29": "Ilkley",
}
# Kept in capitals when a practice's name (all capitals in NHS data) is shown in title case.
_ACRONYMS = {"AWC", "GP", "NHS", "PCN", "UK", "II", "III"}


def practice_display_name(name: str) -> str:
    """'DR I M RAJA & PARTNER' -> 'Dr I M Raja & Partner'; names already in mixed case stay."""
    if name != name.upper():
        return name
    return re.sub(
        r"[A-Z][A-Z']*",
        lambda word: word[0] if word[0] in _ACRONYMS else word[0][0] + word[0][1:].lower(),
        name,
    )


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", (text or "").upper())


def practice_town(practice: GPPractice) -> str:
    """The post town of the practice's postcode, else its ward's name, else ""."""
    outward = practice.postcode.split(" ")[0].upper() if practice.postcode else ""
    if outward in _POST_TOWNS:
        return _POST_TOWNS[outward]
    return practice.ward.name if practice.ward_id else ""


def gp_practice_label(practice: GPPractice) -> str:
    """'Thornbury Medical Practice, Bradford BD3 7HZ': what a person picks from a list."""
    where = " ".join(part for part in (practice_town(practice), practice.postcode) if part)
    name = practice_display_name(practice.name)
    return f"{name}, {where}" if where else name


def _practices(place: Place | None) -> list[GPPractice]:
    practices = GPPractice.objects.select_related("ward").order_by("name", "code")
    return list(practices.filter(place=place) if place else practices)


def gp_practice_choices(place: Place | None = None) -> list[tuple[str, str]]:
    """[(ODS code, "Name, Town POSTCODE")] sorted by name (all places unless one is given)."""
    labelled = [(practice.code, gp_practice_label(practice)) for practice in _practices(place)]
    return sorted(labelled, key=lambda choice: (choice[1].casefold(), choice[0]))


def find_gp_practice(code: str) -> GPPractice | None:
    """The practice with this ODS code (any case, spaces ignored), or None."""
    code = _compact(code)
    if not ODS_PRACTICE_RE.match(code):
        return None
    return GPPractice.objects.select_related("ward").filter(code=code).first()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.casefold().replace("'", ""))


def find_gp_practices(text: str, limit: int = 20, place: Place | None = None) -> list[GPPractice]:
    """Practices matching what a person typed, best first: its ODS code; its full postcode;
    its postcode's outward code ("BD3"); or every word typed, as the start of a word of its
    name, town or postcode ("lister", "st lukes", "keighley"). Case and spaces do not matter.

    A place has tens of practices (about 60 in Bradford District and Craven), so they are
    matched here rather than in SQL, the same way on every database.
    """
    compact = _compact(text)
    words = _words(text)
    if not compact or not words:
        return []
    outward_typed = bool(OUTWARD_CODE_RE.match(compact))
    by_code, by_postcode, by_outward, by_name = [], [], [], []
    for practice in _practices(place):
        postcode = _compact(practice.postcode)
        outward = practice.postcode.split(" ")[0].upper() if practice.postcode else ""
        if practice.code == compact:
            by_code.append(practice)
        elif postcode and postcode == compact:
            by_postcode.append(practice)
        elif outward_typed:
            if outward == compact:
                by_outward.append(practice)
        elif _words_match(words, practice):
            by_name.append(practice)
    return (by_code + by_postcode + by_outward + by_name)[:limit]


def _words_match(typed: list[str], practice: GPPractice) -> bool:
    """Each typed word starts a word of the name or town, or is a part of the postcode."""
    name_words = _words(f"{practice.name} {practice_town(practice)}")
    postcode_words = set(_words(practice.postcode))
    return all(
        word in postcode_words or any(own.startswith(word) for own in name_words) for word in typed
    )
