"""Reads of the directory: filtered, ranked and paged services for the API and the pages.

Search is two-step: the full-text index gives each matching service a relevance score
(`search.py`), then ordinary ORM filters narrow the candidates. With a postcode, results are
ordered by distance from its centroid. With a proximity too, the database filters, ranks,
cuts and counts by a close planar distance (`Circle`), and only the rows shown get the exact
great-circle one; without, every located service's distance is worked out in Python.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from linkwell.directory import models as m
from linkwell.directory import search
from linkwell.directory import vocabularies as vocab
from linkwell.directory.proximity import (
    CHUNK,
    Circle,
    coverage_condition,
    exact_distances,
    exact_measure,
    located_links,
    nearest,
    passing,
    planar_distances,
)
from linkwell.directory.results import Page, Results, paginate
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

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


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
STEP_FREE_WORDS = ("wheelchair", "step-free", "step free", "level access")


def postcode_centroid(postcode: str) -> Postcode:
    """The place data's record of a postcode. Raises PostcodeError or UnknownPostcode."""
    code = normalise_postcode(postcode)
    found = Postcode.objects.select_related("ward").filter(postcode=code).first()
    if found is None:
        raise UnknownPostcode(f"postcode {code} is not known in the place data")
    return found


def _schedule_condition(filters: ServiceFilters) -> Q | None:
    """A Q over Schedule rows for the day/time filters, or None if none were asked."""
    q = Q()
    if filters.day:
        q &= Q(byday__contains=filters.day)
    if filters.start_time:
        q &= Q(opens_at__gte=filters.start_time)
    if filters.end_time:
        q &= Q(closes_at__lte=filters.end_time)
    return q if q else None


def _having(rows: QuerySet, outer: str | None, field: str = "service_id") -> Q:
    """Services named by `field` of these rows.

    On services (`outer` None): an uncorrelated IN subquery, worked out once and probed (on
    100,000 services, ten times faster on SQLite than EXISTS per service for a common need).
    On links (`outer` names the link's service column): EXISTS per link, so a proximity
    search still reads its circle from the position index and tests only the links in it.
    """
    if outer is None:
        return Q(pk__in=rows.values(field))
    return Q(**{f"{outer}__in": rows.values(field)})


def _own(q: Q, outer: str | None) -> Q:
    """Conditions on the service's own columns (on links: on the link's service)."""
    if outer is None or not q:
        return q
    return Q(Exists(m.Service.objects.filter(q, pk=OuterRef(outer))))


def _term_condition(taxonomy_key: str, code: str, outer: str | None) -> Q:
    rows = m.ServiceAttribute.objects.filter(
        taxonomy_term__taxonomy__key=taxonomy_key, taxonomy_term__code=code
    )
    return _having(rows, outer)


def _location_condition(q: Q, outer: str | None) -> Q:
    """Services with a location (through their links) matching `q` on Location."""
    rows = m.ServiceAtLocation.objects.filter(location__in=m.Location.objects.filter(q))
    return _having(rows, outer)


def _public_sets(filters: ServiceFilters, outer: str | None) -> Q:
    """The public pages' filters on what a service has (need, life stage, cost, language,
    access, mode)."""
    q = Q()
    if filters.need:
        q &= _term_condition(vocab.NEEDS.key, filters.need, outer)
    if filters.life_stage:
        q &= _term_condition(vocab.LIFE_STAGES.key, filters.life_stage, outer)
    if filters.free:
        free_option = Q(option__iexact="free") | Q(amount=0) | Q(amount_description__iexact="free")
        q &= _own(Q(fees__icontains="free"), outer) | _having(
            m.CostOption.objects.filter(free_option), outer
        )
    if filters.language:
        code = filters.language.strip().lower()
        q &= _having(m.Language.objects.filter(code__in=[code, code.upper()]), outer)
    if filters.accessible:
        words = Q()
        for word in STEP_FREE_WORDS:
            words |= Q(description__icontains=word) | Q(details__icontains=word)
        q &= _location_condition(Q(accessibility__in=m.Accessibility.objects.filter(words)), outer)
    if filters.mode == "online":
        q &= _location_condition(Q(location_type=m.Location.LocationType.VIRTUAL), outer)
    elif filters.mode == "in_person":
        q &= _location_condition(Q(location_type=m.Location.LocationType.PHYSICAL), outer)
    return q


