"""Build the demo directory: seed services from the partnership's documents, plus
deterministic expansions over the loaded place (ward partnerships, practice-based champions,
activities at real community venues).

What the seeds or the open data say is kept as it is; every invented detail is named in the
record's `demo_fields` (see invent.py for the reserved phone, email and web ranges).
"""

from typing import Any

from linkwell.directory import vocabularies as vocab
from linkwell.directory.demo import invent
from linkwell.directory.demo.activities import venue_activities
from linkwell.directory.demo.common import (
    SOURCE,
    activity_kinds,
    areas,
    example_services,
    invent_common,
    operating_tier,
    organization,
    practice_location,
    seed_services,
    source_note,
    terms,
    venue_location,
)
from linkwell.directory.demo.place import PlaceData, PracticeRow
from linkwell.directory.records import (
    LocationRecord,
    OrganizationRecord,
    ScheduleRecord,
    ServiceAreaRecord,
    ServiceRecord,
)


def _base_locations(
    key: str, base: Any, place: PlaceData
) -> tuple[list[LocationRecord], list[str]]:
    """Locations for a seed service, and which of them are invented."""
    if not base:
        return [], []
    if base == "virtual":
        return [LocationRecord(name="Online", location_type="virtual", url=invent.url(key))], [
            "locations"
        ]
    if base == "childrens_centres":
        venues = [
            v
            for v in place.venues
            if v.category == "children_families"
            and ("children" in v.name.lower() and "centre" in v.name.lower())
        ]
        return [venue_location(v) for v in venues], []
    if "venue" in base:
        venues = [v for v in place.venues if v.osm_ref == base["venue"]]
        return [venue_location(v, is_demo=True) for v in venues], ["locations"]
    if "pcns" in base:
        practices = [p for p in place.practices if p.pcn_code in base["pcns"]]
        return [practice_location(p) for p in practices], ["locations"]
    postcodes = place.postcodes_by_ward.get(base["ward"], [])
    near = [p for p in postcodes if p.startswith(base.get("near", ""))] or postcodes
    if not near:
        return [], []
    rng = invent.rng_for(f"{key}/base")
    return [
        LocationRecord(
            name=base.get("name", "Demo meeting place"),
            postcode=rng.choice(near),
            description="Demo location: the postcode is a real one in the right ward, invented.",
            is_demo=True,
        )
    ], ["locations"]


def seed_record(spec: dict[str, Any], place: PlaceData) -> ServiceRecord:
    key = spec["key"]
    rng = invent.rng_for(key)
    invented = list(spec.get("invented", []))
    org_name = spec.get("organization") or spec["partner"]
    tier_scheme, tier_level = spec["tier"].split(":", 1)
    locations, invented_locations = _base_locations(key, spec.get("base"), place)
    invented += invented_locations
    record = ServiceRecord(
        id=vocab.stable_id("demo-service", key),
        name=spec["name"],
        organization=organization(org_name),
        description=" ".join(spec["description"].split()),
        partner_name=spec.get("partner", ""),
        department_name=spec.get("department", ""),
        tier_scheme_key=tier_scheme,
        tier_in_scheme=tier_level,
        terms=terms(spec),
        service_areas=areas(spec.get("area")),
        locations=locations,
        minimum_age=(spec.get("ages") or [None, None])[0],
        maximum_age=(spec.get("ages") or [None, None])[1],
        funding_sources=list(spec.get("funding", [])),
        fees=spec.get("fees", ""),
        source=source_note(spec["source"]),
    )
    invent_common(record, key, rng, invented, operating_tier(spec["tier"]))
    record.funding_type = spec.get("funding_type", "")
    record.commissioning = spec.get("commissioning", "")
    if not record.funding_type:
        record.funding_type = rng.choice(("recurrent", "short_term"))
        invented.append("funding_type")
    if not record.commissioning:
        record.commissioning = rng.choice(("internal", "external"))
        invented.append("commissioning")
    if spec.get("sessions"):
        record.schedules = [invent.weekly_session(rng)]
        invented.append("schedules")
    record.demo_fields = sorted(set(invented))
    return record


# What an invented example listing invents besides the contact details invent_common adds.
EXAMPLE_INVENTED = ("whole_listing", "name", "description", "organization", "service_areas")


def example_record(spec: dict[str, Any], place: PlaceData) -> ServiceRecord:
    """An invented example listing (examples.yaml) for an area the seeds describe no service
    in: built as a seed service is, with the whole listing flagged as invented."""
    low, high = spec.get("ages") or (None, None)
    ages = [name for name, age in (("minimum_age", low), ("maximum_age", high)) if age is not None]
    record = seed_record({**spec, "invented": [*EXAMPLE_INVENTED, *ages]}, place)
    record.source = f"{SOURCE}: {' '.join(spec['source'].split())}"
    return record


# Bradford Council's district: its wards have Ward Partnerships, Craven's do not.
BRADFORD_DISTRICT = "E08000032"


