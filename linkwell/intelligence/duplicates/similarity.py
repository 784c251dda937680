"""How alike two services' words are, in DuckDB: TF-IDF weights over the words of each active
service's name (counted twice, as names say most) and description, and the cosine of two
services' weight vectors. Only candidate pairs are ever compared (see `build`), never all
pairs of services.

Words are lower-case runs of letters and digits of 3 characters or more, less common English
words that say nothing about what a service does."""

from __future__ import annotations

import duckdb

_STOPWORDS = (
    "and the for with you your are our who that this from can all any but not has have "
    "was were will into out about more their them they its also how what when where which "
    "there than then one two per may other such via each over under only some most very "
    "own get got use used using help helps people person service services support offer "
    "offers provide provides provided available"
)
STOPWORDS = frozenset(_STOPWORDS.split())

# Each service's rarest words, used to pick candidates (blocking); the cosine reads all words.
BLOCKING_WORDS = 4


def create_weights(con: duckdb.DuckDBPyConnection, services: str) -> None:
    """TEMP tables `hub_duplicates_weights(n, t, df, w)`: each service's words (`t`, a hash
    of the word) with their TF-IDF weight (unit length per service), and
    `hub_duplicates_rare(n, t)`: each service's `BLOCKING_WORDS` rarest words that some
    other service uses too.
    `services` names a table with columns n (an integer id), name, description."""
    stop = ", ".join(f"'{word}'" for word in sorted(STOPWORDS))  # our own words, a-z only
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE hub_duplicates_terms AS
        WITH words AS (
            SELECT n, unnest(regexp_split_to_array(
                lower(name || ' ' || name || ' ' || description), '[^a-z0-9]+')) AS term
            FROM {services}
        )
        SELECT n, hash(term) AS t, count(*) AS tf
        FROM words
        WHERE length(term) >= 3 AND term NOT IN ({stop})
        GROUP BY ALL
    """)  # noqa: S608 (a table name of ours)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE hub_duplicates_weights AS
        WITH total AS (SELECT count(*) AS services FROM {services}),
        df AS (SELECT t, count(*) AS df FROM hub_duplicates_terms GROUP BY t),
        raw AS (
            SELECT w.n, w.t, df.df,
                   (1 + ln(w.tf)) * (ln((total.services + 1.0) / (df.df + 1.0)) + 1) AS w
            FROM hub_duplicates_terms w JOIN df USING (t), total
        )
        SELECT n, t, df, w / sqrt(sum(w * w) OVER (PARTITION BY n)) AS w FROM raw
    """)  # noqa: S608
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE hub_duplicates_rare AS
        SELECT n, t FROM hub_duplicates_weights
        WHERE df >= 2  -- a word no other service uses finds no one
        QUALIFY row_number() OVER (PARTITION BY n ORDER BY df, t) <= {BLOCKING_WORDS}
    """)  # noqa: S608


def score_pairs(con: duckdb.DuckDBPyConnection, candidates: str, into: str) -> None:
    """TEMP table `into(a, b, score)`: the cosine of each candidate pair's word weights."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {into} AS
        SELECT c.a, c.b, sum(x.w * y.w) AS score
        FROM {candidates} c
        JOIN hub_duplicates_weights x ON x.n = c.a
        JOIN hub_duplicates_weights y ON y.n = c.b AND y.t = x.t
        GROUP BY c.a, c.b
    """)  # noqa: S608
