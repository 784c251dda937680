"""The only code that queries the full-text index (see docs/adr/0002 and 0028).

PostgreSQL keeps a generated `search_vector` column (the 'english' configuration: lower case,
stop words, Snowball stems); SQLite an FTS5 table keyed by `Service.search_rowid` (porter
stems over unicode61 with diacritics removed). User text is reduced to plain words here, so
no search syntax of either engine ever reaches the database.

A service matches when it holds ANY of the words (a person's "help with my debts" is not a
list of conditions); those holding ALL of them rank first, then by the engine's relevance
(bm25 on SQLite, ts_rank_cd on PostgreSQL). `score` values: every word match scores above
`WORD_FLOOR`, those with every word above `ALL_WORDS` (see `relevance` for what ranks below).
"""

import json
import re
import uuid
from collections.abc import Collection

from django.db import connection
from django.db.models import FloatField, QuerySet
from django.db.models.expressions import RawSQL

from linkwell.directory.models import Service

WORD_RE = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 12
WORD_FLOOR = 1_000.0  # added to every word match's relevance (need matches score below it)
ALL_WORDS = 1_000_000.0  # added when a service holds every word
BM25 = "bm25(directory_service_fts, 10.0, 4.0, 1.0)"

# Words that say nothing about what is wanted: dropped unless nothing else is left (so a
# search for "the" still searches). PostgreSQL's 'english' configuration drops its own too.
_STOP_TEXT = """a about after all am an and any are as at be been but by can could did do does
for from get got have having he her him his how i if in into is it its just me my near need
needs no not of on or our please she so some that the their them then there these they this
those to too us want wants was we were what when where which who why will with would you
your"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


def search_words(text: str) -> list[str]:
    """The words of a search, lower-cased, without engine syntax or stop words."""
    words = [w.lower() for w in WORD_RE.findall(text or "")]
    kept = [w for w in words if w not in STOP_WORDS]
    return list(dict.fromkeys(kept or words))[:MAX_WORDS]


def _quoted(words: list[str]) -> list[str]:
    # Each word quoted, so AND/OR/NEAR/column filters are just words.
    return ['"' + w.replace('"', "") + '"' for w in words]


def _sqlite_any(words: list[str]) -> str:
    return " OR ".join(_quoted(words))


def _sqlite_all(words: list[str]) -> str:
    return " ".join(_quoted(words))


def _pg_any(words: list[str]) -> tuple[str, list[str]]:
    """A tsquery matching any of the words (each stemmed on its own), and its parameters."""
    return " || ".join(["plainto_tsquery('english', %s)"] * len(words)), list(words)


def _sqlite_scored(words: list[str]) -> tuple[str, list]:
    """SELECT rowid, score over the matches of any word (every-word matches boosted)."""
    boost, params = "", [_sqlite_any(words)]
    if len(words) > 1:
        boost = (
            f" + CASE WHEN rowid IN (SELECT rowid FROM directory_service_fts "  # noqa: S608 (placeholders and constants only)
            f"WHERE directory_service_fts MATCH %s) THEN {ALL_WORDS} ELSE 0 END"
        )
        params = [_sqlite_all(words), *params]
    sql = (
        f"SELECT rowid, {WORD_FLOOR} - {BM25}{boost} AS score FROM directory_service_fts "  # noqa: S608 (placeholders and constants only)
        "WHERE directory_service_fts MATCH %s"
    )
    return sql, params


def _pg_scored(words: list[str], columns: str = "search_rowid") -> tuple[str, list]:
    """SELECT <columns>, score FROM directory_service over the matches of any word."""
    any_sql, any_params = _pg_any(words)
    sql = (
        f"SELECT {columns}, {WORD_FLOOR} + ts_rank_cd(search_vector, q) "  # noqa: S608 (placeholders and constants only)
        f"+ CASE WHEN search_vector @@ qa THEN {ALL_WORDS} ELSE 0 END AS score "
        f"FROM directory_service, (SELECT {any_sql} AS q, "
        "plainto_tsquery('english', %s) AS qa) query "
        "WHERE search_vector @@ q"
    )
    return sql, [*any_params, " ".join(words)]


def _sqlite_every(words: list[str]) -> tuple[str, list]:
    """SELECT rowid, score over the services holding every word (scored as in
    `_sqlite_scored`): the index intersects the words and scores only those."""
    sql = (
        f"SELECT rowid, {WORD_FLOOR + ALL_WORDS} - {BM25} AS score FROM directory_service_fts "  # noqa: S608 (placeholders and constants only)
        "WHERE directory_service_fts MATCH %s"
    )
    return sql, [_sqlite_all(words)]


def _pg_every(words: list[str], columns: str = "search_rowid") -> tuple[str, list]:
    """SELECT <columns>, score FROM directory_service over the services holding every word."""
    sql = (
        f"SELECT {columns}, {WORD_FLOOR + ALL_WORDS} + ts_rank_cd(search_vector, q) AS score "  # noqa: S608 (placeholders and constants only)
        "FROM directory_service, plainto_tsquery('english', %s) q WHERE search_vector @@ q"
    )
    return sql, [" ".join(words)]


def _scored(words: list[str], every: bool, columns: str = "search_rowid") -> tuple[str, list]:
    """The scored matches of this engine (`columns` on PostgreSQL; SQLite gives the rowid)."""
    if connection.vendor == "postgresql":
        return _pg_every(words, columns) if every else _pg_scored(words, columns)
    return _sqlite_every(words) if every else _sqlite_scored(words)


def matching_rowids(text: str, *, every: bool = False) -> RawSQL | None:
    """A subquery of the `search_rowid`s of services holding any of the words (with `every`,
    all of them), or None."""
    words = search_words(text)
    if not words:
        return None
    if every and len(words) > 1:
        if connection.vendor == "postgresql":
            return RawSQL(
                "SELECT search_rowid FROM directory_service "
                "WHERE search_vector @@ plainto_tsquery('english', %s)",
                [" ".join(words)],
            )
        return RawSQL(
            "SELECT rowid FROM directory_service_fts WHERE directory_service_fts MATCH %s",
            [_sqlite_all(words)],
        )
    if connection.vendor == "postgresql":
        any_sql, params = _pg_any(words)
        return RawSQL(  # noqa: S611 (placeholders and constants only)
            f"SELECT search_rowid FROM directory_service WHERE search_vector @@ ({any_sql})",  # noqa: S608 (placeholders and constants only)
            params,
        )
    return RawSQL(
        "SELECT rowid FROM directory_service_fts WHERE directory_service_fts MATCH %s",
        [_sqlite_any(words)],
    )


def match_scores(text: str) -> dict[int, float]:
    """`search_rowid` -> relevance (higher is better) for every service holding a word.

    Every word outranks some; then name matches outweigh organisation/taxonomy words, which
    outweigh the description.
    """
    words = search_words(text)
    if not words:
        return {}
    if connection.vendor == "postgresql":
        sql, params = _pg_scored(words)
    else:
        sql, params = _sqlite_scored(words)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {rowid: float(score) for rowid, score in cursor.fetchall()}


def _among(among: Collection[int] | None, column: str) -> tuple[str, list]:
    """SQL narrowing a full-text query to these rowids ('' for all), and its parameters.

    On SQLite the test is `+rowid` (an expression, not a column): FTS5 would take a plain
    `rowid IN (...)` as a lookup per rowid, each scanning the index (seconds for a few
    hundred), where the expression is checked as the words' matches stream past."""
    if among is None:
        return "", []
    rowids = json.dumps(sorted(among))
    if connection.vendor == "postgresql":
        return f" AND {column} = ANY(%s)", [sorted(among)]
    return " AND +rowid IN (SELECT value FROM json_each(%s))", [rowids]


