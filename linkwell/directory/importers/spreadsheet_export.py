"""The directory as a service-mapping spreadsheet (CSV), in the template's columns, so an
export can be edited by partners and imported again."""

import csv
from collections.abc import Iterator
from typing import TextIO

from django.db.models import Prefetch, QuerySet

from linkwell.directory import models as m
from linkwell.directory.importers.lookups import Lookups
from linkwell.directory.importers.spreadsheet import DEFAULT_SCHEME, HEADINGS


def services_for_export() -> QuerySet[m.Service]:
    return (
        m.Service.objects.select_related("organization", "partner", "department", "tier_scheme")
        .prefetch_related(
            Prefetch(
                "service_at_locations",
                queryset=m.ServiceAtLocation.objects.select_related("location").prefetch_related(
                    "location__addresses"
                ),
            ),
            Prefetch(
                "service_areas",
                queryset=m.ServiceArea.objects.select_related("ward", "constituency"),
            ),
            Prefetch(
                "attributes",
                queryset=m.ServiceAttribute.objects.select_related("taxonomy_term__taxonomy"),
            ),
            "phones",
        )
        .order_by("organization__name", "name", "id")
    )


def service_rows(services: QuerySet[m.Service], lookups: Lookups) -> Iterator[list[str]]:
    for service in services.iterator(chunk_size=2000):
        yield _row(service, lookups)


def write_csv(out: TextIO, services: QuerySet[m.Service] | None = None) -> int:
    """Write the header and one row per service; returns how many services were written."""
    lookups = Lookups.load()
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    count = 0
    for row in service_rows(services if services is not None else services_for_export(), lookups):
        writer.writerow(row)
        count += 1
    return count


def _row(service: m.Service, lookups: Lookups) -> list[str]:
    tier, scheme = "", ""
    if service.tier_scheme and service.tier_in_scheme:
        tier, scheme = service.tier_in_scheme, service.tier_scheme.key
    elif service.tier:
        tier, scheme = str(service.tier), DEFAULT_SCHEME
    address, postcode = "", ""
    sals = list(service.service_at_locations.all())
    if sals:
        location = sals[0].location
        postcode = location.postcode
        first = next(iter(location.addresses.all()), None)
        if first:
            address = ", ".join(p for p in (first.address_1, first.address_2, first.city) if p)
    areas = []
    for area in service.service_areas.all():
        if area.place_id:
            areas.append("Whole district")
        elif area.ward:
            areas.append(lookups.area_label(area.ward.name, is_ward=True))
        elif area.constituency:
            areas.append(lookups.area_label(area.constituency.name, is_ward=False))
    codes: dict[str, list[str]] = {}
    for attribute in service.attributes.all():
        codes.setdefault(attribute.taxonomy_term.taxonomy.key, []).append(
            attribute.taxonomy_term.code
        )
    phone = next(iter(service.phones.all()), None)
    partner = service.partner.name if service.partner else service.organization.name
    return [
        partner,
        service.department.name if service.department else "",
        service.name,
        service.description,
        str(service.annual_cost) if service.annual_cost is not None else "",
        service.commissioning,
        tier,
        scheme,
        address,
        postcode,
        "; ".join(areas),
        "; ".join(codes.get("linkwell-life-stages", [])),
        "; ".join(codes.get("linkwell-needs", [])),
        service.funding_type,
        service.url,
        phone.number if phone else "",
        service.email,
        service.evidence_rating if service.evidence_rating != "not_rated" else "",
        service.assured_date.isoformat() if service.assured_date else "",
    ]
