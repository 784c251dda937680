"""Distance for postcode searches, over `SearchPoint` rows (coverage is their `coverage`).

With a proximity, the database filters, ranks, cuts and counts by a close planar distance
(`Circle`: within 0.5 mm of the great-circle distance at 5 km) and only the rows shown get the
exact haversine one.
"""

import dataclasses
import math
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Rank

from linkwell.places.queries import PlaceMatch

EARTH_RADIUS_M = 6_371_008.8


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

    def box(self) -> Q:
        """The bounding box (its latitude range uses the search-point index)."""
        dlat = math.degrees((self.radius + self.margin) / EARTH_RADIUS_M)
        widest = min(89.0, abs(self.lat) + dlat)  # the circle is widest on its poleward side
        dlon = min(180.0, dlat / max(0.01, math.cos(math.radians(widest))))
        return Q(
            latitude__range=(self.lat - dlat, self.lat + dlat),
            longitude__range=(self.lon - dlon, self.lon + dlon),
        )

    def _squared_metres(self) -> "SquaredMetres":
        return SquaredMetres(self.lat, self.lon)

    def square(self) -> Q:
        """The square inside the circle's inner edge, a little short of it: a point in it is
        surely inside (its `d2` need not be worked out to know). Its longitudes are measured
        where a degree is longest, so it is never wider than it should be."""
        half = 0.999 * max(0.0, self.radius - self.margin) / math.sqrt(2)
        dlat = math.degrees(half / EARTH_RADIUS_M)
        nearest_equator = max(0.0, abs(self.lat) - dlat)
        dlon = dlat / max(0.01, math.cos(math.radians(min(89.0, nearest_equator))))
        return Q(
            latitude__range=(self.lat - dlat, self.lat + dlat),
            longitude__range=(self.lon - dlon, self.lon + dlon),
        )

    def edge(self) -> Q:
        """Links (see `links`) in the edge band: outside the inner edge, by `d2`."""
        return ~self.square() & Q(d2__gt=self.inner2)

    def links(self, points: QuerySet) -> QuerySet:
        """The search points (already narrowed to those covering the postcode and passing the
        filters) within the circle or its margin, each annotated with `d2` (approximate
        squared metres). Points in the inner square pass without their `d2` being tested (the
        database still works it out where it is read, to rank or count the edge)."""
        return (
            points.filter(self.box())
            .annotate(d2=self._squared_metres())
            .filter(self.square() | Q(d2__lte=self.outer2))
        )

    def exact(self, links: QuerySet, key: str) -> dict:
        """Exact metres to the nearest location of each `key` of these links."""
        nearest: dict = {}
        for row_id, lat, lon in links.values_list(key, "latitude", "longitude"):
            metres = haversine_m(self.lat, self.lon, lat, lon)
            nearest[row_id] = min(metres, nearest.get(row_id, math.inf))
        return nearest

    def outside(self, links: QuerySet, key: str) -> set:
        """The `key`s among `links` (see `links`) that are not truly within the circle: those
        with a location in the margin and none inside it."""
        edge = self.exact(links.filter(self.edge()), key)
        doubtful = {row_id for row_id, metres in edge.items() if metres > self.radius}
        if doubtful:
            doubtful -= passing(links.filter(d2__lte=self.inner2), list(doubtful), key)
        return doubtful


class SquaredMetres(Func):
    """`Circle`'s approximate squared metres from (latitude, longitude) as one node: the same
    arithmetic as a tree of about 30 F/Value nodes, which Django copies and resolves on every
    clone of a queryset (more time than the database took to run the query; docs/adr/0030).
    The constants are parameters; the two columns are compiled, so table aliases hold."""

    output_field = FloatField()

    def __init__(self, lat: float, lon: float) -> None:
        super().__init__(F("latitude"), F("longitude"))
        cos0, sin0 = math.cos(math.radians(lat)), math.sin(math.radians(lat))
        self.constants = (lat, lon, cos0, sin0, math.pi / 360)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        lat_sql, lat_params = compiler.compile(self.source_expressions[0])
        lon_sql, lon_params = compiler.compile(self.source_expressions[1])
        lat0, lon0, cos0, sin0, half_rad = self.constants
        dlat = f"({lat_sql} - %s)"
        half = f"({dlat} * %s)"  # half the latitude gap, radians
        cos_mid = f"(%s - %s * {half} - %s * {half} * {half})"
        north = f"({dlat} * %s)"
        east = f"(({lon_sql} - %s) * %s * {cos_mid})"
        sql = f"({north} * {north} + {east} * {east})"
        p_dlat = [*lat_params, lat0]
        p_half = [*p_dlat, half_rad]
        p_cos = [cos0, sin0, *p_half, cos0 / 2, *p_half, *p_half]
        p_north = [*p_dlat, METRES_PER_DEGREE]
        p_east = [*lon_params, lon0, METRES_PER_DEGREE, *p_cos]
        return sql, [*p_north, *p_north, *p_east, *p_east]