def every_word_scores(text: str, among: Collection[int] | None = None) -> dict[int, float]:
    """`search_rowid` -> relevance for the services holding EVERY word (of those `among`,
    if given): the scores of `match_scores` for those, found by intersecting the words in
    the index (cheap, where scoring every service holding any common word is not)."""
    words = search_words(text)
    if not words or (among is not None and not among):
        return {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            narrow, extra = _among(among, "search_rowid")
            cursor.execute(
                f"SELECT search_rowid, {WORD_FLOOR + ALL_WORDS} + ts_rank_cd(search_vector, q) "  # noqa: S608 (placeholders and constants only)
                "FROM directory_service, plainto_tsquery('english', %s) q "
                f"WHERE search_vector @@ q{narrow}",
                [" ".join(words), *extra],
            )
        else:
            narrow, extra = _among(among, "rowid")
            cursor.execute(
                f"SELECT rowid, {WORD_FLOOR + ALL_WORDS} - {BM25} FROM directory_service_fts "  # noqa: S608 (placeholders and constants only)
                f"WHERE directory_service_fts MATCH %s{narrow}",
                [_sqlite_all(words), *extra],
            )
        return {rowid: float(score) for rowid, score in cursor.fetchall()}


def matching_rowid_set(text: str, among: Collection[int] | None = None) -> set[int]:
    """The `search_rowid`s of services holding any of the words (of those `among`, if
    given), read into Python (cheaper than the database's NOT IN when set against a few
    thousand other rows)."""
    found = matching_rowids(text)
    if found is None or (among is not None and not among):
        return set()
    sql, params = found.sql, list(found.params)
    if among is not None:
        column = "search_rowid" if connection.vendor == "postgresql" else "rowid"
        narrow, extra = _among(among, column)
        sql, params = sql + narrow, params + extra
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def count_matches(text: str, *, every: bool = False) -> int:
    """How many services hold any of the words (with `every`, all of them); the index alone
    answers."""
    words = search_words(text)
    if not words:
        return 0
    found = matching_rowids(text, every=True) if every and len(words) > 1 else None
    if found is not None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({found.sql}) every_word", found.params)  # noqa: S608 (placeholders and constants only)
            return int(cursor.fetchone()[0])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            any_sql, params = _pg_any(words)
            cursor.execute(
                f"SELECT count(*) FROM directory_service WHERE search_vector @@ ({any_sql})",  # noqa: S608 (placeholders and constants only)
                params,
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM directory_service_fts WHERE directory_service_fts MATCH %s",
                [_sqlite_any(words)],
            )
        return int(cursor.fetchone()[0])


def _pg_filtered(services: QuerySet, words: list[str], every: bool = False) -> QuerySet:
    """The services holding a word (with `every`, all of them), annotated with `score`
    (PostgreSQL, one statement)."""
    if every and len(words) > 1:
        score = RawSQL(  # noqa: S611 (placeholders and constants only)
            f"{WORD_FLOOR + ALL_WORDS} + ts_rank_cd(directory_service.search_vector, "
            "plainto_tsquery('english', %s))",
            [" ".join(words)],
            output_field=FloatField(),
        )
        found = matching_rowids(" ".join(words), every=True)
        return services.filter(search_rowid__in=found).annotate(score=score)
    any_sql, any_params = _pg_any(words)
    score = RawSQL(  # noqa: S611 (placeholders and constants only)
        f"{WORD_FLOOR} + ts_rank_cd(directory_service.search_vector, ({any_sql})) "
        f"+ CASE WHEN directory_service.search_vector @@ plainto_tsquery('english', %s) "
        f"THEN {ALL_WORDS} ELSE 0 END",
        [*any_params, " ".join(words)],
        output_field=FloatField(),
    )
    return services.filter(search_rowid__in=matching_rowids(" ".join(words))).annotate(score=score)


class RankedFilteredMatches:
    """`top` and `total` of a word search narrowed by other filters, ranked by the database
    rather than by reading every match into Python (a common word matches a fifth of 100,000
    services). PostgreSQL: one query with the match, its rank and the filters, cut at the
    page. SQLite: FTS5 ranks the matches (best first) and they are checked against the
    filters a chunk at a time until the page is full. Ties go by rowid, as `top_matches`.
    With `every`, only the services holding every word."""

    CHUNK = 500

    def __init__(
        self, services: QuerySet, text: str, count_cap: int | None, *, every: bool = False
    ) -> None:
        self.services = services
        self.text = text
        self.count_cap = count_cap
        self.every = every
        self._total: int | None = None

    def top(self, limit: int | None) -> list[uuid.UUID]:
        words = search_words(self.text)
        if not words:
            return []
        if connection.vendor == "postgresql":
            ranked = (
                _pg_filtered(self.services, words, self.every)
                .order_by("-score", "search_rowid")
                .values_list("id", flat=True)
            )
            return list(ranked if limit is None else ranked[:limit])
        sql, params = _scored(words, self.every)
        found: list[uuid.UUID] = []
        offset = 0
        while limit is None or len(found) < limit:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"{sql} ORDER BY score DESC, rowid LIMIT %s OFFSET %s",
                    [*params, self.CHUNK, offset],
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
        found = matching_rowids(self.text, every=self.every)
        matching = self.services.filter(search_rowid__in=found).order_by()
        if self.count_cap is not None:
            return matching[: self.count_cap + 1].count()
        return matching.count()


class RankedMatches:
    """`top` and `total` of a word search, for Results. On PostgreSQL the first page and the
    count come from one reading of the index (a window count beside the ranked rows), not
    two; SQLite's FTS5 counts from its own index cheaply, so it asks separately. With
    `every`, only the services holding every word."""

    def __init__(self, text: str, *, every: bool = False) -> None:
        self.text = text
        self.every = every and len(search_words(text)) > 1
        self._total: int | None = None

    def top(self, limit: int | None) -> list[uuid.UUID]:
        words = search_words(self.text)
        if not words or connection.vendor != "postgresql" or limit is None:
            return top_matches(self.text, limit, every=self.every)
        sql, params = _scored(words, self.every, "id, count(*) OVER ()")
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} ORDER BY score DESC, search_rowid LIMIT %s", [*params, limit])
            rows = cursor.fetchall()
        self._total = int(rows[0][1]) if rows else 0
        return [uuid.UUID(str(row[0])) for row in rows]

    def total(self) -> int:
        if self._total is None:
            self._total = count_matches(self.text, every=self.every)
        return self._total