def _service_conditions(
    filters: ServiceFilters, *, with_search: bool = True, outer: str | None = None
) -> Q:
    """Every filter that is about the service itself, as one Q on Service (or, with `outer`,
    on ServiceAtLocation: the link's service passes them)."""
    own = Q()
    if filters.statuses:
        own &= Q(status__in=filters.statuses)
    if filters.organization_id:
        own &= Q(organization_id=filters.organization_id)
    if filters.modified_after:
        own &= Q(last_modified__gte=filters.modified_after)
    if filters.minimum_age is not None:
        own &= Q(minimum_age__gte=filters.minimum_age)
    if filters.maximum_age is not None:
        own &= Q(maximum_age__lte=filters.maximum_age)
    if filters.age is not None:
        own &= Q(Q(minimum_age=None) | Q(minimum_age__lte=filters.age)) & Q(
            Q(maximum_age=None) | Q(maximum_age__gte=filters.age)
        )
    if filters.reviewed_since is not None:
        own &= Q(assured_date=None) | Q(assured_date__gte=filters.reviewed_since)
    if filters.search and with_search:
        rowids = search.matching_rowids(filters.search)
        if rowids is not None:
            own &= Q(search_rowid__in=rowids)
    q = _own(own, outer) & _public_sets(filters, outer)
    if filters.taxonomy_term_id:
        rows = m.ServiceAttribute.objects.filter(taxonomy_term_id=filters.taxonomy_term_id)
        q &= _having(rows, outer)
    if filters.taxonomy_id:
        rows = m.ServiceAttribute.objects.filter(taxonomy_term__taxonomy_id=filters.taxonomy_id)
        q &= _having(rows, outer)
    schedule_q = _schedule_condition(filters)
    if schedule_q is not None:
        schedules = m.Schedule.objects.filter(schedule_q)
        q &= _having(schedules.exclude(service=None), outer) | _having(
            schedules.exclude(service_at_location=None), outer, "service_at_location__service_id"
        )
    return q


def search_services(filters: ServiceFilters, *, count_cap: int | None = None) -> Results[m.Service]:
    """Services matching the filters, ordered by distance (postcode), relevance (search) or name.

    A service's distance is that of its nearest located location; with `proximity`, services
    with no location within it are left out. With `count_cap`, counting may stop past that
    many (the count is then `count_cap + 1`: "more than"), as a page needs no exact figure.
    Raises PostcodeError or UnknownPostcode.
    """
    rest = _service_conditions(filters, with_search=False)
    # Own columns asked per service (`outer`): the database then walks the name index (or
    # the matches) and stops at the page, instead of reading every public service to sort.
    queryset = m.Service.objects.filter(_service_conditions(filters, outer="pk"))
    scores, rows, distances = None, None, None
    words = search.search_words(filters.search)
    if words and not rest and not filters.postcode:
        text = filters.search
        return Results(
            queryset,
            scores={},
            top=lambda limit: search.top_matches(text, limit),
            total=lambda: search.count_matches(text),
        )
    if filters.postcode:
        centroid = postcode_centroid(filters.postcode)
        queryset = queryset.filter(coverage_condition(centroid))
        if filters.proximity is not None:
            return _services_within(filters, centroid, queryset, count_cap)
    if words and not filters.postcode:
        # One query for the matches that pass every filter, one for their relevance; Results
        # ranks them. The service's own columns are asked per match (`outer`), so the
        # database reads the matches from the index rather than every public service.
        matching = m.Service.objects.filter(search_rowid__in=search.matching_rowids(filters.search))
        passing_all = matching.filter(_service_conditions(filters, with_search=False, outer="pk"))
        return Results(passing_all, scores=search.match_scores(filters.search))
    if words:
        found = search.matches(filters.search)
        scores = {rowid: score for _id, rowid, _name, score in found}
        rows = [(uuid.UUID(str(i)), rowid, name) for i, rowid, name, _score in found]
    if filters.postcode:
        links = located_links().filter(service__in=queryset.values("id"))
        distances = exact_distances(centroid, links, "service_id")
        if rows is not None:
            kept = passing(queryset, [r[0] for r in rows])
            rows = [r for r in rows if r[0] in kept]
    if rows is not None and rest:
        kept = passing(m.Service.objects.filter(rest), [r[0] for r in rows])
        rows = [r for r in rows if r[0] in kept]
    return Results(queryset, scores=scores, distances=distances, rows=rows, count_cap=count_cap)