def exact_distances(centre: PlaceMatch, links: QuerySet, key: str) -> dict[uuid.UUID, float]:
    """Metres from the place's point, nearest per `key` of located search points."""
    distances: dict[uuid.UUID, float] = {}
    rows = links.values_list(key, "latitude", "longitude")
    for row_id, lat, lon in rows:
        metres = haversine_m(centre.latitude, centre.longitude, lat, lon)
        if metres < distances.get(row_id, math.inf):
            distances[row_id] = metres
    return distances


CHUNK = 500


def passing(queryset: QuerySet, ids: list, field: str = "id") -> set:
    """Which of `ids` the queryset holds, asked in chunks (bounded by the candidates, not by
    the size of the directory)."""
    kept: set = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        kept.update(queryset.filter(**{f"{field}__in": chunk}).values_list(field, flat=True))
    return kept


def nearest(
    circle: Circle,
    points: QuerySet,
    key: str,
    count_cap: int | None = None,
) -> tuple[Callable[[int | None], list], Callable[[], int]]:
    """`top` and `total` for Results: the database ranks, cuts and counts the `key`s
    ("link_id" or "service_id") of the search points within the circle; ties in distance are
    broken by that key.

    Counting reads the whole circle once; the first page is ranked within a smaller circle
    that should hold it, judging by the count (widened until it does). With `count_cap`, a
    circle holding more than that many stops counting there: `total` is then `count_cap + 1`
    ("more than"), read from the first rows the database finds.
    """
    links = circle.links(points)
    known: dict[str, Any] = {}
    if count_cap is not None:
        found = links.values(key).distinct().order_by()[: count_cap + 1].count()
        if found > count_cap:  # (a centimetre's margin at the edge makes no odds here)
            known["total"] = count_cap + 1
        else:
            known["outside"] = circle.outside(links, key)
            known["total"] = found - len(known["outside"])

    def outside() -> set:
        if "outside" not in known:  # no second reading of the circle if its edge is empty
            edge = known.get("edge", True)
            known["outside"] = circle.outside(links, key) if edge else set()
        return known["outside"]

    def total() -> int:
        if "total" not in known:
            edge = circle.edge()
            counts = links.aggregate(n=Count(key, distinct=True), edge=Count("pk", filter=edge))
            known["edge"] = counts["edge"] > 0
            known["total"] = counts["n"] - len(outside())
        return known["total"]

    def ranked(within: Circle, limit: int | None) -> list:
        return [i for i, _best in ranked_best(within, limit)]

    def ranked_best(within: Circle, limit: int | None) -> list[tuple[Any, float]]:
        near = within.links(points) if within is not circle else links
        near = near.values(key).annotate(best=Min("d2"))
        rows = near.order_by("best", key).values_list(key, "best")
        return list(rows if limit is None else rows[:limit])

    def settled(limit: int) -> list:
        """The first `limit` of the whole circle. Only those whose nearest point lies in
        its edge band (millimetres wide: nearly always none) are measured exactly, rather
        than the whole edge of the circle being read first."""
        if "outside" in known:
            found = ranked(circle, limit + len(known["outside"]))
            return [i for i in found if i not in known["outside"]][:limit]
        extra = 0
        while True:
            rows = ranked_best(circle, limit + extra)
            doubtful = [i for i, best in rows if best > circle.inner2]
            out = set()
            if doubtful:
                out = circle.outside(links.filter(**{f"{key}__in": doubtful}), key)
            kept = [i for i, _best in rows if i not in out]
            if len(kept) >= limit or len(rows) < limit + extra:
                return kept[:limit]
            extra += len(out)

    def top(limit: int | None) -> list:
        if limit is None:
            return [i for i in ranked(circle, None) if i not in outside()]
        count = total()
        if count_cap is not None and count > count_cap:
            # how many is not known ("more than"): start small, widening until it holds them
            radius = circle.radius / 4
        else:
            radius = circle.radius * min(1.0, 1.5 * math.sqrt(limit / max(1, count)))
        while True:
            within = dataclasses.replace(circle, radius=radius)
            if within.radius + within.margin >= circle.radius - circle.margin:
                return settled(limit)
            found = ranked(within, limit)
            if len(found) >= min(limit, count):
                return found  # wholly inside: none is outside the circle
            radius *= 2

    return top, total


