"""Keeping `SearchPoint` rows in step with the listings (see docs/adr/0013).

`actions.save_services` makes the rows of every batch it writes from the rows it has just
written (`rows_of`), in the same transaction, and rebuilds from the database (`refresh`) those
of services elsewhere that share a location it moved; deleting a service deletes its rows. So
a listing and its search rows never disagree. The facts here define the public filters
(what counts as free, step-free, ...); `queries` only reads them.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from linkwell.core import bulk
from linkwell.directory import models as m
from linkwell.directory import vocabularies as vocab
from linkwell.places.queries import PlaceMatch

CHUNK = 500
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
EVERYWHERE = "*"  # the coverage of a service that names no area it serves
# A service is free if a cost option says so, or its fees do; an unknown cost is not free.
STEP_FREE_WORDS = ("wheelchair", "step-free", "step free", "level access")
MAPPED = Q(ward__isnull=False) | Q(constituency__isnull=False) | Q(place__isnull=False)


def need_bit(code: str) -> int:
    """The bit of a need code in `SearchPoint.needs` (0 for a code not in the vocabulary)."""
    return _bits(vocab.NEEDS).get(code, 0)


def life_stage_bit(code: str) -> int:
    return _bits(vocab.LIFE_STAGES).get(code, 0)


def day_bit(code: str) -> int:
    """The bit of a day (MO..SU) in `SearchPoint.days`: some schedule of the service names it
    in its `byday` (as the day filter reads it: "MO,WE", "1MO" and "MO" all open Mondays)."""
    return 1 << DAYS.index(code) if code in DAYS else 0


def _days_mask(schedules: Iterable[dict[str, Any]]) -> int:
    mask = 0
    for schedule in schedules:
        byday = schedule.get("byday") or ""
        for i, code in enumerate(DAYS):
            if code in byday:
                mask |= 1 << i
    return mask


def _bits(vocabulary: vocab.Vocabulary) -> dict[str, int]:
    return {term.code: 1 << i for i, term in enumerate(vocabulary.terms)}


def area_keys(place: PlaceMatch) -> list[str]:
    """The coverage values of services that name an area the place lies in: its wards, its
    constituencies or its whole place (district). Not "everywhere": a service naming no area
    is not thereby local to anyone."""
    return [
        f"P{place.place_id}",
        *(f"W{ward_id}" for ward_id in place.ward_ids),
        *(f"C{constituency_id}" for constituency_id in place.constituency_ids),
    ]


def coverage_keys(place: PlaceMatch) -> list[str]:
    """The coverage values of services available at a place: everywhere, or an area it lies
    in (see `area_keys`)."""
    return [EVERYWHERE, *area_keys(place)]


def language_key(code: str) -> str:
    return f"|{code.strip().lower()}|"


def replace(service_ids: Iterable[uuid.UUID], rows: list[bulk.Row]) -> None:
    """Swap the search rows of these services for `rows` (from `rows_of`)."""
    ids = list(service_ids)
    for start in range(0, len(ids), CHUNK):
        m.SearchPoint.objects.filter(service_id__in=ids[start : start + CHUNK]).delete()
    bulk.insert(m.SearchPoint, rows)


def refresh(service_ids: Iterable[uuid.UUID]) -> None:
    """Rebuild the search rows of these services from the database."""
    ids = list(dict.fromkeys(service_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        replace(chunk, rows_of(**_saved(chunk)))


def refresh_all() -> int:
    """Rebuild every service's rows (after a migration, or to repair); returns the count."""
    ids = list(m.Service.objects.order_by("pk").values_list("pk", flat=True))
    m.SearchPoint.objects.all().delete()
    for start in range(0, len(ids), CHUNK):
        bulk.insert(m.SearchPoint, rows_of(**_saved(ids[start : start + CHUNK])))
    return len(ids)


