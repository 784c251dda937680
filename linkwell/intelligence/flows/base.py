"""The flows' working tables in DuckDB: one row per referral, per person and per connector
case, with only what the figures need (ward, deprivation quintile, partner, need, status,
times). Built once per refresh from the operational database; the aggregates and the
indicators read these, so the referrals table is scanned once.

No name, birth date, NHS number, postcode or free text is copied: a person is reduced to a
ward and a deprivation quintile here, and their key never leaves DuckDB. Rows are joined on
their keys as stored (the same type on both sides within one database); keys that leave
DuckDB go through `as_key` after grouping, so it runs per group, not per referral.

They are tables of DuckDB's in-memory database, not TEMP tables of one connection: the
refresh builds them in one part and reads them in others (flows, indicators), each part on its
own connection (see `refresh.PARTS`).
"""

from __future__ import annotations

import duckdb

from linkwell.intelligence.analytics import has_table

# Keys are kept small, as a 10-million-referral table must fit in memory: a person, referral,
# encounter or case by a 64-bit hash of its key (a clash would misplace one row of a count),
# an organisation by a number of the hub's own (`hub_flows_orgs`, mapped back on output).
ORGS = """
CREATE OR REPLACE TABLE hub_flows_orgs AS
SELECT id, CAST(row_number() OVER () AS INTEGER) AS org FROM app.accounts_organisation
"""

PEOPLE = """
CREATE OR REPLACE TABLE hub_flows_people AS
SELECT hash(p.id) AS person,
       coalesce(p.ward_id, sa.ward_id) AS ward_id,
       w.code AS ward_code,
       CAST((coalesce(own.imd_decile, same_code.imd_decile) + 1) // 2 AS INTEGER) AS quintile
FROM app.referrals_person p
LEFT JOIN app.places_smallarea sa ON sa.id = p.small_area_id
LEFT JOIN app.places_deprivation own ON own.small_area_id = sa.id
LEFT JOIN app.places_ward w ON w.id = coalesce(p.ward_id, sa.ward_id)
-- Deprivation is published for 2011 small areas; a 2021 area with the same code is the same
-- area (almost all are), so it takes that one's.
LEFT JOIN (
    SELECT s.code, d.imd_decile
    FROM app.places_smallarea s JOIN app.places_deprivation d ON d.small_area_id = s.id
    WHERE s.vintage = 2011
) same_code ON same_code.code = sa.code
"""

# Each service's partner, as the hub's number for it.
SERVICES = """
CREATE OR REPLACE TABLE hub_flows_services AS
SELECT s.id, o.org AS partner
FROM app.directory_service s LEFT JOIN hub_flows_orgs o ON o.id = s.partner_id
"""

REFERRALS = """
CREATE OR REPLACE TABLE hub_flows_referrals AS
WITH r AS (
    SELECT id, person_id, service_id, encounter_id, status, referrer_organisation_id,
           gp_practice_id, {sent} AS sent,
           -- Accepting after a waiting list moves answered_at on; waitlisted_at stays.
           least({answered}, {waitlisted}) AS first_answer,
           coalesce(need, '') AS need, coalesce(decline_reason_code, '') AS decline_code
    FROM app.referrals_referral
    WHERE status <> 'draft'
)
SELECT hash(r.id) AS referral,
       CASE WHEN r.encounter_id IS NOT NULL THEN hash(r.encounter_id) END AS encounter,
       strftime(r.sent, '%Y-%m') AS month,
       strftime(r.sent, '%Y') || '-Q' || CAST(quarter(r.sent) AS VARCHAR) AS quarter,
       CASE WHEN r.first_answer >= r.sent
            THEN CAST(date_diff('second', r.sent, r.first_answer) // 86400 AS INTEGER) END
           AS days,
       r.status, r.need, r.decline_code, src.org AS source, s.partner, r.gp_practice_id,
       p.ward_id, p.ward_code, p.quintile,
       coalesce(o.code, '') AS outcome
FROM r
LEFT JOIN hub_flows_people p ON p.person = hash(r.person_id)
LEFT JOIN hub_flows_orgs src ON src.id = r.referrer_organisation_id
LEFT JOIN hub_flows_services s ON s.id = r.service_id
LEFT JOIN app.outcomes_referraloutcome o ON o.referral_id = r.id
"""

CASES = """
CREATE OR REPLACE TABLE hub_flows_cases AS
SELECT hash(c.id) AS case_key,
       c.programme_id,
       c.status,
       {opened} AS opened,
       strftime({opened}, '%Y-%m') AS month,
       strftime({opened}, '%Y') || '-Q' || CAST(quarter({opened}) AS VARCHAR) AS quarter,
       p.ward_id, p.ward_code, p.quintile,
       coalesce(r.need, '') AS need,
       s.partner,
       r.gp_practice_id AS practice_id,
       pg.practice_cap,
       pg.grant_year_start_month AS year_month
FROM app.referrals_case c
JOIN app.referrals_programme pg ON pg.service_id = c.programme_id
LEFT JOIN hub_flows_referrals r ON r.referral = hash(c.referral_id)
LEFT JOIN hub_flows_services s ON s.id = c.programme_id
LEFT JOIN hub_flows_people p ON p.person = hash(c.person_id)
"""

# Per case and instrument: the first complete baseline and the latest complete follow-up
# (as the evaluation report pairs them), the score after any conversion table.
SCORES = """
CREATE OR REPLACE TABLE hub_flows_scores AS
WITH a AS (
    SELECT hash(case_id) AS case_key, instrument, timepoint,
           coalesce(metric, total) AS score, {completed} AS done
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


def time_of(con: duckdb.DuckDBPyConnection, table: str, column: str, prefix: str = "") -> str:
    """A datetime column as a plain UTC TIMESTAMP: read as it is when the database's scanner
    gives a timestamp already (cheap), else through the shared `as_time` (text)."""
    kinds = dict(
        (name, kind) for name, kind, *_rest in con.execute(f"DESCRIBE app.{table}").fetchall()
    )
    kind, named = kinds.get(column, ""), prefix + column
    if kind == "TIMESTAMP":
        return named
    if kind.startswith("TIMESTAMP"):
        return f"CAST({named} AS TIMESTAMP)"
    return f"as_time({named})"


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Make the working tables in `con` (once: a second call finds them made)."""
    if has_table(con, "hub_flows_scores"):
        return
    referral = {
        "sent": f"coalesce({time_of(con, 'referrals_referral', 'sent_at')}, "
        f"{time_of(con, 'referrals_referral', 'created_at')})",
        "answered": time_of(con, "referrals_referral", "answered_at"),
        "waitlisted": time_of(con, "referrals_referral", "waitlisted_at"),
    }
    for sql in (ORGS, PEOPLE, SERVICES):
        con.execute(sql)
    con.execute(REFERRALS.format(**referral))
    con.execute(CASES.format(opened=time_of(con, "referrals_case", "opened_at", "c.")))
    con.execute(SCORES.format(completed=time_of(con, "outcomes_administration", "completed_at")))