@contextmanager
def index_scans(using: str) -> Iterator[None]:
    """On PostgreSQL, the statements run within find the words' matches (thousands for a
    common word) through the full-text index, not by a sequential scan: its default costs
    (random_page_cost 4) prefer testing every service's vector to a bitmap scan of the GIN
    index, 60-95 ms against 20-25 for 15,000 matches. Set for these statements only, then
    set back to what it was (in an outer transaction a local setting would outlast the
    savepoint; a failure rolls the savepoint back, setting included). Elsewhere, nothing."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan')")
        (before,) = cursor.fetchone()
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield
        cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [before])


WORDS_READ_ONCE = "SELECT search_rowid FROM serving_words"
"""Stands for the words' matches in the parts of `count_serving` given `words`."""


def count_serving(
    circle: Circle,
    near: QuerySet,
    anywhere: QuerySet,
    words: RawSQL | None = None,
    plain: Callable[[], tuple[QuerySet, QuerySet]] | None = None,
) -> int:
    """How many services have a search point of `near` within the circle or any point of
    `anywhere` (the points naming an area the place lies in, wherever they are), counted in
    one statement.

    The same figure as counting the services within the circle and then reading the area's
    points to find which of them lie beyond it (in Python, measured one by one), which read
    and converted every one of the area's points on each page (a third of the count's time
    for a common word near a town centre). Rows in the circle's edge band (millimetres wide:
    nearly always none) are counted too, then settled exactly, as `nearest` does.

    With `words` (the words' matches), the parts name them as `WORDS_READ_ONCE`: on
    PostgreSQL they are read once for the statement (a materialized CTE), not once a part;
    `plain` then gives the parts naming the matches themselves, to settle the edge band.
    """
    links = circle.links(near)
    whole = IntegerField()
    on_edge = Case(When(circle.edge(), then=Value(1)), default=Value(0), output_field=whole)
    parts = [
        links.annotate(on_edge=on_edge),
        anywhere.annotate(on_edge=Value(0, output_field=whole)),
    ]
    sql, params = [], []
    for part in parts:
        part = part.order_by().values_list("service_key", "on_edge")
        part_sql, part_params = part.query.get_compiler(using=part.db).as_sql()
        sql.append(part_sql)
        params += part_params
    count_sql = (
        "SELECT COUNT(DISTINCT service_key), COALESCE(SUM(on_edge), 0) "  # noqa: S608 (the ORM's SQL, its values as parameters)
        f"FROM ({' UNION ALL '.join(sql)}) serving"
    )
    if words is not None:
        count_sql = f"WITH serving_words AS MATERIALIZED ({words.sql}) {count_sql}"
        params = [*words.params, *params]
    if words is not None:
        with index_scans(near.db), connections[near.db].cursor() as cursor:
            cursor.execute(count_sql, params)
            count, edge_rows = cursor.fetchone()
    else:
        with connections[near.db].cursor() as cursor:
            cursor.execute(count_sql, params)
            count, edge_rows = cursor.fetchone()
    if edge_rows:
        if words is not None and plain is not None:
            near, anywhere = plain()
            links = circle.links(near)
        out = circle.outside(links, "service_key")
        if out:
            out -= set(
                anywhere.filter(service_key__in=list(out)).values_list("service_key", flat=True)
            )
        count -= len(out)
    return int(count)


