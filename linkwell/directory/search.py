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


def matches(text: str) -> list[tuple[object, int, str, float]]:
    """(service id, search_rowid, name, relevance) of every service matching all the words.

    One query driven by the index (not a scan of the services), for ranking in Python.
    """
    words = search_words(text)
    if not words:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT id, search_rowid, name, ts_rank_cd(search_vector, q) "
                "FROM directory_service, plainto_tsquery('english', %s) q "
                "WHERE search_vector @@ q",
                [" ".join(words)],
            )
        else:
            cursor.execute(
                "SELECT s.id, s.search_rowid, s.name, -bm25(directory_service_fts, 10.0, 4.0, 1.0) "
                "FROM directory_service_fts JOIN directory_service s "
                "ON s.search_rowid = directory_service_fts.rowid "
                "WHERE directory_service_fts MATCH %s",
                [_sqlite_match(words)],
            )
        return [(row[0], row[1], row[2], float(row[3])) for row in cursor.fetchall()]


def ranked_rows(
    services: QuerySet, text: str
) -> tuple[QuerySet, list[tuple[uuid.UUID, int, str]], dict[int, float]]:
    """The services (already filtered otherwise) that match every word: the narrowed
    queryset, their (id, search_rowid, name) rows and relevance by search_rowid.

    PostgreSQL: one query, the match and its rank beside the other conditions (measured: a
    quarter of the time of matching in a subquery and ranking in a second query). SQLite: the
    FTS5 table cannot be joined through the ORM, so the matches are a subquery.
    """
    words = search_words(text)
    if connection.vendor == "postgresql":
        query = " ".join(words)
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
        matching = services.filter(hit)
        found = list(
            matching.annotate(score=score).values_list("id", "search_rowid", "name", "score")
        )
        return matching, [r[:3] for r in found], {r[1]: float(r[3]) for r in found}
    matching = services.filter(search_rowid__in=matching_rowids(text))
    rows = list(matching.values_list("id", "search_rowid", "name"))
    return matching, rows, match_scores(text)


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
