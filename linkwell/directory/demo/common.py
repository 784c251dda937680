"""Helpers shared by the demo builders: the data files, and records of real places."""

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from linkwell.directory import vocabularies as vocab
from linkwell.directory.demo import invent
from linkwell.directory.demo.place import PracticeRow, VenueRow
from linkwell.directory.records import (
    AddressRecord,
    LocationRecord,
    OrganizationRecord,
    ServiceAreaRecord,
    ServiceRecord,
    TermRef,
)

HERE = Path(__file__).parent
SOURCE = "linkwell demo directory"
SOURCE_DOCUMENTS = {
    "REVIEW": "seeds/003 Review of Prevention and Early Intervention (Bradford District "
    "Partnership, 2017) section",
    "SELFCARE": "seeds/000 Self-care and prevention programme 2016/17,",
    "GGI": "seeds/004 Acting as one, delivering as one (GGI, 2023),",
}
OSM_CREDIT = "Venue from OpenStreetMap, (c) OpenStreetMap contributors, ODbL 1.0."


@cache
def data_file(name: str) -> Any:
    with (HERE / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def source_note(text: str) -> str:
    """'REVIEW 8.9 (...)' -> the document's name and the passage, on one line."""
    words = [SOURCE_DOCUMENTS.get(word, word) for word in text.split()]
    return f"{SOURCE}: " + " ".join(words)


def seed_services() -> list[dict[str, Any]]:
    return data_file("services.yaml")


def activity_kinds() -> list[dict[str, Any]]:
    return data_file("activities.yaml")


def example_services() -> list[dict[str, Any]]:
    """Invented example services for areas the seeds describe none in (Craven)."""
    return data_file("examples.yaml")


def organization(name: str) -> OrganizationRecord:
    """The organisation record for a name in organizations.yaml (or a bare one for others)."""
    known = data_file("organizations.yaml")
    entry = known.get(name, {})
    return OrganizationRecord(
        name=name,
        description=entry.get("description", name),
        partner_name=entry.get("partner", ""),
    )


def operating_tier(tier: str) -> int:
    """'review-2017:2' -> 3, read from the crosswalk in vocabularies (no database needed)."""
    scheme_key, level = tier.split(":", 1)
    for scheme in vocab.TIER_SCHEMES:
        if scheme.key == scheme_key:
            for scheme_level in scheme.levels:
                if scheme_level.code == level:
                    return scheme_level.tier
    raise ValueError(f"tier {tier!r}: not in vocabularies.TIER_SCHEMES")


def terms(spec: dict[str, Any]) -> list[TermRef]:
    refs = [TermRef(vocab.NEEDS.key, code) for code in spec.get("needs", [])]
    refs += [TermRef(vocab.LIFE_STAGES.key, code) for code in spec.get("stages", [])]
    refs += [TermRef(vocab.GOLDEN_THREADS.key, code) for code in spec.get("threads", [])]
    return refs


# Bradford District's constituencies (the 2010 set the place data uses): the area of a
# partner that serves Bradford District and not Craven (the council, West Yorkshire's
# police and fire service, Bradford's housing association and voluntary sector bodies).
BRADFORD_DISTRICT = ("E14000587", "E14000588", "E14000589", "E14000766", "E14000925")


def areas(spec: Any) -> list[ServiceAreaRecord]:
    if spec in (None, "place"):
        return [ServiceAreaRecord(whole_place=True)]
    if spec == "bradford_district":
        return [ServiceAreaRecord(constituency_code=code) for code in BRADFORD_DISTRICT]
    if "wards" in spec:
        return [ServiceAreaRecord(ward_code=code) for code in spec["wards"]]
    return [ServiceAreaRecord(constituency_code=code) for code in spec["constituencies"]]


def venue_location(venue: VenueRow, *, is_demo: bool = False) -> LocationRecord:
    """A real venue: OSM name and position; an address only where OSM gives one."""
    tags = venue.tags
    addresses = []
    street = " ".join(str(tags[k]) for k in ("addr_housenumber", "addr_street") if tags.get(k))
    if tags.get("addr_street") and tags.get("addr_postcode"):
        addresses.append(
            AddressRecord(
                address_1=street,
                city=str(tags.get("addr_city") or ""),
                postal_code=str(tags["addr_postcode"]),
            )
        )
    return LocationRecord(
        name=venue.name,
        description=OSM_CREDIT,
        latitude=venue.latitude,
        longitude=venue.longitude,
        postcode=venue.postcode or str(tags.get("nearest_postcode") or ""),
        external_identifier=venue.osm_ref,
        external_identifier_type="openstreetmap",
        addresses=addresses,
        is_demo=is_demo,
    )


def practice_location(practice: PracticeRow) -> LocationRecord:
    return LocationRecord(
        name=practice.name.title(),
        description="GP practice (NHS England practice and PCN mapping).",
        latitude=practice.latitude,
        longitude=practice.longitude,
        postcode=practice.postcode,
        external_identifier=practice.code,
        external_identifier_type="ods",
    )


def invent_common(
    record: ServiceRecord, key: str, rng: Any, invented: list[str], tier: int
) -> None:
    """Every demo listing gets an invented url, email, phone contact and yearly cost."""
    record.url = invent.url(key)
    record.email = invent.email(key)
    record.contacts = [invent.contact(key, rng)]
    record.annual_cost = invent.annual_cost(rng, tier)
    record.is_demo = True
    invented += ["url", "email", "contacts", "annual_cost"]
