"""Results of a directory search, not yet fetched: counted, paged, or walked in order.

Ranked results (relevance, distance) are ordered in Python over light (id, rowid, name) rows,
or by the database itself when it can rank and cut alone (see `queries.search_services`).
"""

import heapq
import math
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Generic, TypeVar

from django.db.models import QuerySet

from linkwell.directory import models as m
from linkwell.directory.search.relevance import tier_of

T = TypeVar("T")

# The last page number anyone may ask for: far past any real list (a million pages), and
# small enough that (page - 1) * per_page is an offset every database takes.
MAX_PAGE = 1_000_000


@dataclass
class Page(Generic[T]):
    """One page of results, with the ORUK paging envelope's figures."""

    items: list[T]
    total_items: int
    page_number: int
    per_page: int

    @property
    def total_pages(self) -> int:
        return max(1, math.ceil(self.total_items / self.per_page))

    @property
    def size(self) -> int:
        return len(self.items)

    @property
    def first_page(self) -> bool:
        return self.page_number == 1

    @property
    def last_page(self) -> bool:
        return self.page_number >= self.total_pages

    @property
    def empty(self) -> bool:
        return not self.items

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)


@dataclass
class Results(Generic[T]):
    """Filtered results not yet fetched: count them, page them, or walk them in order.

    `scores` (search relevance by search_rowid) and `distances` (metres by row id) are set
    when the search asked for them; each fetched row then carries `.distance_m`. With
    `within_distance`, rows with no known distance are dropped (a proximity search).
    `rows` (id, search_rowid, name), when given, are the candidates already worked out, so the
    queryset is only used to fetch a page. `top` and `total`, when given, let the database
    rank, cut and count (a search with no other filter, or a proximity search). `measure`,
    when given, works out the exact `.distance_m` of the rows fetched (`distances` may then be
    approximate, for ranking only). `covering` holds the ids there because the service
    covers the searched place's area rather than being within the distance: they are kept
    without a distance (after the nearby ones) and fetched rows say `.covers_area`.
    `names`, when given, reads the names of `rows` given without them (None): names only
    break ties in rank, so only the rows tied at the edge of what is asked for need them.
    """

    queryset: QuerySet
    scores: dict[int, float] | None = None
    distances: dict[uuid.UUID, float] | None = None
    within_distance: bool = False
    rows: list[tuple[uuid.UUID, int, str]] | None = field(default=None, repr=False)
    _rows_cache: list[tuple[uuid.UUID, int, str]] | None = field(default=None, repr=False)
    top: Callable[[int | None], list[uuid.UUID]] | None = field(default=None, repr=False)
    total: Callable[[], int] | None = field(default=None, repr=False)
    _ordered: list[uuid.UUID] | None = field(default=None, repr=False)
    measure: Callable[[list[uuid.UUID]], dict[uuid.UUID, float]] | None = field(
        default=None, repr=False
    )
    count_cap: int | None = None
    covering: set[uuid.UUID] = field(default_factory=set, repr=False)
    names: Callable[[list[uuid.UUID]], dict[uuid.UUID, str]] | None = field(
        default=None, repr=False
    )

    @property
    def ranked(self) -> bool:
        return self.scores is not None or self.distances is not None or self.top is not None

    @property
    def _service_prefix(self) -> str:
        return "" if self.queryset.model is m.Service else "service__"

    @property
    def name_order(self) -> tuple[str, ...]:
        """The order of unranked results: by service name, else the queryset's own order."""
        if self.queryset.model in (m.Service, m.ServiceAtLocation):
            return (f"{self._service_prefix}name", "id")
        return (*(self.queryset.query.order_by or self.queryset.model._meta.ordering), "pk")

    def _candidates(self) -> list[tuple[uuid.UUID, int, str]]:
        if self._rows_cache is None:
            prefix = self._service_prefix
            rows = self.rows
            if rows is None:
                rows = list(
                    self.queryset.values_list("id", f"{prefix}search_rowid", f"{prefix}name")
                )
            if self.within_distance:
                distances = self.distances or {}
                rows = [r for r in rows if r[0] in distances or r[0] in self.covering]
            self._rows_cache = rows
        return self._rows_cache

    def _sort_key(self) -> Callable[[tuple[uuid.UUID, int, str]], tuple]:
        scores, distances = self.scores or {}, self.distances or {}
        return lambda r: (
            tier_of(scores.get(r[1], 0.0)) if scores else 0,
            distances.get(r[0], math.inf),
            -scores.get(r[1], 0.0),
            (r[2] or "").lower(),
            str(r[0]),
        )

    def _named(self, rows: list[tuple[uuid.UUID, int, str]]) -> list[tuple[uuid.UUID, int, str]]:
        """The rows with their names (read for those given without)."""
        missing = [r[0] for r in rows if r[2] is None]
        if not missing or self.names is None:
            return rows
        names = self.names(missing)
        return [r if r[2] is not None else (r[0], r[1], names.get(r[0], "")) for r in rows]

    def _rank_key(self) -> Callable[[tuple[uuid.UUID, int, str]], tuple]:
        """The first part of `_sort_key`: everything but the name and id (ties)."""
        scores, distances = self.scores or {}, self.distances or {}
        if not scores:
            return lambda r: (0, distances.get(r[0], math.inf), 0.0)

        def rank(r: tuple) -> tuple:
            score = scores.get(r[1], 0.0)
            return (tier_of(score), distances.get(r[0], math.inf), -score)

        return rank

    def ordered_ids(self) -> list[uuid.UUID]:
        """Every matching id: with words and a place, by relevance tier (every word, a
        confident need, some words, a weaker need) and nearest first within one; with a place
        alone, nearest first; with words alone, most relevant first."""
        if self._ordered is None and self.top is not None:
            self._ordered = self.top(None)
        if self._ordered is None:
            rows = self._named(self._candidates())
            self._ordered = [r[0] for r in sorted(rows, key=self._sort_key())]
        return self._ordered

    def first_ids(self, count: int) -> list[uuid.UUID]:
        """The first `count` ids in order, without sorting them all (nor reading the names
        of rows that cannot be among them)."""
        if self._ordered is not None:
            return self._ordered[:count]
        if self.top is not None:
            return self.top(count)
        full = self._sort_key()
        rows = self._candidates()
        if self.names is not None and count > 0:
            # Rank without the name, then name the rows up to the last tie of the count-th.
            rank = self._rank_key()
            ranked = [(rank(r), r) for r in rows]
            first = heapq.nsmallest(count, ranked, key=itemgetter(0))
            if first:
                edge = first[-1][0]
                rows = self._named([r for rank, r in ranked if rank <= edge])
        return [r[0] for r in heapq.nsmallest(count, rows, key=full)]

    def count(self) -> int:
        """How many match; with `count_cap`, at most `count_cap + 1` (meaning "more than")."""
        if self.total is not None:
            return self.total()
        if self.ranked:
            return len(self._candidates())
        if self.count_cap is not None:
            return self.queryset.order_by()[: self.count_cap + 1].count()
        return self.queryset.count()

    def first_placed(self, count: int) -> list[tuple[uuid.UUID, float | None, bool]]:
        """The first `count` ids in order, each with its distance (metres, None if not
        measured) and whether it is there by covering the area, without fetching the rows
        (for a ranker that reads its own facts, such as matching)."""
        ids = self.first_ids(count)
        distances = self.measure(ids) if self.measure is not None else self.distances or {}
        return [(i, distances.get(i), i in self.covering) for i in ids]

    def fetch(self, ids: list[uuid.UUID], queryset: QuerySet | None = None) -> list:
        """The rows with these ids, in this order, each with `.distance_m` and `.covers_area`."""
        base = queryset if queryset is not None else self.queryset
        by_id = {row.id: row for row in base.filter(id__in=ids)}
        rows = [by_id[i] for i in ids if i in by_id]
        distances = self.measure(ids) if self.measure is not None else self.distances or {}
        for row in rows:
            row.distance_m = distances.get(row.id)
            row.covers_area = row.id in self.covering
        return rows

    def iterate(self, queryset: QuerySet | None = None, chunk: int = 200) -> Iterator:
        """Every row in order, fetched in chunks (for exports and bulk feeds)."""
        if not self.ranked:
            base = queryset if queryset is not None else self.queryset
            ids = list(self.queryset.order_by(*self.name_order).values_list("id", flat=True))
        else:
            base, ids = queryset, self.ordered_ids()
        for start in range(0, len(ids), chunk):
            yield from self.fetch(ids[start : start + chunk], base)

    def __iter__(self) -> Iterator:
        return self.iterate()


