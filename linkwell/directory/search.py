"""The only code that queries the full-text index (see docs/adr/0002).

PostgreSQL keeps a generated `search_vector` column; SQLite an FTS5 table keyed by
`Service.search_rowid`. User text is reduced to plain words here, so no search syntax of
either engine ever reaches the database.
"""

import re

from django.db import connection
from django.db.models.expressions import RawSQL

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