def services_at_locations(location_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Services linked to these locations (whose rows move when a location does)."""
    ids = list(location_ids)
    found: set[uuid.UUID] = set()
    for start in range(0, len(ids), CHUNK):
        links = m.ServiceAtLocation.objects.filter(location_id__in=ids[start : start + CHUNK])
        found.update(links.values_list("service_id", flat=True))
    return found


def is_free(cost: dict[str, Any]) -> bool:
    """A cost option that says the service is free."""
    amount = cost.get("amount")
    return (
        (cost.get("option") or "").lower() == "free"
        or (amount is not None and amount == 0)
        or (cost.get("amount_description") or "").lower() == "free"
    )


def is_step_free(accessibility: dict[str, Any]) -> bool:
    text = f"{accessibility.get('description') or ''} {accessibility.get('details') or ''}".lower()
    return any(word in text for word in STEP_FREE_WORDS)


def rows_of(
    *,
    services: dict[uuid.UUID, dict[str, Any]],
    children: dict[str, list[dict[str, Any]]],
    locations: dict[uuid.UUID, dict[str, Any]],
    accessibility: dict[uuid.UUID, list[dict[str, Any]]],
) -> list[bulk.Row]:
    """The search rows of services, from their rows as saved (plain dicts by attname: those
    `save_services` has just written, or those `_saved` reads back, so both agree).

    `services`: id -> status, assured_date, minimum_age, maximum_age, fees, search_rowid.
    `children`: "sals", "costs", "languages", "areas", "attrs", "schedules" rows with their
    service_id.
    `locations`: id -> latitude, longitude, location_type; `accessibility`: location id ->
    its accessibility rows.
    """
    by_service: dict[str, dict[uuid.UUID, list]] = {}
    for kind, rows in children.items():
        grouped: dict[uuid.UUID, list] = defaultdict(list)
        for row in rows:
            grouped[row["service_id"]].append(row)
        by_service[kind] = grouped
    bits = _term_bits()
    points: list[bulk.Row] = []
    for sid, service in services.items():
        masks = [0, 0]
        for attr in by_service["attrs"].get(sid, ()):
            slot, bit = bits.get(attr["taxonomy_term_id"], (0, 0))
            masks[slot] |= bit
        codes = sorted(
            {(lang["code"] or "").strip().lower() for lang in by_service["languages"].get(sid, ())}
            - {""}
        )
        coverage = {
            f"{prefix}{area[column]}"
            for area in by_service["areas"].get(sid, ())
            for prefix, column in (("W", "ward_id"), ("C", "constituency_id"), ("P", "place_id"))
            if area[column] is not None
        }
        places, kinds, step_free = [], set(), False
        for link in by_service["sals"].get(sid, ()):
            location = locations[link["location_id"]]
            kinds.add(location["location_type"])
            step_free = step_free or any(
                is_step_free(a) for a in accessibility.get(link["location_id"], ())
            )
            if location["latitude"] is not None and location["longitude"] is not None:
                places.append((link["id"], location["latitude"], location["longitude"]))
        facts = {
            "service_id": sid,
            "service_key": service["search_rowid"],
            "status": service["status"],
            "assured_date": service["assured_date"],
            "minimum_age": service["minimum_age"],
            "maximum_age": service["maximum_age"],
            "needs": masks[0],
            "life_stages": masks[1],
            "days": _days_mask(by_service["schedules"].get(sid, ())),
            "free": "free" in (service["fees"] or "").lower()
            or any(is_free(c) for c in by_service["costs"].get(sid, ())),
            "step_free": step_free,
            "online": m.Location.LocationType.VIRTUAL in kinds,
            "in_person": m.Location.LocationType.PHYSICAL in kinds,
            "languages": language_key("|".join(codes)) if codes else "",
        }
        for key in sorted(coverage or {EVERYWHERE}):
            for link_id, lat, lon in places or [(None, None, None)]:
                points.append(
                    {
                        **facts,
                        "coverage": key,
                        "link_id": link_id,
                        "latitude": lat,
                        "longitude": lon,
                    }
                )
    return points


def _term_bits() -> dict[uuid.UUID, tuple[int, int]]:
    """Taxonomy term id -> (0 for needs or 1 for life stages, its bit)."""
    bits: dict[uuid.UUID, tuple[int, int]] = {}
    for slot, vocabulary in enumerate((vocab.NEEDS, vocab.LIFE_STAGES)):
        codes = _bits(vocabulary)
        terms = m.TaxonomyTerm.objects.filter(taxonomy__key=vocabulary.key, code__in=codes)
        for term_id, code in terms.values_list("id", "code"):
            bits[term_id] = (slot, codes[code])
    return bits


def _saved(service_ids: list[uuid.UUID]) -> dict[str, Any]:
    """What `rows_of` needs, read back from the database."""
    services = {
        row["id"]: row
        for row in m.Service.objects.filter(pk__in=service_ids).values(
            "id", "status", "assured_date", "minimum_age", "maximum_age", "fees", "search_rowid"
        )
    }
    mine = {"service_id__in": service_ids}
    children = {
        "sals": list(
            m.ServiceAtLocation.objects.filter(**mine).values("id", "service_id", "location_id")
        ),
        "costs": list(
            m.CostOption.objects.filter(**mine).values(
                "service_id", "option", "amount", "amount_description"
            )
        ),
        "languages": list(m.Language.objects.filter(**mine).values("service_id", "code")),
        "areas": list(
            m.ServiceArea.objects.filter(MAPPED, **mine).values(
                "service_id", "ward_id", "constituency_id", "place_id"
            )
        ),
        "schedules": [
            {**row, "service_id": row["service_id"] or row["service_at_location__service_id"]}
            for row in m.Schedule.objects.filter(
                Q(service_id__in=service_ids) | Q(service_at_location__service_id__in=service_ids)
            ).values("service_id", "service_at_location__service_id", "byday")
        ],
        "attrs": list(
            m.ServiceAttribute.objects.filter(**mine).values("service_id", "taxonomy_term_id")
        ),
    }
    location_ids = list({link["location_id"] for link in children["sals"]})
    locations = {
        row["id"]: row
        for row in m.Location.objects.filter(pk__in=location_ids).values(
            "id", "latitude", "longitude", "location_type"
        )
    }
    accessibility: dict[uuid.UUID, list] = defaultdict(list)
    for row in m.Accessibility.objects.filter(location_id__in=location_ids).values(
        "location_id", "description", "details"
    ):
        accessibility[row["location_id"]].append(row)
    return {
        "services": services,
        "children": children,
        "locations": locations,
        "accessibility": accessibility,
    }
