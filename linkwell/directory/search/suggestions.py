"""'Did you mean': a search with a misspelt word, corrected from the directory's own words.

The vocabulary is the full-text index's (SQLite: its `fts5vocab` tables; PostgreSQL:
`ts_stat` over the generated column), so it holds exactly the stems searches can match, with
how many services hold each. A word no service holds is replaced by the closest stem (edit
distance with transpositions: 1 for short words, 2 for longer ones), the more common one
winning a tie, shown as a word a listing really uses. The vocabulary is read once a few
minutes per process (`VOCABULARY_TTL`), not per search.
"""

import re
import time
from dataclasses import dataclass

from django.db import connection

from linkwell.directory.search import fulltext

VOCABULARY_TTL = 300.0  # seconds
TERM_RE = re.compile(r"^[^\W\d_]{3,}$", re.UNICODE)  # letters only, 3 or more


@dataclass(frozen=True)
class Vocabulary:
    by_length: dict[int, list[tuple[str, int]]]  # term length -> (term, services holding it)


_cache: dict[str, tuple[float, Vocabulary]] = {}


def clear_cache() -> None:
    """Forget the vocabulary (tests, and after an import when a fresh one matters)."""
    _cache.clear()


def _read_terms() -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM directory_service')"
            )
        else:
            cursor.execute("SELECT term, doc FROM directory_service_fts_terms")
        return [(term, int(count)) for term, count in cursor.fetchall() if TERM_RE.match(term)]


def vocabulary() -> Vocabulary:
    key = f"{connection.vendor}:{connection.settings_dict.get('NAME')}"
    cached = _cache.get(key)
    if cached and time.monotonic() - cached[0] < VOCABULARY_TTL:
        return cached[1]
    by_length: dict[int, list[tuple[str, int]]] = {}
    for term, count in _read_terms():
        by_length.setdefault(len(term), []).append((term, count))
    found = Vocabulary(by_length)
    _cache[key] = (time.monotonic(), found)
    return found


def distance(a: str, b: str, limit: int) -> int:
    """Edit distance with adjacent transpositions (optimal string alignment), or `limit + 1`
    as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _allowed(word: str) -> int:
    return 1 if len(word) <= 4 else 2


def closest_term(word: str) -> str | None:
    """The index term nearest the word (None if none is near enough)."""
    limit = _allowed(word)
    best: tuple[int, int, str] | None = None
    terms = vocabulary().by_length
    for length in range(len(word) - limit - 2, len(word) + limit + 1):  # stems are shorter
        for term, count in terms.get(length, ()):
            if term[0] != word[0] and term[:2] != word[1:3]:
                continue  # a first letter kept, or just a slip at the start
            d = distance(word, term, limit)
            if len(word) > len(term) >= max(3, len(word) - 4):
                # A stem is a word cut short: what was typed past it costs one edit.
                d = min(d, distance(word[: len(term)], term, limit) + 1)
            if d <= limit and (best is None or (d, -count) < best[:2]):
                best = (d, -count, term)
    return best[2] if best else None


def _surface(term: str, typed: str) -> str:
    """A word as listings write it whose stem is `term`: the one closest to what was typed."""
    words: set[str] = set()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT w FROM (SELECT regexp_split_to_table(lower(coalesce(name, '') "
                "|| ' ' || coalesce(search_terms, '') || ' ' || coalesce(description, '')), "
                "'[^[:alnum:]]+') w FROM directory_service "
                "WHERE search_vector @@ to_tsquery('simple', %s) LIMIT 5) words "
                "WHERE ts_lexize('english_stem', w) = ARRAY[%s::text] LIMIT 20",
                [term, term],
            )
            words = {row[0] for row in cursor.fetchall()}
        else:
            cursor.execute(
                'SELECT i.col, i."offset", s.name, s.search_terms, s.description '
                "FROM directory_service_fts_instances i "
                "JOIN directory_service s ON s.search_rowid = i.doc WHERE i.term = %s LIMIT 10",
                [term],
            )
            for column, offset, *texts in cursor.fetchall():
                text = dict(zip(("name", "search_terms", "description"), texts, strict=True))
                tokens = fulltext.WORD_RE.findall((text.get(column) or "").lower())
                if offset < len(tokens):
                    words.add(tokens[offset])
    if not words:
        return term
    return min(sorted(words), key=lambda w: distance(typed, w, 20))


def _known(word: str) -> bool:
    return fulltext.count_matches(word) > 0


def suggest(text: str) -> str | None:
    """The search with each word no listing holds replaced by the nearest one some listing
    does, or None if nothing would change (every word is known, or none is near)."""
    words = [w.lower() for w in fulltext.WORD_RE.findall(text or "")][: fulltext.MAX_WORDS]
    changed = False
    out = []
    for word in words:
        if (
            word in fulltext.STOP_WORDS
            or not TERM_RE.match(word)
            or _known(word)
            or (term := closest_term(word)) is None
        ):
            out.append(word)
            continue
        out.append(_surface(term, word))
        changed = True
    return " ".join(out) if changed else None
