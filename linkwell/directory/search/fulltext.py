"""The only code that queries the full-text index (see docs/adr/0002).

PostgreSQL keeps a generated `search_vector` column; SQLite an FTS5 table keyed by
`Service.search_rowid`. User text is reduced to plain words here, so no search syntax of
either engine ever reaches the database.
"""

import re
import uuid

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from linkwell.directory.models import Service

WORD_RE = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 12


def search_words(text: str) -> list[str]:
    """The words of a search, lower-cased, without any engine syntax."""
    return [w.lower() for w in WORD_RE.findall(text or "")][:MAX_WORDS]


def _sqlite_match(words: list[str]) -> str:
    # Each word quoted (so AND/OR/NEAR/column filters are just words); FTS5 ANDs them.
    return " ".join('"' + w.replace('"', "") + '"' for w in words)


def matching_rowids(text: str) -> RawSQL | None:
    """A subquery of the `search_rowid`s of services matching every word, or None if no words."""
    words = search_words(text)
    if not words:
        return None
    if connection.vendor == "postgresql":
        return RawSQL(
            "SELECT search_rowid FROM directory_service "
            "WHERE search_vector @@ plainto_tsquery('english', %s)",
            [" ".join(words)],
        )
    return RawSQL(
        "SELECT rowid FROM directory_service_fts WHERE directory_service_fts MATCH %s",
        [_sqlite_match(words)],
    )


def match_scores(text: str) -> dict[int, float]:
    """`search_rowid` -> relevance (higher is better) for every service matching the words.

    Name matches outweigh organisation/taxonomy words, which outweigh the description.
    """
    words = search_words(text)
    if not words:
        return {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT search_rowid, ts_rank_cd(search_vector, q) FROM directory_service, "
                "plainto_tsquery('english', %s) q WHERE search_vector @@ q",
                [" ".join(words)],
            )
        else:
            cursor.execute(
                "SELECT rowid, -bm25(directory_service_fts, 10.0, 4.0, 1.0) "
                "FROM directory_service_fts WHERE directory_service_fts MATCH %s",
                [_sqlite_match(words)],
            )
        return {rowid: float(score) for rowid, score in cursor.fetchall()}


def _pg_match(text: str) -> tuple[RawSQL, RawSQL]:
    query = " ".join(search_words(text))
    hit = RawSQL(
        "directory_service.search_vector @@ plainto_tsquery('english', %s)",
        [query],
        output_field=BooleanField(),
    )
    score = RawSQL(
        "ts_rank_cd(directory_service.search_vector, plainto_tsquery('english', %s))",
        [query],
        output_field=FloatField(),
    )
    return hit, score


class RankedFilteredMatches:
    """`top` and `total` of a word search narrowed by other filters, ranked by the database
    rather than by reading every match into Python (a common word matches a fifth of 100,000
    services). PostgreSQL: one query with the match, its rank and the filters, cut at the
    page. SQLite: FTS5 ranks the matches (bm25, best first) and they are checked against the
    filters a chunk at a time until the page is full. Ties go by rowid, as `top_matches`."""

    CHUNK = 500

    def __init__(self, services: QuerySet, text: str, count_cap: int | None) -> None:
        self.services = services
        self.text = text
        self.count_cap = count_cap
        self._total: int | None = None

    def top(self, limit: int | None) -> list[uuid.UUID]:
        words = search_words(self.text)
        if not words:
            return []
        if connection.vendor == "postgresql":
            hit, score = _pg_match(self.text)
            ranked = (
                self.services.filter(hit)
                .annotate(score=score)
                .order_by("-score", "search_rowid")
                .values_list("id", flat=True)
            )
            return list(ranked if limit is None else ranked[:limit])
        found: list[uuid.UUID] = []
        offset = 0
        while limit is None or len(found) < limit:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT rowid FROM directory_service_fts WHERE directory_service_fts "
                    "MATCH %s ORDER BY bm25(directory_service_fts, 10.0, 4.0, 1.0), rowid "
                    "LIMIT %s OFFSET %s",
                    [_sqlite_match(words), self.CHUNK, offset],
                )
                rowids = [row[0] for row in cursor.fetchall()]
            if not rowids:
                break
            passing = dict(
                self.services.filter(search_rowid__in=rowids).values_list("search_rowid", "id")
            )
            found += [passing[r] for r in rowids if r in passing]
            if len(rowids) < self.CHUNK:  # every match read: the count is known too
                self._total = len(found)
                break
            offset += self.CHUNK
        return found if limit is None else found[:limit]

    def total(self) -> int:
        if self._total is not None:
            return self._total
        if connection.vendor == "postgresql":
            matching = self.services.filter(_pg_match(self.text)[0]).order_by()
        else:
            matching = self.services.filter(search_rowid__in=matching_rowids(self.text)).order_by()
        if self.count_cap is not None:
            return matching[: self.count_cap + 1].count()
        return matching.count()


def count_matches(text: str) -> int:
    """How many services match all the words (the index alone answers)."""
    words = search_words(text)
    if not words:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM directory_service "
                "WHERE search_vector @@ plainto_tsquery('english', %s)",
                [" ".join(words)],
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM directory_service_fts WHERE directory_service_fts MATCH %s",
                [_sqlite_match(words)],
            )
        return int(cursor.fetchone()[0])


class RankedMatches:
    """`top` and `total` of a word search, for Results. On PostgreSQL the first page and the
    count come from one reading of the index (a window count beside the ranked rows), not
    two; SQLite's FTS5 counts from its own index cheaply, so it asks separately."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._total: int | None = None

    def top(self, limit: int | None) -> list[uuid.UUID]:
        words = search_words(self.text)
        if not words or connection.vendor != "postgresql" or limit is None:
            return top_matches(self.text, limit)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, count(*) OVER () FROM directory_service, "
                "plainto_tsquery('english', %s) q WHERE search_vector @@ q "
                "ORDER BY ts_rank_cd(search_vector, q) DESC, search_rowid LIMIT %s",
                [" ".join(words), limit],
            )
            rows = cursor.fetchall()
        self._total = int(rows[0][1]) if rows else 0
        return [uuid.UUID(str(row[0])) for row in rows]

    def total(self) -> int:
        if self._total is None:
            self._total = count_matches(self.text)
        return self._total


def top_matches(text: str, limit: int | None) -> list[uuid.UUID]:
    """Ids of the `limit` most relevant services (all if None), best first; ties by rowid.

    The database ranks and cuts, so a broad search does not bring every match into Python.
    """
    words = search_words(text)
    if not words:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT id FROM directory_service, plainto_tsquery('english', %s) q "
                "WHERE search_vector @@ q ORDER BY ts_rank_cd(search_vector, q) DESC, "
                "search_rowid LIMIT %s",
                [" ".join(words), limit],  # LIMIT NULL: no limit
            )
            return [uuid.UUID(str(row[0])) for row in cursor.fetchall()]
        cursor.execute(
            "SELECT rowid FROM directory_service_fts WHERE directory_service_fts MATCH %s "
            "ORDER BY bm25(directory_service_fts, 10.0, 4.0, 1.0), rowid LIMIT %s",
            [_sqlite_match(words), -1 if limit is None else limit],  # LIMIT -1: no limit
        )
        rowids = [row[0] for row in cursor.fetchall()]
    by_rowid = {}
    for start in range(0, len(rowids), 500):
        chunk = rowids[start : start + 500]
        by_rowid.update(
            Service.objects.filter(search_rowid__in=chunk).values_list("search_rowid", "id")
        )
    return [by_rowid[r] for r in rowids if r in by_rowid]
