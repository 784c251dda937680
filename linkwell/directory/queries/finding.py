"""Finding services: the one search engine behind the ORUK API, the public page and staff
matches (docs/adr/0028).

Words find services holding any of them and services tagged with a need the words signal,
ranked in tiers: every word, a confidently signalled need, some words, a weaker need
(`search.relevance.word_tiers`). Filters on what a service has (needs, cost,
languages...) and, with a place, its coverage and position are read from `SearchPoint` rows
(docs/adr/0013), the rest from the service's own rows.

A service serves a place when it is located within the distance of it, or names an area the
place lies in (a ward, a constituency, the whole district): the nearby ones come first,
nearest first, then those covering the area (by relevance, then name), marked
`.covers_area`. With a proximity, the database filters, ranks, cuts and counts search points
by a close planar distance (`Circle`), and only the rows shown get the exact great-circle one;
without, every located service's distance is worked out in Python.
"""

import dataclasses
import uuid
from collections import Counter
from collections.abc import Iterable
from contextlib import nullcontext

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Exact

from linkwell.directory import models as m
from linkwell.directory import vocabularies as vocab
from linkwell.directory.queries.filters import ServiceFilters
from linkwell.directory.search import fulltext as search
from linkwell.directory.search import points as search_points
from linkwell.directory.search import relevance
from linkwell.directory.search.proximity import (
    CHUNK,
    WORDS_READ_ONCE,
    Circle,
    count_serving,
    exact_distances,
    exact_measure,
    haversine_m,
    index_scans,
    nearest,
    nearest_tied,
    planar_distances,
)
from linkwell.directory.search.results import Results, chained
from linkwell.places.queries import PlaceMatch, PlaceNotUnderstood, find_place

# The error a place not understood raises (its message says what to type instead).
UnknownPostcode = PlaceNotUnderstood