def _services_within(
    filters: ServiceFilters, centroid: Postcode, queryset: QuerySet, count_cap: int | None
) -> Results[m.Service]:
    """Services with a location within `proximity` of the postcode, nearest first.

    The database filters, ranks and counts by an approximate distance (see `Circle`); only
    the rows shown get the exact one. With search words, the matches within the circle are
    ranked in Python (ties in distance then go to the more relevant).
    """
    circle = Circle(centroid.latitude, centroid.longitude, filters.proximity)
    conditions = _service_conditions(filters, with_search=False, outer="service_id")
    rowids = search.matching_rowids(filters.search)
    if rowids is not None:  # once for the statement, not per link
        conditions &= Q(service__search_rowid__in=rowids)
    services = conditions if conditions else None
    links = circle.links(centroid, services)
    measure = exact_measure(circle, links, "service_id")
    if not search.search_words(filters.search):
        top, total = nearest(centroid, circle, services, "service_id", count_cap)
        return Results(queryset, top=top, total=total, measure=measure)
    distances = planar_distances(circle, links, "service_id")  # matches within the circle
    ids = list(distances)
    rows: list[tuple[uuid.UUID, int, str]] = []
    for start in range(0, len(ids), CHUNK):
        chunk = m.Service.objects.filter(pk__in=ids[start : start + CHUNK])
        rows += chunk.values_list("id", "search_rowid", "name")
    return Results(
        queryset,
        scores=search.match_scores(filters.search),
        distances=distances,
        within_distance=True,
        rows=rows,
        measure=measure,
    )


def search_service_at_locations(filters: ServiceFilters) -> Results[m.ServiceAtLocation]:
    """Service-at-location rows whose service matches the filters (same ordering rules)."""
    rest = _service_conditions(filters)
    services = m.Service.objects.filter(rest)
    scores = search.match_scores(filters.search) if search.search_words(filters.search) else None
    if not filters.postcode:
        return Results(m.ServiceAtLocation.objects.filter(service__in=services), scores=scores)
    centroid = postcode_centroid(filters.postcode)
    queryset = m.ServiceAtLocation.objects.filter(
        service__in=services.filter(coverage_condition(centroid))
    )
    if filters.proximity is None:
        located = queryset.exclude(location__latitude=None).exclude(location__longitude=None)
        return Results(queryset, scores=scores, distances=exact_distances(centroid, located, "id"))
    circle = Circle(centroid.latitude, centroid.longitude, filters.proximity)
    links = circle.links(centroid, services if rest else None)
    measure = exact_measure(circle, links, "id")
    if scores is None:  # ties in distance are broken by id
        top, total = nearest(centroid, circle, services if rest else None, "id")
        return Results(queryset, top=top, total=total, measure=measure)
    distances = planar_distances(circle, links, "id")
    rows = links.values_list("id", "service__search_rowid", "service__name")
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
