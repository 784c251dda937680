"""The flows' aggregates, each one GROUP BY over the working tables (see `base.py`): the three
cubes packed per month into documents by `cubes.py`, the caps and wellbeing as rows for their
tables by field attname. Set-based: nothing loops over referrals or groups in Python. Keys
leaving DuckDB go through `as_key` after grouping (once per group)."""

from __future__ import annotations

from typing import Any

import duckdb

from linkwell.intelligence.flows import cubes
from linkwell.intelligence.flows.base import time_of
from linkwell.intelligence.models import FlowCube

# The referrer's organisation is the cube's partner.
REFERRAL_COUNTS = """
SELECT c.month, as_key(o.id) AS partner, c.need, c.status, c.outcome, c.count
FROM (
    SELECT month, source, need, status, outcome, count(*) AS count
    FROM hub_flows_referrals WHERE month IS NOT NULL
    GROUP BY ALL
) AS c
LEFT JOIN hub_flows_orgs o ON o.org = c.source
"""

# Declined (by reason) and still waiting are referrals; "not referred" is a need noticed at
# a contact (Every Contact Counts) for which no referral was sent: the product's record of
# need that found no service.
UNMET_NEED = """
SELECT month, ward_id AS ward, need, kind, reason, count(*) AS count FROM (
    SELECT month, ward_id, need, 'declined' AS kind, decline_code AS reason
    FROM hub_flows_referrals WHERE status = 'declined'
    UNION ALL
    SELECT month, ward_id, need, 'waitlisted', ''
    FROM hub_flows_referrals WHERE status = 'waitlisted'
    UNION ALL
    SELECT strftime({occurred}, '%Y-%m'), p.ward_id, en.need, 'not_referred', ''
    FROM app.referrals_encounterneed en
    JOIN app.referrals_encounter e ON e.id = en.encounter_id
    LEFT JOIN hub_flows_people p ON p.person = hash(e.person_id)
    ANTI JOIN (
        SELECT DISTINCT encounter, need FROM hub_flows_referrals WHERE encounter IS NOT NULL
    ) AS same ON same.encounter = hash(en.encounter_id) AND same.need = en.need
    -- A referral without a need code made from the contact is taken to cover its needs.
    ANTI JOIN (
        SELECT DISTINCT encounter FROM hub_flows_referrals
        WHERE encounter IS NOT NULL AND need = ''
    ) AS any_need ON any_need.encounter = hash(en.encounter_id)
) WHERE month IS NOT NULL
GROUP BY ALL
"""

# Each group's histogram as two lists in the same order (days, and referrals that waited so
# long), from one list of pairs: an ordered aggregate per group cost more than the grouping.
RESPONSE_TIMES = """
SELECT g.month, as_key(o.id) AS partner, g.need, g.answered,
       list_transform(g.h, x -> x.d) AS days, list_transform(g.h, x -> x.n) AS n
FROM (
    SELECT month, partner, need, CAST(sum(n) AS BIGINT) AS answered,
           list({'d': days, 'n': n}) AS h
    FROM (
        SELECT month, partner, need, days, count(*) AS n
        FROM hub_flows_referrals WHERE days IS NOT NULL AND month IS NOT NULL
        GROUP BY ALL
    ) AS h
    GROUP BY ALL
) AS g
LEFT JOIN hub_flows_orgs o ON o.org = g.partner
"""

# The grant year a case counts in starts on the programme's first month on or before it.
CAP_USE = """
WITH c AS (
    SELECT programme_id, practice_id, practice_cap,
           make_date(CAST(year(opened) - CASE WHEN month(opened) < year_month THEN 1 ELSE 0 END
                          AS BIGINT), CAST(year_month AS BIGINT), 1) AS year_start
    FROM hub_flows_cases WHERE opened IS NOT NULL
)
SELECT as_key(c.programme_id) AS programme_id, c.practice_id, c.year_start,
       count(*) AS cases,
       coalesce(any_value(a.cap), CASE WHEN c.practice_id IS NULL THEN 0
                                       ELSE any_value(c.practice_cap) END) AS cap
FROM c
LEFT JOIN app.places_gppractice g ON g.id = c.practice_id
LEFT JOIN app.referrals_programmeallowance a
       ON a.programme_id = c.programme_id AND a.practice_code = g.code
      AND CAST(a.year_start AS DATE) = c.year_start
GROUP BY c.programme_id, c.practice_id, c.year_start
"""

WELLBEING = """
SELECT g.month, g.instrument, g.ward_id, g.quintile, g.need, as_key(o.id) AS partner_id,
       g.pairs, g.change_sum
FROM (
    SELECT c.month, s.instrument, c.ward_id, c.quintile, c.need, c.partner,
           count(*) AS pairs, sum(s.change) AS change_sum
    FROM hub_flows_scores s JOIN hub_flows_cases c USING (case_key)
    WHERE s.change IS NOT NULL AND c.month IS NOT NULL
    GROUP BY ALL
) AS g
LEFT JOIN hub_flows_orgs o ON o.org = g.partner
"""


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    """The result of `sql` as dicts by column name (the aggregate rows, not referrals)."""
    result = con.execute(sql)
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def _referrals(con: duckdb.DuckDBPyConnection) -> int:
    (count,) = con.execute("SELECT count(*) FROM hub_flows_referrals").fetchone()
    return int(count)


def referral_documents(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return cubes.documents(con, FlowCube.REFERRALS, REFERRAL_COUNTS, at_most=_referrals(con))


def unmet_documents(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    occurred = time_of(con, "referrals_encounter", "occurred_at", "e.")
    (needs,) = con.execute("SELECT count(*) FROM app.referrals_encounterneed").fetchone()
    return cubes.documents(
        con,
        FlowCube.UNMET,
        UNMET_NEED.format(occurred=occurred),
        at_most=_referrals(con) + int(needs),
    )


def response_documents(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return cubes.documents(con, FlowCube.RESPONSE, RESPONSE_TIMES, at_most=_referrals(con))
