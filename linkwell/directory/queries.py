"""Reads of the directory: filtered, ranked and paged services for the API and the pages.

Search is two-step: the full-text index gives each matching service a relevance score
(`search.py`), then ordinary ORM filters narrow the candidates. With a postcode, results are
ordered by distance from its centroid. With a proximity too, the database filters, ranks,
cuts and counts by a close planar distance (`Circle`), and only the rows shown get the exact
great-circle one; without, every located service's distance is worked out in Python.
"""

import dataclasses
import datetime as dt
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)

from linkwell.directory import models as m
from linkwell.directory import search
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

EARTH_RADIUS_M = 6_371_008.8
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


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


METRES_PER_DEGREE = math.pi / 180 * EARTH_RADIUS_M


@dataclass(frozen=True)
class Circle:
    """A proximity circle the database can test and rank by, with no trigonometry per row.

    The squared distance in SQL is the equirectangular one at the mid-latitude of each pair,
    its cosine expanded around the centre so that SQL needs only + - * (SQLite has no cos()
    of its own): within 0.2 (d/R)² of the great-circle distance, 0.5 mm at 5 km. Rows within
    `margin` of the edge are settled with the exact haversine in Python.
    """

    lat: float
    lon: float
    radius: float

    @property
    def margin(self) -> float:
        return self.radius * min(1.0, (self.radius / EARTH_RADIUS_M) ** 2 + 1e-6) + 0.01

    @property
    def inner2(self) -> float:
        return max(0.0, self.radius - self.margin) ** 2

    @property
    def outer2(self) -> float:
        return (self.radius + self.margin) ** 2

    def _box(self) -> Q:
        """The bounding box (its latitude range uses the (latitude, longitude) index)."""
        dlat = math.degrees((self.radius + self.margin) / EARTH_RADIUS_M)
        widest = min(89.0, abs(self.lat) + dlat)  # the circle is widest on its poleward side
        dlon = min(180.0, dlat / max(0.01, math.cos(math.radians(widest))))
        return Q(
            location__latitude__range=(self.lat - dlat, self.lat + dlat),
            location__longitude__range=(self.lon - dlon, self.lon + dlon),
        )

    def _squared_metres(self) -> ExpressionWrapper:
        lat, lon = F("location__latitude"), F("location__longitude")
        cos0, sin0 = math.cos(math.radians(self.lat)), math.sin(math.radians(self.lat))
        half = (lat - Value(self.lat)) * Value(math.pi / 360)  # half the latitude gap, radians
        cos_mid = Value(cos0) - Value(sin0) * half - Value(cos0 / 2) * half * half
        north = (lat - Value(self.lat)) * Value(METRES_PER_DEGREE)
        east = (lon - Value(self.lon)) * Value(METRES_PER_DEGREE) * cos_mid
        return ExpressionWrapper(north * north + east * east, output_field=FloatField())

    def links(self, centroid: Postcode, services: QuerySet | None) -> QuerySet:
        """Links covering the postcode (of `services`, if given) whose location is within the
        circle or its margin, each annotated with `d2` (approximate squared metres)."""
        links = m.ServiceAtLocation.objects.filter(self._box(), _link_coverage(centroid))
        if services is not None:
            links = links.filter(service__in=services)
        return links.annotate(d2=self._squared_metres()).filter(d2__lte=self.outer2)

    def exact(self, links: QuerySet, key: str) -> dict:
        """Exact metres to the nearest location of each `key` of these links."""
        nearest: dict = {}
        for row_id, lat, lon in links.values_list(key, "location__latitude", "location__longitude"):
            metres = haversine_m(self.lat, self.lon, lat, lon)
            nearest[row_id] = min(metres, nearest.get(row_id, math.inf))
        return nearest

    def outside(self, links: QuerySet, key: str) -> set:
        """The `key`s among `links` (see `links`) that are not truly within the circle: those
        with a location in the margin and none inside it."""
        edge = self.exact(links.filter(d2__gt=self.inner2), key)
        doubtful = {row_id for row_id, metres in edge.items() if metres > self.radius}
        if key != "id" and doubtful:
            doubtful -= _passing(links.filter(d2__lte=self.inner2), list(doubtful), key)
        return doubtful


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


