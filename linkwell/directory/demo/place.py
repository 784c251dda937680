"""What the demo directory needs from the loaded place, read once into plain rows.

The expansion in build.py works on these rows, not on the database, so it stays a pure,
deterministic function of the place data.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class WardRow:
    code: str
    name: str
    constituency_code: str = ""
    local_authority_code: str = ""


@dataclass(frozen=True)
class VenueRow:
    """A community venue from OpenStreetMap (ODbL)."""

    osm_ref: str
    name: str
    category: str
    latitude: float
    longitude: float
    postcode: str
    ward_code: str
    tags: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class PracticeRow:
    code: str
    name: str
    postcode: str
    latitude: float | None
    longitude: float | None
    pcn_code: str
    pcn_name: str
    ward_code: str = ""


@dataclass
class PlaceData:
    name: str
    wards: list[WardRow]
    venues: list[VenueRow]
    practices: list[PracticeRow]
    postcodes_by_ward: dict[str, list[str]]


def place_data_from_db() -> PlaceData:
    """Read the loaded place (wards, OSM venues, GP practices, postcodes) in a stable order."""
    from linkwell.places.models import CommunityAsset, GPPractice, Place, Postcode, Ward

    place = Place.objects.order_by("id").first()
    wards = [
        WardRow(code, name, constituency or "", authority)
        for code, name, constituency, authority in Ward.objects.order_by("code").values_list(
            "code", "name", "constituency__code", "local_authority_code"
        )
    ]
    venues = [
        VenueRow(
            osm_ref=a.osm_ref,
            name=a.name,
            category=a.category,
            latitude=a.latitude,
            longitude=a.longitude,
            postcode=a.postcode,
            ward_code=a.ward.code if a.ward else "",
            tags=a.tags or {},
        )
        for a in CommunityAsset.objects.select_related("ward").order_by("osm_ref")
    ]
    practices = [
        PracticeRow(
            code=p.code,
            name=p.name,
            postcode=p.postcode,
            latitude=p.latitude,
            longitude=p.longitude,
            pcn_code=p.pcn.code if p.pcn else "",
            pcn_name=p.pcn.name if p.pcn else "",
            ward_code=p.ward.code if p.ward else "",
        )
        for p in GPPractice.objects.select_related("pcn", "ward").order_by("code")
    ]
    postcodes: dict[str, list[str]] = defaultdict(list)
    for code, ward_code in (
        Postcode.objects.exclude(ward=None)
        .order_by("postcode")
        .values_list("postcode", "ward__code")
    ):
        postcodes[ward_code].append(code)
    return PlaceData(
        name=place.name if place else "",
        wards=wards,
        venues=venues,
        practices=practices,
        postcodes_by_ward=dict(postcodes),
    )