def top_matches(text: str, limit: int | None, *, every: bool = False) -> list[uuid.UUID]:
    """Ids of the `limit` most relevant services (all if None), best first; ties by rowid.
    With `every`, only those holding every word.

    The database ranks and cuts, so a broad search does not bring every match into Python.
    """
    words = search_words(text)
    if not words:
        return []
    every = every and len(words) > 1
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql, params = _scored(words, every, "id")
            cursor.execute(
                f"{sql} ORDER BY score DESC, search_rowid LIMIT %s",
                [*params, limit],  # LIMIT NULL: no limit
            )
            return [uuid.UUID(str(row[0])) for row in cursor.fetchall()]
        rowids: list[int] = []
        if len(words) > 1 and (limit is not None or every):
            # Services holding every word come first: when they fill the page, the index
            # intersects the words and never scores every service holding just one.
            cursor.execute(
                f"SELECT rowid FROM directory_service_fts WHERE directory_service_fts MATCH %s "  # noqa: S608 (placeholders and constants only)
                f"ORDER BY {BM25}, rowid LIMIT %s",
                [_sqlite_all(words), -1 if limit is None else limit],
            )
            rowids = [row[0] for row in cursor.fetchall()]
        if not every and (len(rowids) < (limit or 0) or not rowids):
            sql, params = _sqlite_scored(words)
            cursor.execute(
                f"{sql} ORDER BY score DESC, rowid LIMIT %s",
                [*params, -1 if limit is None else limit],  # LIMIT -1: no limit
            )
            rowids = [row[0] for row in cursor.fetchall()]
    by_rowid = {}
    for start in range(0, len(rowids), 500):
        chunk = rowids[start : start + 500]
        by_rowid.update(
            Service.objects.filter(search_rowid__in=chunk).values_list("search_rowid", "id")
        )
    return [by_rowid[r] for r in rowids if r in by_rowid]
