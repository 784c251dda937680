"""Reads of the directory: filtered, ranked and paged services for the API and the pages.

Search is two-step: the full-text index gives each matching service a relevance score
(`search.py`), then filters narrow the candidates: those on what a service has (needs, cost,
languages...) and, with a postcode, its coverage and position are read from `SearchPoint`
rows (docs/adr/0013), the rest from the service's own rows. With a postcode, results are
ordered by distance from its centroid. With a proximity too, the database filters, ranks,
cuts and counts search points by a close planar distance (`Circle`), and only the rows shown
get the exact great-circle one; without, every located service's distance is worked out in
Python.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.lookups import Exact

from linkwell.directory import models as m
from linkwell.directory.search import fulltext as search
from linkwell.directory.search import points as search_points
from linkwell.directory.search.proximity import (
    CHUNK,
    Circle,
    exact_distances,
    exact_measure,
    nearest,
    planar_distances,
)
from linkwell.directory.search.results import Page, Results, paginate
from linkwell.places.models import Postcode
from linkwell.places.queries import PostcodeError, normalise_postcode

__all__ = [
    "Page",
    "PostcodeError",
    "Results",
    "ServiceFilters",
    "UnknownPostcode",
    "get_service",
    "get_service_at_location",
    "paginate",
    "search_service_at_locations",
    "search_services",
]

DAYS = search_points.DAYS


class UnknownPostcode(LookupError):
    """The postcode is well formed but the place data does not hold it."""


@dataclass(frozen=True)
class ServiceFilters:
    """What a search asks for. Every field is optional; given fields are ANDed.

    Semantics follow the ORUK 3.0 API: `minimum_age` keeps services whose minimum age is at
    least the value, `maximum_age` those whose maximum age is at most it; `start_time` keeps
    services with a schedule opening at or after it, `end_time` closing at or before it, `day`
    (MO..SU) open that day. `age` (Linkwell's own) keeps services open to a person of that age.
    `postcode` must be normalised ("BD1 1AA"); `proximity` is metres from its centroid.
    """

    search: str = ""
    taxonomy_term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    day: str = ""
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    postcode: str = ""
    proximity: float | None = None
    modified_after: dt.datetime | None = None
    organization_id: uuid.UUID | None = None
    age: int | None = None
    statuses: tuple[str, ...] = ()
    need: str = ""
    life_stage: str = ""
    free: bool = False
    language: str = ""
    accessible: bool = False
    mode: str = ""
    reviewed_since: dt.date | None = None


# The public pages' own filters (not in the ORUK API). `need` and `life_stage` are term codes
# of vocabularies.NEEDS / LIFE_STAGES; `language` an ISO 639 code; `mode` one of MODES;
# `reviewed_since` keeps listings reviewed on or after the date, or never reviewed (see
# docs/adr/0009). `free` keeps services saying they are free (a cost option named "Free" or
# of amount 0, or fees saying free): an unknown cost is not taken for free.
MODES = ("in_person", "online")


def postcode_centroid(postcode: str) -> Postcode:
    """The place data's record of a postcode. Raises PostcodeError or UnknownPostcode."""
    code = normalise_postcode(postcode)
    found = Postcode.objects.select_related("ward").filter(postcode=code).first()
    if found is None:
        raise UnknownPostcode(f"postcode {code} is not known in the place data")
    return found


def _schedule_condition(filters: ServiceFilters) -> Q | None:
    """A Q over Schedule rows for the time filters (with the day, if asked: the same
    schedule must match both), or None. A day alone is a search-point fact."""
    if not (filters.start_time or filters.end_time):
        return None
    q = Q()
    if filters.day:
        q &= Q(byday__contains=filters.day)
    if filters.start_time:
        q &= Q(opens_at__gte=filters.start_time)
    if filters.end_time:
        q &= Q(closes_at__lte=filters.end_time)
    return q if q else None


def _copied_facts(filters: ServiceFilters) -> Q:
    """Filters on the service's own columns that search points carry copies of (the same Q
    holds on Service and on SearchPoint)."""
    q = Q()
    if filters.statuses:
        q &= Q(status__in=filters.statuses)
    if filters.minimum_age is not None:
        q &= Q(minimum_age__gte=filters.minimum_age)
    if filters.maximum_age is not None:
        q &= Q(maximum_age__lte=filters.maximum_age)
    if filters.age is not None:
        q &= Q(Q(minimum_age=None) | Q(minimum_age__lte=filters.age)) & Q(
            Q(maximum_age=None) | Q(maximum_age__gte=filters.age)
        )
    if filters.reviewed_since is not None:
        q &= Q(assured_date=None) | Q(assured_date__gte=filters.reviewed_since)
    return q


def _has_bit(field: str, bit: int) -> Q:
    if not bit:  # a code outside the vocabulary: nothing has it
        return Q(pk__in=[])
    return Q(Exact(F(field).bitand(bit), bit))


def _derived_facts(filters: ServiceFilters) -> Q:
    """The public pages' filters on what a service has (need, life stage, cost, language,
    access, mode), as worked out into search points (see `search_points`)."""
    q = Q()
    if filters.need:
        q &= _has_bit("needs", search_points.need_bit(filters.need))
    if filters.life_stage:
        q &= _has_bit("life_stages", search_points.life_stage_bit(filters.life_stage))
    if filters.day and not (filters.start_time or filters.end_time):
        q &= _has_bit("days", search_points.day_bit(filters.day))
    if filters.free:
        q &= Q(free=True)
    if filters.language:
        q &= Q(languages__contains=search_points.language_key(filters.language))
    if filters.accessible:
        q &= Q(step_free=True)
    if filters.mode == "online":
        q &= Q(online=True)
    elif filters.mode == "in_person":
        q &= Q(in_person=True)
    return q


def _related_facts(filters: ServiceFilters) -> Q:
    """Filters on the service's columns and rows that search points do not carry, as a Q on
    Service (uncorrelated subqueries: each worked out once, then probed)."""
    q = Q()
    if filters.organization_id:
        q &= Q(organization_id=filters.organization_id)
    if filters.modified_after:
        q &= Q(last_modified__gte=filters.modified_after)
    if filters.taxonomy_term_id:
        rows = m.ServiceAttribute.objects.filter(taxonomy_term_id=filters.taxonomy_term_id)
        q &= Q(pk__in=rows.values("service_id"))
    if filters.taxonomy_id:
        rows = m.ServiceAttribute.objects.filter(taxonomy_term__taxonomy_id=filters.taxonomy_id)
        q &= Q(pk__in=rows.values("service_id"))
    schedule_q = _schedule_condition(filters)
    if schedule_q is not None:
        schedules = m.Schedule.objects.filter(schedule_q)
        q &= Q(pk__in=schedules.exclude(service=None).values("service_id")) | Q(
            pk__in=schedules.exclude(service_at_location=None).values(
                "service_at_location__service_id"
            )
        )
    return q


def _services(filters: ServiceFilters, *, with_words: bool = True) -> QuerySet[m.Service]:
    """Services passing every filter but the postcode (no ranking).

    On SQLite the service's own columns are asked per row (EXISTS on its own key), so it
    walks the name index and stops at the page, instead of reading every public service by
    its status index and then sorting them all; PostgreSQL plans the plain conditions well
    and the EXISTS badly (measured with 100,000 services: 70 against 170 ms for a word).
    """
    services = m.Service.objects.filter(_related_facts(filters))
    own = _copied_facts(filters)
    if own and connection.vendor == "sqlite":
        own = Q(Exists(m.Service.objects.filter(own, pk=OuterRef("pk"))))
    services = services.filter(own)
    derived = _derived_facts(filters)
    if derived:
        points = m.SearchPoint.objects.filter(derived)
        services = services.filter(search_rowid__in=points.values("service_key"))
    rowids = search.matching_rowids(filters.search) if with_words else None
    if rowids is not None:
        services = services.filter(search_rowid__in=rowids)
    return services


def _covering_points(filters: ServiceFilters, centroid: Postcode) -> QuerySet[m.SearchPoint]:
    """Search points of services available at the postcode that pass every other filter."""
    points = m.SearchPoint.objects.filter(coverage__in=search_points.coverage_keys(centroid))
    facts = _copied_facts(filters) & _derived_facts(filters)
    if facts:
        points = points.filter(facts)
    related = _related_facts(filters)
    if related:
        services = m.Service.objects.filter(related)
        points = points.filter(service_key__in=services.values("search_rowid"))
    rowids = search.matching_rowids(filters.search)
    if rowids is not None:  # once for the statement, not per point
        points = points.filter(service_key__in=rowids)
    return points


def search_services(filters: ServiceFilters, *, count_cap: int | None = None) -> Results[m.Service]:
    """Services matching the filters, ordered by distance (postcode), relevance (search) or name.

    A service's distance is that of its nearest located location; with `proximity`, services
    with no location within it are left out. With `count_cap`, counting may stop past that
    many (the count is then `count_cap + 1`: "more than"), as a page needs no exact figure.
    Raises PostcodeError or UnknownPostcode.
    """
    words = search.search_words(filters.search)
    if words and filters == ServiceFilters(search=filters.search):
        ranked = search.RankedMatches(filters.search)
        return Results(
            m.Service.objects.filter(search_rowid__in=search.matching_rowids(filters.search)),
            scores={},
            top=ranked.top,
            total=ranked.total,
        )
    if words and not filters.postcode:
        services = _services(filters, with_words=False)
        ranked = search.RankedFilteredMatches(services, filters.search, count_cap)
        return Results(services, scores={}, top=ranked.top, total=ranked.total)
    scores = search.match_scores(filters.search) if words else None
    if filters.postcode:
        centroid = postcode_centroid(filters.postcode)
        points = _covering_points(filters, centroid)
        if filters.proximity is not None:
            return _services_within(filters, centroid, points, count_cap)
        queryset = m.Service.objects.filter(search_rowid__in=points.values("service_key"))
        distances = exact_distances(centroid, points.exclude(latitude=None), "service_id")
        return Results(queryset, scores=scores, distances=distances, count_cap=count_cap)
    return Results(_services(filters), count_cap=count_cap)


def _services_within(
    filters: ServiceFilters, centroid: Postcode, points: QuerySet, count_cap: int | None
) -> Results[m.Service]:
    """Services with a location within `proximity` of the postcode, nearest first.

    The database filters, ranks and counts by an approximate distance (see `Circle`); only
    the rows shown get the exact one. With search words, the matches within the circle are
    ranked in Python (ties in distance then go to the more relevant).
    """
    circle = Circle(centroid.latitude, centroid.longitude, filters.proximity)
    links = circle.links(points)
    measure = exact_measure(circle, links, "service_id")
    if not search.search_words(filters.search):
        top, total = nearest(circle, points, "service_id", count_cap)
        return Results(m.Service.objects.all(), top=top, total=total, measure=measure)
    distances = planar_distances(circle, links, "service_id")  # matches within the circle
    ids = list(distances)
    rows: list[tuple[uuid.UUID, int, str]] = []
    for start in range(0, len(ids), CHUNK):
        chunk = m.Service.objects.filter(pk__in=ids[start : start + CHUNK])
        rows += chunk.values_list("id", "search_rowid", "name")
    return Results(
        m.Service.objects.all(),
        scores=search.match_scores(filters.search),
        distances=distances,
        within_distance=True,
        rows=rows,
        measure=measure,
    )


def search_service_at_locations(filters: ServiceFilters) -> Results[m.ServiceAtLocation]:
    """Service-at-location rows whose service matches the filters (same ordering rules)."""
    scores = search.match_scores(filters.search) if search.search_words(filters.search) else None
    if not filters.postcode:
        links = m.ServiceAtLocation.objects.filter(service__in=_services(filters))
        return Results(links, scores=scores)
    centroid = postcode_centroid(filters.postcode)
    points = _covering_points(filters, centroid)
    services = m.Service.objects.filter(search_rowid__in=points.values("service_key"))
    queryset = m.ServiceAtLocation.objects.filter(service__in=services)
    if filters.proximity is None:
        distances = exact_distances(centroid, points.exclude(latitude=None), "link_id")
        return Results(queryset, scores=scores, distances=distances)
    circle = Circle(centroid.latitude, centroid.longitude, filters.proximity)
    links = circle.links(points)
    measure = exact_measure(circle, links, "link_id")
    if scores is None:  # ties in distance are broken by id
        top, total = nearest(circle, points, "link_id")
        return Results(m.ServiceAtLocation.objects.all(), top=top, total=total, measure=measure)
    distances = planar_distances(circle, links, "link_id")
    rows = dict.fromkeys(links.values_list("link_id", "service_key", "service__name"))
    return Results(
        queryset,
        scores=scores,
        distances=distances,
        within_distance=True,
        rows=[r for r in rows if r[0] in distances],
        measure=measure,
    )


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


def service_summary_queryset() -> QuerySet[m.Service]:
    """Services with what a list item shows (their organisation)."""
    return m.Service.objects.select_related("organization")


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