def place_of(filters: ServiceFilters) -> PlaceMatch | None:
    """The place searched from, if any. Raises PlaceNotUnderstood."""
    if filters.place is not None:
        return filters.place
    if not filters.postcode:
        return None
    return find_place(filters.postcode)


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
    """Services passing every filter but the place (no ranking); with the words, those
    holding one or tagged with a need they signal.

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
    if with_words:
        found = relevance.candidates(filters.search, _expanding(filters.search))
        if found is not None:
            services = services.filter(found)
    return services


# A need or life-stage term's id (stable: `vocab.stable_id`) -> the search-point field and
# bit that record it (`search_points.rows_of` sets exactly those from the service's tags).
_VOCABULARY_TERM_BITS = {
    vocab.stable_id("term", vocabulary.key, term.code): (field, bit(term.code))
    for vocabulary, field, bit in (
        (vocab.NEEDS, "needs", search_points.need_bit),
        (vocab.LIFE_STAGES, "life_stages", search_points.life_stage_bit),
    )
    for term in vocabulary.terms
}


def _vocabulary_term_fact(term_id: uuid.UUID | None) -> Q | None:
    """A need or life-stage term (the ORUK `taxonomy_term_id`) as the search-point bit that
    records it (the same services), else None (other terms go through the service's tags)."""
    if term_id is None:
        return None
    field_bit = _VOCABULARY_TERM_BITS.get(term_id)
    return _has_bit(*field_bit) if field_bit else None


def _covering_points(
    filters: ServiceFilters,
    place: PlaceMatch,
    keys: list[str] | None = None,
    matches: RawSQL | None = None,
) -> QuerySet[m.SearchPoint]:
    """Search points of services available at the place (everywhere, or an area it lies
    in; or under these coverage `keys` only) that pass every other filter (and hold a word
    or a signalled need; `matches`, if given, stands for the words' matches)."""
    keys = search_points.coverage_keys(place) if keys is None else keys
    points = m.SearchPoint.objects.filter(coverage__in=keys)
    facts = _copied_facts(filters) & _derived_facts(filters)
    term_fact = _vocabulary_term_fact(filters.taxonomy_term_id)
    if term_fact is not None:  # read from the points, not through every tagged service
        facts &= term_fact
        filters = dataclasses.replace(filters, taxonomy_term_id=None)
    if facts:
        points = points.filter(facts)
    related = _related_facts(filters)
    if related:
        services = m.Service.objects.filter(related)
        points = points.filter(service_key__in=services.values("search_rowid"))
    found = relevance.point_candidates(filters.search, _expanding(filters.search), matches)
    if found is not None:  # once for the statement, not per point
        points = points.filter(found)
    return points


def _expanding(text: str) -> relevance.SignalledNeeds:
    """The needs that widen a search for these words (see `relevance.beyond_words`)."""
    return relevance.beyond_words(text, relevance.signalled_needs(text))


def _only_words(filters: ServiceFilters) -> bool:
    return filters == ServiceFilters(search=filters.search)


def search_services(filters: ServiceFilters, *, count_cap: int | None = None) -> Results[m.Service]:
    """Services matching the filters, ordered by distance (a place), relevance (words) or
    name; with a place, those covering its area come after the nearby ones.

    A service's distance is that of its nearest located location; with `proximity`,
    services with no location within it are kept only if they name an area the place lies
    in. With `count_cap`, counting may stop past that many (the count is then
    `count_cap + 1`: "more than"), as a page needs no exact figure.
    Raises PlaceNotUnderstood.
    """
    term = filters.taxonomy_term_id
    if term is not None and filters == ServiceFilters(taxonomy_term_id=term):
        return _tagged(term, count_cap)
    words = search.search_words(filters.search)
    needs = _expanding(filters.search) if words else relevance.NO_NEEDS
    place = place_of(filters)
    if place is None:
        if not words:
            return Results(_services(filters), count_cap=count_cap)
        only_words = _only_words(filters)
        if only_words:
            services: QuerySet = m.Service.objects.all()
        else:
            services = _services(filters, with_words=False)
        tiers = relevance.word_tiers(services, filters.search, count_cap, only_words=only_words)
        top, total = chained(tiers, count_cap)
        total = (
            relevance.word_total(services, filters.search, count_cap, only_words=only_words)
            or total
        )
        found = relevance.candidates(filters.search, needs)
        return Results(services.filter(found), scores={}, top=top, total=total)
    points = _covering_points(filters, place)
    if filters.proximity is not None:
        return _services_within(filters, place, points, count_cap)
    scores = relevance.scores(filters.search, points) if words else None
    queryset = m.Service.objects.filter(search_rowid__in=points.values("service_key"))
    distances = exact_distances(place, points.exclude(latitude=None), "service_id")
    area = points.filter(coverage__in=search_points.area_keys(place))
    unlocated = set(area.values_list("service_id", flat=True)) - set(distances)
    return Results(
        queryset, scores=scores, distances=distances, count_cap=count_cap, covering=unlocated
    )


# A term tagging at least this many services is walked in name order (probing each
# service's tag) rather than from its tags: the walk reads about `end * services / tagged`
# rows to fill a page, the tags' way reads and sorts every tagged service (measured with
# 100,000 services: 2-15 ms against 30-70 ms for a term on 10,000-25,000 services; under
# 5,000 the tags' way takes 15 ms or less, however large the directory).
WALK_FROM = 8_000
PER_WALK = 50  # the page size WALK_FROM was measured for: deeper pages need more tags


def _tagged(term_id: uuid.UUID, count_cap: int | None) -> Results[m.Service]:
    """Services tagged with a term, in name order, counted from the term's tags (a tag per
    service and term) rather than testing every service against the tags (docs/adr/0030).
    The page is read whichever way costs less for the term (`WALK_FROM`)."""
    tags = m.ServiceAttribute.objects.filter(taxonomy_term_id=term_id)
    known: dict[str, int] = {}

    def total() -> int:
        if "total" not in known:
            known["total"] = tags.count()
        found = known["total"]
        return found if count_cap is None or found <= count_cap else count_cap + 1

    def top(limit: int | None) -> list[uuid.UUID]:
        if limit is not None and total() * PER_WALK >= WALK_FROM * max(limit, PER_WALK):
            tagged = Exists(tags.filter(service_id=OuterRef("pk")))
            walk = m.Service.objects.filter(tagged).order_by("name", "id")
            return list(walk.values_list("id", flat=True)[:limit])
        ids = tags.order_by("service__name", "service_id").values_list("service_id", flat=True)
        return list(ids if limit is None else ids[:limit])

    return Results(m.Service.objects.all(), top=top, total=total)


class _Beyond:
    """Services covering an area the place lies in with no location within the circle,
    by name (ids read once, when first asked).

    A service's rows under each area key carry all its locations, so its area rows alone
    say whether it is near: they are read once (an index range per area key, a few
    thousand rows at most) and measured here with the exact distance, rather than set
    against the whole circle in SQL."""

    def __init__(self, points: QuerySet, circle: Circle, place: PlaceMatch) -> None:
        self.area = points.filter(coverage__in=search_points.area_keys(place))
        self.circle = circle
        self._far: set[uuid.UUID] | None = None
        self._ordered: list[uuid.UUID] | None = None
        # service id -> (search_rowid, need bits), read with the ids
        self.facts: dict[uuid.UUID, tuple[int, int]] = {}

    def ids(self) -> set[uuid.UUID]:
        if self._far is None:
            self.settle(
                self.area.values_list("service_id", "latitude", "longitude", "service_key", "needs")
            )
        assert self._far is not None
        return self._far

    def settle(self, rows: Iterable[tuple]) -> None:
        """Work out the ids from the area's rows (service_id, latitude, longitude,
        search_rowid, need bits), read here or with another reading."""
        near: set[uuid.UUID] = set()
        every: set[uuid.UUID] = set()
        circle = self.circle
        facts = self.facts
        for service_id, lat, lon, rowid, needs in rows:
            every.add(service_id)
            facts[service_id] = (rowid, needs)
            if lat is not None and haversine_m(circle.lat, circle.lon, lat, lon) <= circle.radius:
                near.add(service_id)
        self._far = every - near

    def by_name(self) -> list[uuid.UUID]:
        """The ids in name order (names read only when a page reaches them)."""
        if self._ordered is None:
            far = list(self.ids())
            named: list[tuple[str, str, uuid.UUID]] = []
            for start in range(0, len(far), CHUNK):
                chunk = m.Service.objects.filter(pk__in=far[start : start + CHUNK])
                named += [(name, str(pk), pk) for pk, name in chunk.values_list("id", "name")]
            self._ordered = [pk for _name, _key, pk in sorted(named)]
        return self._ordered


def _services_within(
    filters: ServiceFilters, place: PlaceMatch, points: QuerySet, count_cap: int | None
) -> Results[m.Service]:
    """Services with a location within `proximity` of the place, nearest first, then those
    covering its area (by relevance, then name).

    The database filters, ranks and counts by an approximate distance (see `Circle`); only
    the rows shown get the exact one. With search words, the matches are ranked in Python
    (ties in distance then go to the more relevant).
    """
    circle = Circle(place.latitude, place.longitude, filters.proximity)
    links = circle.links(points)
    measure = exact_measure(circle, links, "service_id", by_service=True)
    beyond = _Beyond(points, circle, place)
    if not search.search_words(filters.search):
        covering: set[uuid.UUID] = set()

        def beyond_top(limit: int | None) -> list:
            if limit == 0 or not beyond.ids():
                return []
            found = beyond.by_name() if limit is None else beyond.by_name()[:limit]
            covering.update(found)
            return found

        def beyond_total() -> int:
            return len(beyond.ids())

        near_top, near_total = nearest(circle, points, "service_id", count_cap)
        top, total = chained([(near_top, near_total), (beyond_top, beyond_total)], count_cap)
        return Results(
            m.Service.objects.all(), top=top, total=total, measure=measure, covering=covering
        )
    # With words: the services holding every word near the place rank first, so when there
    # are a page of them, the page is read from them alone; the count is the database's.
    # Otherwise (or for every row in order) all the matches are read and ranked in Python.
    everything: list[Results[m.Service]] = []
    covering: set[uuid.UUID] = set()

    def ranked_all() -> Results[m.Service]:
        if not everything:
            everything.append(_words_within(filters.search, circle, links, beyond))
            covering.update(everything[0].covering)
        return everything[0]

    def top(limit: int | None) -> list:
        if limit is not None and not everything:
            found = _every_word_near(filters, place, circle, limit)
            if found is not None:
                return found
        results = ranked_all()
        return results.ordered_ids() if limit is None else results.first_ids(limit)

    counted: list[int] = []

    def total() -> int:
        if everything:  # every match was read for the page: they are the count
            found = everything[0].count()
        elif counted:
            found = counted[0]
        elif count_cap is None:
            area = search_points.area_keys(place)
            others = [key for key in search_points.coverage_keys(place) if key not in area]
            # On PostgreSQL, when a point may pass by a signalled need instead, the words'
            # test sits in an OR, which it reads as a hashed subplan of every match, once a
            # part: the matches are then read once for both (ADR 0040, amendment). Without
            # the OR it joins the points to their services, and that is left alone. (SQLite
            # builds its list of the matches per use either way.)
            words = None
            if connection.vendor == "postgresql" and _expanding(filters.search).mask:
                words = search.matching_rowids(filters.search)
            once = RawSQL(WORDS_READ_ONCE, []) if words is not None else None  # noqa: S611 (a constant)

            def parts(matches: RawSQL | None = None) -> tuple[QuerySet, QuerySet]:
                """The points near (other keys) and covering the area, naming `matches`."""
                near = _covering_points(filters, place, others, matches)
                return near, _covering_points(filters, place, area, matches)

            counted.append(count_serving(circle, *parts(once), words, parts))
            found = counted[0]
        else:
            found = nearest(circle, points, "service_id", count_cap)[1]()
            if found <= count_cap:
                found += len(beyond.ids())
        return found if count_cap is None else min(found, count_cap + 1)

    return Results(
        m.Service.objects.all(), top=top, total=total, measure=measure, covering=covering
    )


def _every_word_near(
    filters: ServiceFilters, place: PlaceMatch, circle: Circle, limit: int
) -> list[uuid.UUID] | None:
    """The first `limit` services holding every word within the circle (nearest first, then
    the more relevant, then by name), if there are that many; else None. The database ranks
    the points holding every word by distance; relevance and names are read only to break
    ties in distance (services at one address)."""
    if limit <= 0:
        return []
    every = search.matching_rowids(filters.search, every=True)
    if every is None:
        return None
    points = _covering_points(dataclasses.replace(filters, search=""), place)
    found = nearest_tied(circle, points.filter(service_key__in=every), "service_id", limit)
    if found is None:
        return None
    distances = {i: metres for i, metres, _rowid in found}
    rows = [(i, rowid, None) for i, _metres, rowid in found]
    shared = Counter(distances.values())
    tied = {rowid for i, metres, rowid in found if shared[metres] > 1}
    scores = dict.fromkeys((rowid for _i, rowid, _name in rows), search.ALL_WORDS)
    if tied:  # every one of them holds every word: the same tier, whatever their relevance
        scores |= search.every_word_scores(filters.search, tied)
    near = Results(
        m.Service.objects.all(),
        scores=scores,
        distances=distances,
        rows=rows,
        names=_names,
    )
    return near.first_ids(limit)


def _words_within(
    text: str, circle: Circle, links: QuerySet, beyond: "_Beyond"
) -> Results[m.Service]:
    """Every match within the circle and covering the area, ranked in Python: read with their
    rowid and need bits in the one reading that gives their distance (not fetched again by
    id), those covering the area beyond from its reading. Names are read only for
    the rows tied at a page's edge."""
    facts: dict[uuid.UUID, list] = {}
    # Words signalling a need are tested in an OR with the need bits, which PostgreSQL reads
    # as a hashed subplan of every match: through the full-text index, not a sequential scan
    # of the services (ADR 0040, amendment; 95 to 20 ms a statement for "exercise class").
    with index_scans(links.db) if _expanding(text).mask else nullcontext():
        distances = planar_distances(circle, links, "service_id", facts, "service_key", "needs")
        far = beyond.ids()
    known = {i: tuple(facts[i]) for i in distances}
    known |= {i: beyond.facts[i] for i in far if i not in known}
    rows: list[tuple[uuid.UUID, int, str | None]] = [
        (i, rowid, None) for i, (rowid, _bits) in known.items()
    ]
    needs_of = dict(known.values())
    return Results(
        m.Service.objects.all(),
        # Scored among the rows that can be shown: those within the circle and the area beyond.
        scores=relevance.scores(text, among=needs_of, needs_of=needs_of),
        distances=distances,
        within_distance=True,
        rows=rows,
        covering=far,
        names=_names,
    )


def _names(ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The names of these services (read in chunks)."""
    names: dict[uuid.UUID, str] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = m.Service.objects.filter(pk__in=ids[start : start + CHUNK])
        names.update(chunk.values_list("id", "name"))
    return names


def search_service_at_locations(filters: ServiceFilters) -> Results[m.ServiceAtLocation]:
    """Service-at-location rows whose service matches the filters (same ordering rules; a
    place keeps the links of services available there, within the distance if given).
    Raises PlaceNotUnderstood."""
    words = search.search_words(filters.search)
    scores = relevance.scores(filters.search) if words else None
    place = place_of(filters)
    if place is None:
        links = m.ServiceAtLocation.objects.filter(service__in=_services(filters))
        return Results(links, scores=scores)
    points = _covering_points(filters, place)
    services = m.Service.objects.filter(search_rowid__in=points.values("service_key"))
    queryset = m.ServiceAtLocation.objects.filter(service__in=services)
    if filters.proximity is None:
        distances = exact_distances(place, points.exclude(latitude=None), "link_id")
        return Results(queryset, scores=scores, distances=distances)
    circle = Circle(place.latitude, place.longitude, filters.proximity)
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