def _service_conditions(filters: ServiceFilters, *, with_search: bool = True) -> Q:
    """Every filter that is about the service itself, as one Q on Service."""
    q = Q()
    if filters.statuses:
        q &= Q(status__in=filters.statuses)
    if filters.organization_id:
        q &= Q(organization_id=filters.organization_id)
    if filters.modified_after:
        q &= Q(last_modified__gte=filters.modified_after)
    if filters.minimum_age is not None:
        q &= Q(minimum_age__gte=filters.minimum_age)
    if filters.maximum_age is not None:
        q &= Q(maximum_age__lte=filters.maximum_age)
    if filters.age is not None:
        q &= Q(Q(minimum_age=None) | Q(minimum_age__lte=filters.age)) & Q(
            Q(maximum_age=None) | Q(maximum_age__gte=filters.age)
        )
    if filters.taxonomy_term_id:
        q &= Q(
            Exists(
                m.ServiceAttribute.objects.filter(
                    service=OuterRef("pk"), taxonomy_term_id=filters.taxonomy_term_id
                )
            )
        )
    if filters.taxonomy_id:
        q &= Q(
            Exists(
                m.ServiceAttribute.objects.filter(
                    service=OuterRef("pk"), taxonomy_term__taxonomy_id=filters.taxonomy_id
                )
            )
        )
    schedule_q = _schedule_condition(filters)
    if schedule_q is not None:
        q &= Q(Exists(m.Schedule.objects.filter(schedule_q, service=OuterRef("pk")))) | Q(
            Exists(
                m.Schedule.objects.filter(schedule_q, service_at_location__service=OuterRef("pk"))
            )
        )
    if filters.search and with_search:
        rowids = search.matching_rowids(filters.search)
        if rowids is not None:
            q &= Q(search_rowid__in=rowids)
    return q


MAPPED = Q(ward__isnull=False) | Q(constituency__isnull=False) | Q(place__isnull=False)


def _covering_areas(centroid: Postcode) -> QuerySet:
    covering = Q(place_id=centroid.place_id)
    if centroid.ward_id:
        covering |= Q(ward_id=centroid.ward_id)
        if centroid.ward and centroid.ward.constituency_id:
            covering |= Q(constituency_id=centroid.ward.constituency_id)
    return m.ServiceArea.objects.filter(covering)


def _coverage_condition(centroid: Postcode, field: str = "pk") -> Q:
    """Services with no mapped service area, or with one that contains the postcode.

    Uncorrelated subqueries: the database works each out once, not once per service.
    """
    mapped = m.ServiceArea.objects.filter(MAPPED).values("service_id")
    covering = _covering_areas(centroid).values("service_id")
    return ~Q(**{f"{field}__in": mapped}) | Q(**{f"{field}__in": covering})


def _link_coverage(centroid: Postcode) -> Q:
    """`_coverage_condition` for the links in a circle, in the form each database runs
    fastest (measured with 100,000 services). SQLite: a probe of the coverage index per link
    costs less than building the set of every mapped service on each search. PostgreSQL: "no
    mapped area that the service's covering areas fail to make up for", which it plans as an
    anti-join (an OR of two subqueries it can only run per row, or hash whole)."""
    area = {"service_id": OuterRef("service_id")}
    if connection.vendor == "postgresql":
        covering = _covering_areas(centroid).filter(**area)
        failing = m.ServiceArea.objects.filter(MAPPED, **area).filter(~Exists(covering))
        return ~Q(Exists(failing))
    return ~Exists(m.ServiceArea.objects.filter(MAPPED, **area)) | Exists(
        _covering_areas(centroid).filter(**area)
    )


def _located_links() -> QuerySet:
    """Service-at-location links whose location has a position."""
    return m.ServiceAtLocation.objects.exclude(location__latitude=None).exclude(
        location__longitude=None
    )


def _distances(centroid: Postcode, links: QuerySet, key: str) -> dict[uuid.UUID, float]:
    """Metres from the centroid, nearest per `key` ("id" of the link, or "service_id")."""
    distances: dict[uuid.UUID, float] = {}
    rows = links.values_list(key, "location__latitude", "location__longitude")
    for row_id, lat, lon in rows:
        metres = haversine_m(centroid.latitude, centroid.longitude, lat, lon)
        if metres < distances.get(row_id, math.inf):
            distances[row_id] = metres
    return distances


CHUNK = 500


def _passing(queryset: QuerySet, ids: list, field: str = "id") -> set:
    """Which of `ids` the queryset holds, asked in chunks (bounded by the candidates, not by
    the size of the directory)."""
    kept: set = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        kept.update(queryset.filter(**{f"{field}__in": chunk}).values_list(field, flat=True))
    return kept


def _nearest(
    centroid: Postcode, circle: Circle, services: QuerySet | None, key: str
) -> tuple[Callable[[int | None], list], Callable[[], int]]:
    """`top` and `total` for Results: the database ranks, cuts and counts the `key`s ("id" of
    the link, or "service_id") within the circle; ties in distance are broken by id.

    Counting reads the whole circle once; the first page is ranked within a smaller circle
    that should hold it, judging by the count (widened until it does).
    """
    links = circle.links(centroid, services)
    known: dict[str, Any] = {}

    def outside() -> set:
        if "outside" not in known:  # no second reading of the circle if its edge is empty
            edge = known.get("edge", True)
            known["outside"] = circle.outside(links, key) if edge else set()
        return known["outside"]

    def total() -> int:
        if "total" not in known:
            edge = Q(d2__gt=circle.inner2)
            counts = links.aggregate(n=Count(key, distinct=True), edge=Count("id", filter=edge))
            known["edge"] = counts["edge"] > 0
            known["total"] = counts["n"] - len(outside())
        return known["total"]

    def ranked(within: Circle, limit: int | None) -> list:
        near = within.links(centroid, services) if within is not circle else links
        if key != "id":
            near = near.values(key).annotate(best=Min("d2"))
        ids = near.order_by("best" if key != "id" else "d2", key).values_list(key, flat=True)
        return list(ids if limit is None else ids[:limit])

    def top(limit: int | None) -> list:
        if limit is None:
            return [i for i in ranked(circle, None) if i not in outside()]
        count = total()
        radius = circle.radius * min(1.0, 1.5 * math.sqrt(limit / max(1, count)))
        while True:
            within = dataclasses.replace(circle, radius=radius)
            if within.radius + within.margin >= circle.radius - circle.margin:
                found = ranked(circle, limit + len(outside()))
                return [i for i in found if i not in outside()][:limit]
            found = ranked(within, limit)
            if len(found) >= min(limit, count):
                return found  # wholly inside: none is outside the circle
            radius *= 2

    return top, total


