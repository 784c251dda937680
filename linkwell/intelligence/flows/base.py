"""The flows' working tables in DuckDB: one row per referral, per person and per connector
case, with only what the figures need (ward, deprivation quintile, partner, need, status,
times). Built once per refresh from the operational database; the aggregates and the
indicators read these, so the referrals table is scanned once.

No name, birth date, NHS number, postcode or free text is copied: a person is reduced to a
ward and a deprivation quintile here, and their key never leaves DuckDB.
"""

from __future__ import annotations

import duckdb

PEOPLE = """
CREATE OR REPLACE TEMP TABLE hub_flows_people AS
SELECT as_key(p.id) AS person,
       coalesce(p.ward_id, sa.ward_id) AS ward_id,
       CAST((coalesce(own.imd_decile, same_code.imd_decile) + 1) // 2 AS INTEGER) AS quintile
FROM app.referrals_person p
LEFT JOIN app.places_smallarea sa ON sa.id = p.small_area_id
LEFT JOIN app.places_deprivation own ON own.small_area_id = sa.id
-- Deprivation is published for 2011 small areas; a 2021 area with the same code is the same
-- area (almost all are), so it takes that one's.
LEFT JOIN (
    SELECT s.code, d.imd_decile
    FROM app.places_smallarea s JOIN app.places_deprivation d ON d.small_area_id = s.id
    WHERE s.vintage = 2011
) same_code ON same_code.code = sa.code
"""

REFERRALS = """
CREATE OR REPLACE TEMP TABLE hub_flows_referrals AS
WITH r AS (
    SELECT as_key(id) AS referral,
           as_key(person_id) AS person,
           as_key(service_id) AS service,
           as_key(referrer_organisation_id) AS source,
           coalesce(as_time(sent_at), as_time(created_at)) AS sent,
           -- Accepting after a waiting list moves answered_at on; waitlisted_at stays.
           least(as_time(answered_at), as_time(waitlisted_at)) AS first_answer,
           status, coalesce(need, '') AS need, coalesce(decline_reason_code, '') AS decline_code
    FROM app.referrals_referral
    WHERE status <> 'draft'
)
SELECT r.referral, r.sent, r.first_answer, r.status, r.need, r.decline_code, r.source,
       strftime(r.sent, '%Y-%m') AS month,
       CASE WHEN r.first_answer >= r.sent
            THEN CAST(date_diff('second', r.sent, r.first_answer) // 86400 AS INTEGER) END
           AS days,
       p.ward_id, p.quintile,
       as_key(s.partner_id) AS partner,
       coalesce(o.code, '') AS outcome
FROM r
LEFT JOIN hub_flows_people p ON p.person = r.person
LEFT JOIN app.directory_service s ON as_key(s.id) = r.service
LEFT JOIN app.outcomes_referraloutcome o ON as_key(o.referral_id) = r.referral
"""

CASES = """
CREATE OR REPLACE TEMP TABLE hub_flows_cases AS
SELECT as_key(c.id) AS case_key,
       as_key(c.programme_id) AS programme,
       c.status,
       as_time(c.opened_at) AS opened,
       strftime(as_time(c.opened_at), '%Y-%m') AS month,
       p.ward_id, p.quintile,
       coalesce(r.need, '') AS need,
       as_key(s.partner_id) AS partner,
       r.gp_practice_id AS practice_id,
       pg.practice_cap,
       pg.grant_year_start_month AS year_month
FROM app.referrals_case c
JOIN app.referrals_referral r ON r.id = c.referral_id
JOIN app.referrals_programme pg ON pg.service_id = c.programme_id
LEFT JOIN app.directory_service s ON s.id = c.programme_id
LEFT JOIN hub_flows_people p ON p.person = as_key(c.person_id)
"""

# Per case and instrument: the first complete baseline and the latest complete follow-up
# (as the evaluation report pairs them), the score after any conversion table.
SCORES = """
CREATE OR REPLACE TEMP TABLE hub_flows_scores AS
WITH a AS (
    SELECT as_key(case_id) AS case_key, instrument, timepoint,
           coalesce(metric, total) AS score, as_time(completed_at) AS done
    FROM app.outcomes_administration
    WHERE status = 'complete' AND case_id IS NOT NULL
      AND timepoint IN ('baseline', 'follow_up') AND coalesce(metric, total) IS NOT NULL
),
b AS (
    SELECT case_key, instrument, arg_min(score, done) AS baseline
    FROM a WHERE timepoint = 'baseline' GROUP BY case_key, instrument
),
f AS (
    SELECT case_key, instrument, arg_max(score, done) AS follow_up
    FROM a WHERE timepoint = 'follow_up' GROUP BY case_key, instrument
)
SELECT b.case_key, b.instrument, b.baseline, f.follow_up, f.follow_up - b.baseline AS change
FROM b LEFT JOIN f USING (case_key, instrument)
"""


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Make (or remake) the working tables in `con`; cheap to call twice."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = 'hub_flows_scores'"
    ).fetchone()
    if exists and exists[0]:
        return
    for sql in (PEOPLE, REFERRALS, CASES, SCORES):
        con.execute(sql)
