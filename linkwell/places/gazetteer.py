"""Place names as people say them, derived from the loaded place data.

No list of place names ships with a place, so the names come from what the data already hold:
ward names, the towns and villages named inside them ("Skipton North & Embsay-with-Eastby" gives
Skipton, Embsay and Eastby), the post towns of the postcode districts, the towns in the OSM
assets' addresses, the wards' localities and the local authorities of the small areas. Each
name gets a point (the centroid of the postcodes behind it) and the wards it spans.

When two sources give the same name, the most specific wins: a ward's own name, then a town
named in ward names, then a post town, then an OSM address town, then a locality, then a
district. Built once per load of the place data (see queries.find_place); the decision is
ADR 0026.
"""

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from linkwell.places.models import CommunityAsset, Postcode, SmallArea, Ward

# Most specific first: an ambiguous name takes the entry with the lowest rank.
WARD, WARD_TOWN, POST_TOWN, ADDRESS_TOWN, LOCALITY, DISTRICT = range(6)
KIND_OF_RANK = {
    WARD: "ward",
    WARD_TOWN: "town",
    POST_TOWN: "town",
    ADDRESS_TOWN: "town",
    LOCALITY: "locality",
    DISTRICT: "locality",
}
# Words that end a ward's name without naming a town: "Keighley Central", "Bingley Rural".
TRAILING_QUALIFIERS = {"north", "south", "east", "west", "central", "rural", "upper", "lower"}
# Between the towns a ward is named after: "Bentham & Ingleton", "Embsay-with-Eastby".
WARD_NAME_SEPARATORS = re.compile(r"\s*(?:,|&|\band\b|-with-)\s*", re.IGNORECASE)
TYPO_MEMORY = 10_000  # inexact names remembered with their answer, per load of the data


@dataclass(frozen=True)
class Area:
    """A named area or postcode district: its point, the wards it spans (most postcodes
    first) and their constituencies."""

    label: str
    kind: str
    latitude: float
    longitude: float
    place_id: int
    ward_ids: tuple[int, ...]
    constituency_ids: tuple[int, ...]
    rank: int = WARD
    weight: int = 0  # postcodes (or venues) behind it: the bigger wins a tie


def name_key(text: str) -> str:
    """What a name is compared by: lower case, no accents, '&' read as 'and', apostrophes,
    hyphens, spaces and punctuation dropped. "Sutton-in-Craven" == "sutton in craven"."""
    text = unicodedata.normalize("NFKD", (text or "").casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"['\u2019`]", "", text.replace("&", " and "))
    return "".join(re.findall(r"[a-z0-9]+", text))


def towns_in_ward_name(name: str) -> list[str]:
    """The towns and villages a ward is named after, as written.

    "Glusburn, Cross Hills & Sutton-in-Craven" -> Glusburn, Cross Hills, Sutton-in-Craven;
    "Skipton East & South" -> Skipton; "West Craven" stays (only trailing qualifiers go).
    """
    towns = []
    for part in WARD_NAME_SEPARATORS.split(name):
        words = part.split()
        while len(words) > 1 and words[-1].casefold() in TRAILING_QUALIFIERS:
            words.pop()
        town = " ".join(words)
        if town and town.casefold() not in TRAILING_QUALIFIERS and town not in towns:
            towns.append(town)
    return towns


def allowed_edits(length: int) -> int:
    """Typos forgiven in a name of this many letters: none in 3, one up to 7, two beyond."""
    return 0 if length <= 3 else 1 if length <= 7 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours counts once), or limit + 1
    as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = char_a != char_b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


@dataclass
class _Points:
    """Running sums of the points behind an area, and how many fall in each ward."""

    latitude: float = 0.0
    longitude: float = 0.0
    count: int = 0
    wards: Counter = field(default_factory=Counter)
    place_id: int | None = None

    def add(self, latitude: float, longitude: float, ward_id: int | None, place_id: int) -> None:
        self.latitude += latitude
        self.longitude += longitude
        self.count += 1
        if ward_id:
            self.wards[ward_id] += 1
        self.place_id = self.place_id or place_id

    def merge(self, other: "_Points") -> None:
        self.latitude += other.latitude
        self.longitude += other.longitude
        self.count += other.count
        self.wards.update(other.wards)
        self.place_id = self.place_id or other.place_id


@dataclass
class Gazetteer:
    """Postcode districts and place names of the loaded place data."""

    outward_codes: dict[str, Area] = field(default_factory=dict)
    names: dict[str, Area] = field(default_factory=dict)  # by name_key
    _typos: dict[str, Area | None] = field(default_factory=dict)  # answers to inexact names

    def find_outward_code(self, code: str) -> Area | None:
        return self.outward_codes.get(code.upper())

    def find_name(self, text: str) -> Area | None:
        """The area a name means: exactly (as name_key compares), else the closest name
        within the typos forgiven; ties go to the more specific source, then the bigger."""
        key = name_key(text)
        if not key:
            return None
        if key in self.names:
            return self.names[key]
        if key not in self._typos:
            if len(self._typos) >= TYPO_MEMORY:
                self._typos.clear()
            self._typos[key] = self._closest(key)
        return self._typos[key]

    def _closest(self, key: str) -> Area | None:
        limit = allowed_edits(len(key))
        best: tuple | None = None
        for candidate, area in self.names.items():
            distance = edit_distance(key, candidate, limit)
            if distance <= limit:
                order = (distance, area.rank, -area.weight, candidate)
                if best is None or order < best[0]:
                    best = (order, area)
        return best[1] if best else None

    def add_name(self, name: str, area: Area) -> None:
        key = name_key(name)
        known = self.names.get(key)
        if key and (known is None or _better(area, known)):
            self.names[key] = area