Tier = tuple[Callable[[int | None], list], Callable[[], int]]


def chained(tiers: list[Tier], count_cap: int | None = None) -> Tier:
    """`top` and `total` of ranked lists one after the other (each holding none of the ids
    of those before it): nearby services then those covering the area, word matches then
    need matches. Each `top(n)` must give its first min(n, total) ids."""

    def top(limit: int | None) -> list:
        found: list = []
        for tier_top, _total in tiers:
            if limit is not None and len(found) >= limit:
                break
            found += tier_top(None if limit is None else limit - len(found))
        return found

    def total() -> int:
        count = 0
        for _top, tier_total in tiers:
            count += tier_total()
            if count_cap is not None and count > count_cap:
                return count_cap + 1
        return count

    return top, total


def paginate(
    results: Results, page: int = 1, per_page: int = 20, queryset: QuerySet | None = None
) -> Page:
    """One page of the results (`queryset` may add prefetches to the filtered rows); a page
    past MAX_PAGE is read as MAX_PAGE (callers refuse or clamp it first)."""
    page, per_page = min(max(1, page), MAX_PAGE), max(1, per_page)
    start = (page - 1) * per_page
    if results.ranked:
        ids = results.first_ids(start + per_page)[start:]
        return Page(results.fetch(ids, queryset), results.count(), page, per_page)
    ordered = results.queryset.order_by(*results.name_order)
    cap = results.count_cap
    if cap is not None and start + per_page <= cap + 1:
        # One walk in name order up to the cap gives both the page and the (capped) count.
        first = list(ordered.values_list("pk", flat=True)[: cap + 1])
        ids = first[start : start + per_page]
        return Page(results.fetch(ids, queryset), len(first), page, per_page)
    ids = list(ordered.values_list("pk", flat=True)[start : start + per_page])
    # All of them on the first page: no need to count.
    total = len(ids) if page == 1 and len(ids) < per_page else results.count()
    return Page(results.fetch(ids, queryset), total, page, per_page)
