"""The directory as a service-mapping spreadsheet (CSV), in the template's columns, so an
export can be edited by partners and imported again.

Reads plain values a chunk of services at a time (no model instances, no boundary geometry),
so exporting 100,000 services takes seconds and memory stays flat.
"""

import csv
import uuid
from collections import defaultdict
from typing import Any, TextIO

from django.db.models import QuerySet

from linkwell.directory import models as m
from linkwell.directory.importers.lookups import Lookups
from linkwell.directory.importers.spreadsheet import DEFAULT_SCHEME, HEADINGS

CHUNK = 2000
SERVICE_FIELDS = (
    "id",
    "name",
    "description",
    "annual_cost",
    "commissioning",
    "tier",
    "tier_in_scheme",
    "tier_scheme__key",
    "funding_type",
    "url",
    "email",
    "evidence_rating",
    "assured_date",
    "organization__name",
    "partner__name",
    "department__name",
)


def services_for_export() -> QuerySet[m.Service]:
    return m.Service.objects.order_by("organization__name", "name", "id")


def write_csv(out: TextIO, services: QuerySet[m.Service] | None = None) -> int:
    """Write the header and one row per service; returns how many services were written."""
    lookups = Lookups.load()
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    count = 0
    chunk: list[dict[str, Any]] = []
    queryset = services if services is not None else services_for_export()
    for service in queryset.values(*SERVICE_FIELDS).iterator(chunk_size=CHUNK):
        chunk.append(service)
        if len(chunk) == CHUNK:
            count += _write_chunk(writer, chunk, lookups)
            chunk = []
    return count + _write_chunk(writer, chunk, lookups)


def _write_chunk(writer: Any, chunk: list[dict[str, Any]], lookups: Lookups) -> int:
    if not chunk:
        return 0
    ids = [s["id"] for s in chunk]
    based = _where_based(ids)
    areas: dict[uuid.UUID, list[str]] = defaultdict(list)
    for service_id, place_id, ward, constituency in (
        m.ServiceArea.objects.filter(service_id__in=ids)
        .order_by("id")
        .values_list("service_id", "place_id", "ward__name", "constituency__name")
    ):
        if place_id:
            areas[service_id].append("Whole district")
        elif ward:
            areas[service_id].append(lookups.area_label(ward, is_ward=True))
        elif constituency:
            areas[service_id].append(lookups.area_label(constituency, is_ward=False))
    codes: dict[tuple[uuid.UUID, str], list[str]] = defaultdict(list)
    for service_id, key, code in (
        m.ServiceAttribute.objects.filter(service_id__in=ids)
        .order_by("taxonomy_term__position", "taxonomy_term__code")
        .values_list("service_id", "taxonomy_term__taxonomy__key", "taxonomy_term__code")
    ):
        codes[(service_id, key)].append(code)
    phones: dict[uuid.UUID, str] = {}
    for service_id, number in (
        m.Phone.objects.filter(service_id__in=ids)
        .order_by("id")
        .values_list("service_id", "number")
    ):
        phones.setdefault(service_id, number)
    for s in chunk:
        writer.writerow(_row(s, based.get(s["id"], ("", "")), areas, codes, phones))
    return len(chunk)


def _where_based(ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str]]:
    """(address, postcode) of each service's first location."""
    first: dict[uuid.UUID, tuple[uuid.UUID, str]] = {}
    for service_id, location_id, postcode in (
        m.ServiceAtLocation.objects.filter(service_id__in=ids)
        .order_by("id")
        .values_list("service_id", "location_id", "location__postcode")
    ):
        first.setdefault(service_id, (location_id, postcode))
    addresses: dict[uuid.UUID, str] = {}
    for location_id, line_1, line_2, city in (
        m.Address.objects.filter(location_id__in={loc for loc, _ in first.values()})
        .order_by("id")
        .values_list("location_id", "address_1", "address_2", "city")
    ):
        addresses.setdefault(location_id, ", ".join(p for p in (line_1, line_2, city) if p))
    return {sid: (addresses.get(loc, ""), postcode) for sid, (loc, postcode) in first.items()}


def _row(
    s: dict[str, Any],
    based: tuple[str, str],
    areas: dict[uuid.UUID, list[str]],
    codes: dict[tuple[uuid.UUID, str], list[str]],
    phones: dict[uuid.UUID, str],
) -> list[str]:
    tier, scheme = "", ""
    if s["tier_scheme__key"] and s["tier_in_scheme"]:
        tier, scheme = s["tier_in_scheme"], s["tier_scheme__key"]
    elif s["tier"]:
        tier, scheme = str(s["tier"]), DEFAULT_SCHEME
    sid = s["id"]
    return [
        s["partner__name"] or s["organization__name"],
        s["department__name"] or "",
        s["name"],
        s["description"],
        str(s["annual_cost"]) if s["annual_cost"] is not None else "",
        s["commissioning"],
        tier,
        scheme,
        based[0],
        based[1],
        "; ".join(areas.get(sid, [])),
        "; ".join(codes.get((sid, "linkwell-life-stages"), [])),
        "; ".join(codes.get((sid, "linkwell-needs"), [])),
        s["funding_type"],
        s["url"],
        phones.get(sid, ""),
        s["email"],
        s["evidence_rating"] if s["evidence_rating"] != "not_rated" else "",
        s["assured_date"].isoformat() if s["assured_date"] else "",
    ]