def ward_partnership(ward_code: str, ward_name: str) -> ServiceRecord:
    """REVIEW 8.5: a Ward Partnership or Ward Officer Team in each of Bradford's 30 wards."""
    key = f"ward-partnership-{ward_code.lower()}"
    rng = invent.rng_for(key)
    invented: list[str] = ["funding_type", "commissioning"]
    record = ServiceRecord(
        id=vocab.stable_id("demo-service", key),
        name=f"{ward_name} Ward Partnership",
        organization=organization("Bradford Council"),
        description=(
            f"The Ward Partnership or Ward Officer Team for {ward_name} brings local partners "
            "together to discuss and address local issues, and produces the Ward Plan and Ward "
            "Profile. Ward Partnerships include elected members; Ward Officer Teams do not."
        ),
        partner_name="Bradford Council",
        department_name="Place",
        tier_scheme_key="review-2017",
        tier_in_scheme="0",
        terms=terms(
            {
                "needs": ["home_security_scams"],
                "stages": ["living_well"],
                "threads": ["relationships", "people_can"],
            }
        ),
        service_areas=[ServiceAreaRecord(ward_code=ward_code)],
        schedules=[
            ScheduleRecord(freq="WEEKLY", interval=10, description="Meets on a 10-weekly cycle.")
        ],
        funding_type="recurrent",
        commissioning="internal",
        source=source_note("REVIEW 8.5 Bradford Council Place (Ward Partnerships)"),
    )
    invent_common(record, key, rng, invented, 1)
    record.demo_fields = sorted(set(invented))
    return record


def practice_health_champions(pcn_code: str, practices: list[PracticeRow]) -> ServiceRecord:
    """REVIEW 8.7: GP-based volunteers, managed by practices, trained by the Care Trust."""
    key = f"practice-health-champions-{pcn_code.lower()}"
    rng = invent.rng_for(key)
    pcn_name = practices[0].pcn_name.replace(" PCN", "").title() + " PCN"
    invented: list[str] = ["locations"]  # which practices host champions is not in the seeds
    record = ServiceRecord(
        id=vocab.stable_id("demo-service", key),
        name=f"Practice Health Champions ({pcn_name})",
        organization=OrganizationRecord(
            name=pcn_name,
            description="Primary care network (NHS England practice and PCN mapping).",
            identifiers=[("NHS ODS", "pcn", pcn_code)],
        ),
        description=(
            "GP-based volunteers who help in the waiting area, signpost to community activities "
            "such as Champions Show the Way, run small groups, and help patients understand and "
            "explain their needs to their GP. Managed by GP practices after training and support "
            "from the Care Trust."
        ),
        partner_name="Bradford District Care NHS Foundation Trust",
        tier_scheme_key="accountable-care-board",
        tier_in_scheme="self_care_prevention",
        terms=terms(
            {
                "needs": ["loneliness", "long_term_condition"],
                "stages": ["living_well", "ageing_well"],
                "threads": ["people_can"],
            }
        ),
        locations=[practice_location(p) for p in practices],
        service_areas=sorted(
            {
                p.ward_code: ServiceAreaRecord(ward_code=p.ward_code)
                for p in practices
                if p.ward_code
            }.values(),
            key=lambda a: a.ward_code,
        )
        or [ServiceAreaRecord(whole_place=True)],
        source=source_note(
            "REVIEW 8.7 (Practice Health Champions); GP practices and PCNs (NHS England)"
        ),
    )
    invent_common(record, key, rng, invented, 1)
    record.funding_type = "recurrent"
    record.commissioning = "internal"
    record.demo_fields = sorted({*invented, "funding_type", "commissioning"})
    return record


def build_records(place: PlaceData) -> list[ServiceRecord]:
    """The whole demo directory for a loaded place, in a stable order."""
    records = [seed_record(spec, place) for spec in seed_services()]
    records += [example_record(spec, place) for spec in example_services()]
    records += [
        ward_partnership(w.code, w.name)
        for w in place.wards
        if w.local_authority_code in ("", BRADFORD_DISTRICT)
    ]
    by_pcn: dict[str, list[PracticeRow]] = {}
    for practice in place.practices:
        if practice.pcn_code:
            by_pcn.setdefault(practice.pcn_code, []).append(practice)
    records += [practice_health_champions(code, by_pcn[code]) for code in sorted(by_pcn)]
    records += venue_activities(place, activity_kinds())
    return share_locations(records)


def share_locations(records: list[ServiceRecord]) -> list[ServiceRecord]:
    """One location row per real place and organisation, whatever services it hosts.

    save_services writes a location's addresses once per occurrence in the batch, so a shared
    location keeps its addresses on its first occurrence only (same id, same row).
    """
    seen: set[object] = set()
    for record in records:
        org = record.organization.name.strip().lower()
        for location in record.locations:
            if location.external_identifier:
                location.id = vocab.stable_id(
                    "demo-location",
                    org,
                    location.external_identifier_type,
                    location.external_identifier,
                )
            if location.id in seen:
                location.addresses = []
                location.accessibility = []
            elif location.id:
                seen.add(location.id)
    return records