def _better(area: Area, than: Area) -> bool:
    return (area.rank, -area.weight, area.label) < (than.rank, -than.weight, than.label)


def build_gazetteer(post_towns: Mapping[str, str]) -> Gazetteer:
    """Read the place data (every loaded place) into a gazetteer."""
    wards = {
        pk: (name, locality, constituency_id, place_id, latitude, longitude)
        for pk, name, locality, constituency_id, place_id, latitude, longitude in (
            Ward.objects.order_by("code").values_list(
                "pk", "name", "locality", "constituency_id", "place_id", "latitude", "longitude"
            )
        )
    }
    constituency_of = {pk: values[2] for pk, values in wards.items()}
    by_ward: dict[int, _Points] = defaultdict(_Points)
    by_outward: dict[str, _Points] = defaultdict(_Points)
    for postcode, latitude, longitude, ward_id, place_id in Postcode.objects.values_list(
        "postcode", "latitude", "longitude", "ward_id", "place_id"
    ):
        by_outward[postcode.split(" ")[0]].add(latitude, longitude, ward_id, place_id)
        if ward_id:
            by_ward[ward_id].add(latitude, longitude, ward_id, place_id)

    def area(label: str, kind_rank: int, points: _Points) -> Area | None:
        if not points.count:
            return None
        ward_ids = tuple(
            ward for ward, _count in sorted(points.wards.items(), key=lambda w: (-w[1], w[0]))
        )
        constituency_ids = tuple(
            dict.fromkeys(c for c in (constituency_of.get(w) for w in ward_ids) if c)
        )
        return Area(
            label=label,
            kind=KIND_OF_RANK[kind_rank],
            latitude=round(points.latitude / points.count, 5),
            longitude=round(points.longitude / points.count, 5),
            place_id=points.place_id or 0,
            ward_ids=ward_ids,
            constituency_ids=constituency_ids,
            rank=kind_rank,
            weight=points.count,
        )

    def of_wards(ward_ids: Iterable[int]) -> _Points:
        points = _Points()
        for ward_id in ward_ids:
            points.merge(by_ward[ward_id])
        return points

    gazetteer = Gazetteer()
    for code, points in sorted(by_outward.items()):
        town = post_towns.get(code)
        found = area(f"{code} ({town})" if town else code, POST_TOWN, points)
        if found:
            gazetteer.outward_codes[code] = replace(found, kind="outward_code")

    wards_of_town: dict[str, list[int]] = defaultdict(list)
    wards_of_locality: dict[str, list[int]] = defaultdict(list)
    for pk, (name, locality, _pcon, place_id, latitude, longitude) in wards.items():
        points = by_ward[pk]
        if not points.count and latitude is not None and longitude is not None:
            points = _Points()
            points.add(latitude, longitude, pk, place_id)
        found = area(name, WARD, points)
        if found:
            gazetteer.add_name(name, found)
        for town in towns_in_ward_name(name):
            wards_of_town[town].append(pk)
        if locality:
            wards_of_locality[locality].append(pk)
    for town, ward_ids in wards_of_town.items():
        found = area(town, WARD_TOWN, of_wards(ward_ids))
        if found:
            gazetteer.add_name(town, found)

    outward_of_town: dict[str, list[str]] = defaultdict(list)
    for code in by_outward:
        if code in post_towns:
            outward_of_town[post_towns[code]].append(code)
    for town, codes in outward_of_town.items():
        points = _Points()
        for code in codes:
            points.merge(by_outward[code])
        found = area(town, POST_TOWN, points)
        if found:
            gazetteer.add_name(town, found)

    for town, points in _address_towns().items():
        found = area(town, ADDRESS_TOWN, points)
        if found:
            gazetteer.add_name(town, found)
    for locality, ward_ids in wards_of_locality.items():
        found = area(locality, LOCALITY, of_wards(ward_ids))
        if found:
            gazetteer.add_name(locality, found)
    for district, ward_ids in _district_wards().items():
        found = area(f"{district} district", DISTRICT, of_wards(ward_ids))
        if found:
            gazetteer.add_name(district, found)
            gazetteer.add_name(f"{district} district", found)
    return gazetteer


def _address_towns() -> dict[str, _Points]:
    """Towns in the OSM venues' addresses ("Menston", "Wibsey, Bradford" -> "Wibsey"), with
    the venues' own points: a town no ward is named after is where its venues are."""
    towns: dict[str, _Points] = defaultdict(_Points)
    for latitude, longitude, ward_id, place_id, tags in CommunityAsset.objects.order_by(
        "osm_ref"
    ).values_list("latitude", "longitude", "ward_id", "place_id", "tags"):
        city = str((tags or {}).get("addr_city") or "").split(",")[0].strip()
        if city:
            towns[city].add(latitude, longitude, ward_id, place_id)
    return towns


def _district_wards() -> dict[str, set[int]]:
    """Local authorities (IMD 2019 names: "Bradford", "Craven") and the wards of their 2011
    small areas."""
    districts: dict[str, set[int]] = defaultdict(set)
    for name, ward_id in (
        SmallArea.objects.filter(vintage=2011)
        .exclude(ward=None)
        .values_list("local_authority_name", "ward_id")
    ):
        if name:
            districts[name].add(ward_id)
    return districts
