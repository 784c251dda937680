"""The duplicates part of a hub refresh (see linkwell/intelligence/steps.py): pairs of active
services of different partners that share a need, serve overlapping areas and are described
in similar words.

Set-based in DuckDB, and never all pairs of services: services are put in blocks by (need,
area, one of their rarest words), and only two services in the same block are compared.
Areas overlap when the two name the same ward or constituency, are based in the same ward,
one's ward lies in the other's constituency, or one serves the whole place. A block of more
than `BLOCK_LIMIT` services is skipped (its word is too common there to suggest anything),
and two services are compared only if they share `SHARED_WORDS` of their rarest words.
Pairs at least `THRESHOLD` alike are kept, the `KEEP` most alike of them; the snapshot says
how many were found."""

from __future__ import annotations

import uuid
from typing import Any

from linkwell.directory import vocabularies as vocab
from linkwell.intelligence.duplicates.similarity import create_weights, score_pairs
from linkwell.intelligence.models import DuplicatePair
from linkwell.intelligence.steps import Context, Output

THRESHOLD = 0.4  # cosine of the two services' word weights
KEEP = 500
BLOCK_LIMIT = 200
SHARED_WORDS = 2  # of each service's rarest words (similarity.BLOCKING_WORDS)

SERVICES_SQL = """
CREATE OR REPLACE TEMP TABLE hub_duplicates_services AS
WITH needs AS (
    SELECT as_key(service_id) AS sid, bit_or(CAST(needs AS BIGINT)) AS needs
    FROM app.directory_searchpoint GROUP BY 1
)
SELECT row_number() OVER (ORDER BY as_key(s.id)) AS n,  -- in the order of the ids
       as_key(s.id) AS sid, dense_rank() OVER (ORDER BY as_key(s.partner_id)) AS partner,
       coalesce(p.name, '') AS partner_name, s.name, coalesce(s.description, '') AS description,
       nd.needs
FROM app.directory_service s
JOIN app.accounts_organisation p ON p.id = s.partner_id
JOIN needs nd ON nd.sid = as_key(s.id)
WHERE s.status = 'active' AND nd.needs <> 0
"""

# (n, key, h, implied): "W<ward>", "C<constituency>", "P<place>"; implied keys (a ward's
# constituency and place, a constituency's place) meet only a key the other service names.
AREAS_SQL = """
CREATE OR REPLACE TEMP TABLE hub_duplicates_areas AS
WITH direct AS (
    SELECT DISTINCT as_key(service_id) AS sid, coverage AS key
    FROM app.directory_searchpoint WHERE coverage <> '*'
    UNION
    SELECT DISTINCT as_key(sal.service_id), 'W' || CAST(l.ward_id AS VARCHAR)
    FROM app.directory_serviceatlocation sal
    JOIN app.directory_location l ON l.id = sal.location_id
    WHERE l.ward_id IS NOT NULL
),
wards AS (
    SELECT d.sid, w.constituency_id, w.place_id FROM direct d
    JOIN app.places_ward w ON d.key = 'W' || CAST(w.id AS VARCHAR)
),
implied AS (
    SELECT sid, 'C' || CAST(constituency_id AS VARCHAR) AS key FROM wards
    WHERE constituency_id IS NOT NULL
    UNION
    SELECT sid, 'P' || CAST(place_id AS VARCHAR) FROM wards
    UNION
    SELECT d.sid, 'P' || CAST(c.place_id AS VARCHAR) FROM direct d
    JOIN app.places_constituency c ON d.key = 'C' || CAST(c.id AS VARCHAR)
),
every AS (
    SELECT sid, key, false AS implied FROM direct
    UNION ALL
    SELECT sid, key, true FROM implied
)
SELECT s.n, e.key, hash(e.key) AS h, bool_and(e.implied) AS implied
FROM every e JOIN hub_duplicates_services s USING (sid)
WHERE e.key IN (SELECT key FROM direct)  -- lying in an area nobody names meets no one
GROUP BY s.n, e.key
"""

