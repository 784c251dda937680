"""Reads of the directory: filtered, ranked and paged services for the API and the pages.

Searching (words, needs, places and distance) is `finding` (see docs/adr/0028); what a
search asks for is `filters.ServiceFilters`; the rest here reads one listing or the
taxonomies.
"""

import uuid

from django.db.models import Prefetch, QuerySet

from linkwell.directory import models as m
from linkwell.directory.queries.filters import DAYS, MODES, ServiceFilters
from linkwell.directory.queries.finding import (
    UnknownPostcode,
    place_of,
    search_service_at_locations,
    search_services,
)
from linkwell.directory.search.results import Page, Results, paginate
from linkwell.places.queries import PlaceNotUnderstood, PostcodeError

__all__ = [
    "DAYS",
    "MODES",
    "Page",
    "PlaceNotUnderstood",
    "PostcodeError",
    "Results",
    "ServiceFilters",
    "UnknownPostcode",
    "get_service",
    "get_service_at_location",
    "paginate",
    "place_of",
    "search_service_at_locations",
    "search_services",
]


def _by_id(model: type) -> QuerySet:
    return model.objects.order_by("id")


def _sal_with_location() -> QuerySet[m.ServiceAtLocation]:
    return (
        m.ServiceAtLocation.objects.select_related("location")
        .prefetch_related(
            Prefetch("schedules", queryset=_by_id(m.Schedule)),
            Prefetch("location__addresses", queryset=_by_id(m.Address)),
            Prefetch("location__accessibility", queryset=_by_id(m.Accessibility)),
        )
        .order_by("location__name", "id")
    )


def service_detail_queryset() -> QuerySet[m.Service]:
    """Services with everything the nested ORUK document shows, prefetched in a stable order
    (so two exports of an unchanged directory are identical)."""
    return m.Service.objects.select_related(
        "organization", "partner", "department", "tier_scheme"
    ).prefetch_related(
        *(
            Prefetch(name, queryset=_by_id(model))
            for name, model in (
                ("schedules", m.Schedule),
                ("languages", m.Language),
                ("funding", m.Funding),
                ("cost_options", m.CostOption),
            )
        ),
        Prefetch(
            "service_areas",
            queryset=_by_id(m.ServiceArea).select_related("ward", "constituency"),
        ),
        Prefetch(
            "contacts",
            queryset=_by_id(m.Contact).prefetch_related(
                Prefetch("phones", queryset=_by_id(m.Phone))
            ),
        ),
        Prefetch(
            "attributes",
            queryset=m.ServiceAttribute.objects.select_related("taxonomy_term__taxonomy").order_by(
                "taxonomy_term__taxonomy__name", "taxonomy_term__position", "taxonomy_term__name"
            ),
        ),
        Prefetch("service_at_locations", queryset=_sal_with_location()),
    )


# What a list item shows (`oruk.service_summary`): the rest of a service's and its
# organisation's columns are not read, nor turned into Python values, for a page of 50.
SUMMARY_FIELDS = (
    *("id", "organization_id", "name", "description", "url", "email", "status", "fees"),
    *("accreditations", "minimum_age", "maximum_age", "assured_date", "assurer_email"),
    *("alert", "last_modified"),
    *(
        f"organization__{name}"
        for name in ("id", "name", "description", "email", "website", "logo", "uri")
    ),
    "organization__parent_organization_id",
)


def service_summary_queryset() -> QuerySet[m.Service]:
    """Services with what a list item shows (their organisation), and only that."""
    return m.Service.objects.select_related("organization").only(*SUMMARY_FIELDS)


def service_at_location_summary_queryset() -> QuerySet[m.ServiceAtLocation]:
    return m.ServiceAtLocation.objects.select_related("location", "service__organization")


def get_service(service_id: uuid.UUID) -> m.Service | None:
    """One service with all it holds, or None."""
    return service_detail_queryset().filter(id=service_id).first()


def get_service_at_location(sal_id: uuid.UUID) -> m.ServiceAtLocation | None:
    """One service-at-location with its location and fully nested service, or None."""
    return (
        _sal_with_location()
        .prefetch_related(Prefetch("service", queryset=service_detail_queryset()))
        .filter(id=sal_id)
        .first()
    )


def list_taxonomies() -> QuerySet[m.Taxonomy]:
    return m.Taxonomy.objects.order_by("name", "id")


def list_taxonomy_terms() -> QuerySet[m.TaxonomyTerm]:
    return m.TaxonomyTerm.objects.select_related("taxonomy").order_by(
        "taxonomy__name", "position", "name", "id"
    )


def get_taxonomy(taxonomy_id: uuid.UUID) -> m.Taxonomy | None:
    return m.Taxonomy.objects.filter(id=taxonomy_id).first()


def get_taxonomy_term(term_id: uuid.UUID) -> m.TaxonomyTerm | None:
    return m.TaxonomyTerm.objects.select_related("taxonomy").filter(id=term_id).first()