def _measure(circle: Circle, links: QuerySet, key: str) -> Callable[[list], dict]:
    """Exact metres for the rows shown (`key` as in `_nearest`)."""

    def measure(ids: list) -> dict:
        distances = circle.exact(links.filter(**{f"{key}__in": ids}), key)
        return {i: d for i, d in distances.items() if d <= circle.radius}

    return measure


def _planar_distances(circle: Circle, links: QuerySet, key: str) -> dict[uuid.UUID, float]:
    """Approximate metres (within millimetres) of every `key` within the circle."""
    if key == "id":
        rows = links.values_list("id", "d2")
    else:
        rows = links.values(key).annotate(best=Min("d2")).values_list(key, "best")
    outside = circle.outside(links, key)
    return {i: math.sqrt(d2) for i, d2 in rows if i not in outside}


def search_services(filters: ServiceFilters) -> Results[m.Service]:
    """Services matching the filters, ordered by distance (postcode), relevance (search) or name.

    A service's distance is that of its nearest located location; with `proximity`, services
    with no location within it are left out. Raises PostcodeError or UnknownPostcode.
    """
    rest = _service_conditions(filters, with_search=False)
    queryset = m.Service.objects.filter(_service_conditions(filters))
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
        queryset = queryset.filter(_coverage_condition(centroid))
        if filters.proximity is not None:
            return _services_within(filters, centroid, queryset)
    if words:
        found = search.matches(filters.search)
        scores = {rowid: score for _id, rowid, _name, score in found}
        rows = [(uuid.UUID(str(i)), rowid, name) for i, rowid, name, _score in found]
    if filters.postcode:
        links = _located_links().filter(service__in=queryset.values("id"))
        distances = _distances(centroid, links, "service_id")
        if rows is not None:
            kept = _passing(queryset, [r[0] for r in rows])
            rows = [r for r in rows if r[0] in kept]
    if rows is not None and rest:
        kept = _passing(m.Service.objects.filter(rest), [r[0] for r in rows])
        rows = [r for r in rows if r[0] in kept]
    return Results(queryset, scores=scores, distances=distances, rows=rows)


def _services_within(
    filters: ServiceFilters, centroid: Postcode, queryset: QuerySet
) -> Results[m.Service]:
    """Services with a location within `proximity` of the postcode, nearest first.

    The database filters, ranks and counts by an approximate distance (see `Circle`); only
    the rows shown get the exact one. With search words, the matches within the circle are
    ranked in Python (ties in distance then go to the more relevant).
    """
    circle = Circle(centroid.latitude, centroid.longitude, filters.proximity)
    conditions = _service_conditions(filters)
    services = m.Service.objects.filter(conditions) if conditions else None
    links = circle.links(centroid, services)
    measure = _measure(circle, links, "service_id")
    if not search.search_words(filters.search):
        top, total = _nearest(centroid, circle, services, "service_id")
        return Results(queryset, top=top, total=total, measure=measure)
    distances = _planar_distances(circle, links, "service_id")
    found = search.matches(filters.search)
    rows = [(uuid.UUID(str(i)), rowid, name) for i, rowid, name, _score in found]
    return Results(
        queryset,
        scores={rowid: score for _id, rowid, _name, score in found},
        distances=distances,
        within_distance=True,
        rows=[r for r in rows if r[0] in distances],
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
        service__in=services.filter(_coverage_condition(centroid))
    )
    if filters.proximity is None:
        located = queryset.exclude(location__latitude=None).exclude(location__longitude=None)
        return Results(queryset, scores=scores, distances=_distances(centroid, located, "id"))
    circle = Circle(centroid.latitude, centroid.longitude, filters.proximity)
    links = circle.links(centroid, services if rest else None)
    measure = _measure(circle, links, "id")
    if scores is None:  # ties in distance are broken by id
        top, total = _nearest(centroid, circle, services if rest else None, "id")
        return Results(queryset, top=top, total=total, measure=measure)
    distances = _planar_distances(circle, links, "id")
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