def nearest_tied(
    circle: Circle, points: QuerySet, key: str, limit: int
) -> list[tuple[Any, float, Any]] | None:
    """The `limit` nearest `key`s within the circle and any tied in distance with the last,
    as (key, approximate metres, search_rowid); None if the circle holds fewer.

    Ranked in the database within a quarter of the circle first, widened by the density
    found until it holds them, so a dense circle is not read whole. Ties are kept for the
    caller to break (by relevance, then name), in the same reading: the rows are cut by their
    rank in distance, not by a count, so those tied with the last come however many they are
    (many services can share one address; reading a few past the last and then asking again
    for all those tied read the circle twice)."""
    radius = circle.radius / 4
    while True:
        within = dataclasses.replace(circle, radius=radius)
        if within.radius + within.margin >= circle.radius - circle.margin:
            within = circle
        ranked = (
            within.links(points)
            .values(key)
            .annotate(best=Min("d2"), rowid=Min("service_key"))
            .annotate(position=Window(Rank(), order_by=F("best").asc()))
            .filter(position__lte=limit)
            .order_by("best", key)
        )
        rows = list(ranked.values_list(key, "best", "rowid"))
        if len(rows) >= limit:
            break
        if within is circle:
            return None
        # as many again as the density read so far says the page needs, at least twice as far
        radius *= max(2.0, 1.2 * math.sqrt(limit / max(1, len(rows))))
    if within is circle:  # the edge band: those truly outside the circle are dropped
        doubtful = [row[0] for row in rows if row[1] > circle.inner2]
        if doubtful:
            links = circle.links(points)
            out = circle.outside(links.filter(**{f"{key}__in": doubtful}), key)
            rows = [row for row in rows if row[0] not in out]
            if len(rows) < limit:
                return None
    return [(row_id, math.sqrt(best), rowid) for row_id, best, rowid in rows]


def exact_measure(
    circle: Circle, links: QuerySet, key: str, *, by_service: bool = False
) -> Callable[[list], dict]:
    """Exact metres for the rows shown (`key` as in `nearest`).

    With `by_service` (key "service_id"), each service's located points are read by the service's
    index with no other condition, rather than by walking the circle (or, as SQLite plans a
    service's points under the search's filters, every point of the area keys: 10 ms against
    0.5 ms). The same distances: a search point's facts are its service's, copied to each of
    its points, and each area key carries all its locations, so every point of a service
    found holds its filters; and a point outside the circle is further than the radius, so the
    nearest of them all is the nearest within whenever that is within the radius.
    """

    def measure(ids: list) -> dict:
        if by_service:
            rows = links.model.objects.filter(**{f"{key}__in": ids}).exclude(latitude=None)
        else:
            rows = links.filter(**{f"{key}__in": ids})
        distances = circle.exact(rows, key)
        return {i: d for i, d in distances.items() if d <= circle.radius}

    return measure


def planar_distances(
    circle: Circle, links: QuerySet, key: str, facts: dict | None = None, *fields: str
) -> dict[uuid.UUID, float]:
    """Approximate metres (within millimetres) of every `key` within the circle.

    One reading of the circle: rows in its edge band are settled with the exact distance
    here (as `Circle.outside` does), rather than by a second query. With `facts`, the
    `fields` of each `key` read in the same pass are put there (key -> list of values).
    """
    rows = links.values_list(key, "d2", "latitude", "longitude", *fields)
    best: dict = {}
    inside: set = set()
    edge: dict = {}
    inner2 = circle.inner2
    for row_id, d2, lat, lon, *values in rows:
        if facts is not None:
            facts[row_id] = values
        if d2 < best.get(row_id, math.inf):
            best[row_id] = d2
        if d2 <= inner2:
            inside.add(row_id)
        else:
            metres = haversine_m(circle.lat, circle.lon, lat, lon)
            edge[row_id] = min(metres, edge.get(row_id, math.inf))
    outside = {i for i, metres in edge.items() if metres > circle.radius and i not in inside}
    return {i: math.sqrt(d2) for i, d2 in best.items() if i not in outside}
