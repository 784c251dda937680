"""The flows' aggregates, each one GROUP BY over the working tables (see `base.py`), giving
rows for the hub's tables by field attname. Set-based: nothing loops over referrals."""

from __future__ import annotations

import json
from typing import Any

import duckdb

REFERRAL_COUNTS = """
SELECT month, source AS source_id, need, status, outcome, count(*) AS count
FROM hub_flows_referrals
WHERE month IS NOT NULL
GROUP BY ALL
"""

# Declined (by reason) and still waiting are referrals; "not referred" is a need noticed at
# a contact (Every Contact Counts) for which no referral was made: the product's record of
# need that found no service.
UNMET_NEED = """
SELECT month, ward_id, need, kind, reason, count(*) AS count FROM (
    SELECT month, ward_id, need, 'declined' AS kind, decline_code AS reason
    FROM hub_flows_referrals WHERE status = 'declined'
    UNION ALL
    SELECT month, ward_id, need, 'waitlisted', ''
    FROM hub_flows_referrals WHERE status = 'waitlisted'
    UNION ALL
    SELECT strftime(as_time(e.occurred_at), '%Y-%m'), p.ward_id, en.need, 'not_referred', ''
    FROM app.referrals_encounterneed en
    JOIN app.referrals_encounter e ON e.id = en.encounter_id
    LEFT JOIN hub_flows_people p ON p.person = as_key(e.person_id)
    -- A referral without a need code made from the contact is taken to cover its needs.
    ANTI JOIN (
        SELECT DISTINCT encounter_id, coalesce(need, '') AS need
        FROM app.referrals_referral
        WHERE encounter_id IS NOT NULL AND status <> 'draft'
    ) r ON r.encounter_id = en.encounter_id AND (r.need = en.need OR r.need = '')
) WHERE month IS NOT NULL
GROUP BY ALL
"""

RESPONSE_TIMES = """
SELECT month, partner AS partner_id, need, sum(n) AS answered,
       CAST(json_group_object(CAST(days AS VARCHAR), n) AS VARCHAR) AS days
FROM (
    SELECT month, partner, need, days, count(*) AS n
    FROM hub_flows_referrals WHERE days IS NOT NULL AND month IS NOT NULL
    GROUP BY ALL
)
GROUP BY ALL
"""

# The grant year a case counts in starts on the programme's first month on or before it.
CAP_USE = """
WITH c AS (
    SELECT programme, practice_id, practice_cap,
           make_date(CAST(year(opened) - CASE WHEN month(opened) < year_month THEN 1 ELSE 0 END
                          AS BIGINT), CAST(year_month AS BIGINT), 1) AS year_start
    FROM hub_flows_cases WHERE opened IS NOT NULL
)
SELECT c.programme AS programme_id, c.practice_id, c.year_start, count(*) AS cases,
       coalesce(any_value(a.cap), CASE WHEN c.practice_id IS NULL THEN 0
                                       ELSE any_value(c.practice_cap) END) AS cap
FROM c
LEFT JOIN app.places_gppractice g ON g.id = c.practice_id
LEFT JOIN app.referrals_programmeallowance a
       ON as_key(a.programme_id) = c.programme AND a.practice_code = g.code
      AND CAST(a.year_start AS DATE) = c.year_start
GROUP BY c.programme, c.practice_id, c.year_start
"""

WELLBEING = """
SELECT c.month, s.instrument, c.ward_id, c.quintile, c.need, c.partner AS partner_id,
       count(*) AS pairs, sum(s.change) AS change_sum
FROM hub_flows_scores s JOIN hub_flows_cases c USING (case_key)
WHERE s.change IS NOT NULL AND c.month IS NOT NULL
GROUP BY ALL
"""


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    """The result of `sql` as dicts by column name (the aggregate rows, not referrals)."""
    result = con.execute(sql)
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def response_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    found = rows(con, RESPONSE_TIMES)
    for row in found:
        row["days"] = {int(k): v for k, v in json.loads(row["days"]).items()}
    return found