CANDIDATES_SQL = f"""
CREATE OR REPLACE TEMP TABLE hub_duplicates_candidates AS
WITH rare AS (
    SELECT n, t, count(*) OVER (PARTITION BY n) AS words FROM hub_duplicates_rare
),
keys AS MATERIALIZED (
    -- one block key for (need, area, word): a hash, so blocks group and join on one number
    SELECT s.n, s.partner, hash(bits.bit, a.h, r.t) AS k, a.implied, r.t, r.words
    FROM hub_duplicates_services s
    JOIN range(0, 64) bits(bit) ON ((s.needs >> bits.bit) & 1) = 1
    JOIN hub_duplicates_areas a ON a.n = s.n
    JOIN rare r ON r.n = s.n
),
blocks AS (
    SELECT k FROM keys GROUP BY k HAVING count(*) BETWEEN 2 AND {BLOCK_LIMIT}
)
-- x names the area itself; y names it or lies in it (a pair of two that only lie in it is
-- no overlap: two wards of one constituency). Two of their rarest words in common (or one,
-- for a service of a single word), else the two are not alike enough to compare.
SELECT least(x.n, y.n) AS a, greatest(x.n, y.n) AS b
FROM blocks
JOIN keys x USING (k)
JOIN keys y USING (k)
WHERE NOT x.implied AND x.n <> y.n AND x.partner <> y.partner
  AND (y.implied OR x.n < y.n)
GROUP BY 1, 2
HAVING count(DISTINCT x.t) >= least({SHARED_WORDS}, min(x.words), min(y.words))
"""  # noqa: S608 (constants of ours)

KEPT_SQL = f"""
SELECT sa.sid, sb.sid, p.score, sa.needs & sb.needs AS shared,
       sa.name, sb.name, sa.partner_name, sb.partner_name,
       (SELECT list(DISTINCT x.key ORDER BY x.key)
        FROM hub_duplicates_areas x
        JOIN hub_duplicates_areas y ON y.key = x.key AND y.n = p.b
        WHERE x.n = p.a AND NOT (x.implied AND y.implied)) AS areas
FROM hub_duplicates_scores p
JOIN hub_duplicates_services sa ON sa.n = p.a
JOIN hub_duplicates_services sb ON sb.n = p.b
WHERE p.score >= {THRESHOLD}
ORDER BY p.score DESC, p.a, p.b
LIMIT {KEEP}
"""  # noqa: S608 (constants of ours)

NAMES_SQL = """
SELECT 'W' || CAST(id AS VARCHAR), 'ward', name FROM app.places_ward
UNION ALL SELECT 'C' || CAST(id AS VARCHAR), 'constituency', name FROM app.places_constituency
UNION ALL SELECT 'P' || CAST(id AS VARCHAR), 'place', name FROM app.places_place
"""


def _needs(mask: int) -> list[str]:
    return [term.code for i, term in enumerate(vocab.NEEDS.terms) if mask >> i & 1]


def _areas(keys: list[str], names: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
    found = [names[k] for k in keys if k in names]
    order = {"place": 0, "constituency": 1, "ward": 2}
    return [
        {"kind": kind, "name": name}
        for kind, name in sorted(found, key=lambda f: (order[f[0]], f[1]))
    ]


def build(context: Context) -> Output:
    con = context.con
    con.execute(SERVICES_SQL)
    con.execute(AREAS_SQL)
    create_weights(con, "hub_duplicates_services")
    con.execute(CANDIDATES_SQL)
    score_pairs(con, "hub_duplicates_candidates", "hub_duplicates_scores")
    (candidates,) = con.execute("SELECT count(*) FROM hub_duplicates_candidates").fetchone()
    (found,) = con.execute(
        f"SELECT count(*) FROM hub_duplicates_scores WHERE score >= {THRESHOLD}"  # noqa: S608
    ).fetchone()
    names = {key: (kind, name) for key, kind, name in con.execute(NAMES_SQL).fetchall()}
    rows: list[dict[str, Any]] = []
    for a, b, score, shared, name_a, name_b, partner_a, partner_b, keys in con.execute(
        KEPT_SQL
    ).fetchall():  # at most KEEP pairs
        rows.append(
            {
                "service_a": uuid.UUID(hex=a),
                "service_b": uuid.UUID(hex=b),
                "name_a": name_a[:255],
                "name_b": name_b[:255],
                "partner_a": partner_a[:255],
                "partner_b": partner_b[:255],
                "score": round(float(score), 4),
                "reasons": {
                    "needs": _needs(int(shared)),
                    "areas": _areas(keys or [], names),
                    "similarity": round(float(score) * 100),
                },
            }
        )
    snapshot = {
        "candidates": candidates,
        "found": found,
        "kept": len(rows),
        "keep": KEEP,
        "threshold": THRESHOLD,
    }
    return Output(rows={DuplicatePair: rows}, snapshot=snapshot)
