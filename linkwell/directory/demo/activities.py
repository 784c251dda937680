"""Invented community activities at real OpenStreetMap venues, a few in every ward.

Venues and kinds of activity are paired deterministically (seeded random, least-used kind
first), so every ward gets local activities and every kind is used. The venue is real; the
activity is not, and says so in `demo_fields` ("whole_listing") and in its description.
"""

from collections import Counter
from typing import Any

from linkwell.directory import vocabularies as vocab
from linkwell.directory.demo import invent
from linkwell.directory.demo.common import (
    SOURCE,
    invent_common,
    operating_tier,
    organization,
    terms,
    venue_location,
)
from linkwell.directory.demo.place import PlaceData, VenueRow
from linkwell.directory.records import CostOptionRecord, ServiceAreaRecord, ServiceRecord

ACTIVITIES_PER_WARD = 3
NOT_A_VENUE = ("(closed)", "disused")
# OpenStreetMap features that are real places but not somewhere a group would meet.
NOT_A_MEETING_PLACE = {
    "post_office",
    "marketplace",
    "playground",
    "public_bookcase",
    "fitness_station",
    "toilets",
    "cinema",
    "nursing_home",
}
DEMO_NOTE = (
    "Demo listing: an invented example of the kind of activity the partnership's documents "
    "describe; the venue is real, the session is not."
)


def _usable(venue: VenueRow, categories: set[str]) -> bool:
    name = venue.name.lower()
    return (
        bool(venue.ward_code)
        and venue.category in categories
        and not any(word in name for word in NOT_A_VENUE)
        and venue.tags.get("osm_value") not in NOT_A_MEETING_PLACE
    )


def _suits(kind: dict[str, Any], venue: VenueRow) -> bool:
    return venue.category in kind["categories"] and venue.tags.get("osm_value") not in kind.get(
        "not_at", ()
    )


def venue_activities(place: PlaceData, kinds: list[dict[str, Any]]) -> list[ServiceRecord]:
    categories = {c for kind in kinds for c in kind["categories"]}
    by_ward: dict[str, list[VenueRow]] = {}
    for venue in place.venues:
        if _usable(venue, categories):
            by_ward.setdefault(venue.ward_code, []).append(venue)
    used: Counter[str] = Counter()
    records = []
    for ward in place.wards:
        venues = list(by_ward.get(ward.code, []))
        rng = invent.rng_for(f"ward/{ward.code}")
        rng.shuffle(venues)
        taken: set[str] = set()
        for venue in venues:
            if len(taken) >= ACTIVITIES_PER_WARD:
                break
            fitting = [k for k in kinds if _suits(k, venue)]
            fitting = [k for k in fitting if k["key"] not in taken]
            if not fitting:
                continue
            least = min(used[k["key"]] for k in fitting)
            kind = rng.choice([k for k in fitting if used[k["key"]] == least])
            used[kind["key"]] += 1
            taken.add(kind["key"])
            records.append(activity(kind, venue))
    return _disambiguate(records, {w.code: w.name for w in place.wards})


def _disambiguate(records: list[ServiceRecord], ward_names: dict[str, str]) -> list[ServiceRecord]:
    """Venues can share a name ("St Mary the Virgin"): add the ward to tell them apart."""
    counts = Counter(record.name for record in records)
    for record in records:
        if counts[record.name] > 1:
            ward = ward_names.get(record.service_areas[0].ward_code, "")
            record.name = f"{record.name} ({ward})"
    return records


def activity(kind: dict[str, Any], venue: VenueRow) -> ServiceRecord:
    key = f"activity-{kind['key']}-{venue.osm_ref.replace('/', '-')}"
    rng = invent.rng_for(key)
    ages = kind.get("ages") or [None, None]
    scheme, level = kind["tier"].split(":", 1)
    record = ServiceRecord(
        id=vocab.stable_id("demo-service", key),
        name=kind["name"].format(venue=venue.name),
        organization=organization(kind["organization"]),
        description=f"{' '.join(kind['description'].split())} {DEMO_NOTE}",
        department_name=kind.get("department", ""),
        tier_scheme_key=scheme,
        tier_in_scheme=level,
        terms=terms(kind),
        minimum_age=ages[0],
        maximum_age=ages[1],
        locations=[venue_location(venue)],
        service_areas=[ServiceAreaRecord(ward_code=venue.ward_code)],
        schedules=[invent.weekly_session(rng, starts=tuple(kind.get("starts", (10, 13))))],
        cost_options=[
            rng.choice(
                (
                    CostOptionRecord(option="Free"),
                    CostOptionRecord(option="Suggested donation", amount_description="GBP 2"),
                )
            )
        ],
        funding_type="short_term",
        commissioning="external",
        source=f"{SOURCE}: invented activity at OpenStreetMap venue {venue.osm_ref}",
    )
    invented = [
        "whole_listing",
        "name",
        "description",
        "partner",
        "schedules",
        "cost_options",
        "funding_type",
        "commissioning",
    ]
    invent_common(record, key, rng, invented, operating_tier(kind["tier"]))
    record.demo_fields = sorted(set(invented))
    return record
