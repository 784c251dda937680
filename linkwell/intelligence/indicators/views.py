"""The views an indicator's SQL reads, remade for each grain it is worked out at: `period` is
the month (`YYYY-MM`) or quarter (`YYYY-Qn`), `area` the ward's code or the whole place's.
So one query written once gives every ward and the place, by month and by quarter, exactly
(a median of a quarter is the quarter's median, not a mean of months).

    hub_referrals  period, area, month, need, status, decline_code, outcome, days (whole
                   days to the first answer), partner (the service's partner), source (the
                   referrer's organisation), quintile; organisations by the hub's own
                   numbers (`hub_flows_orgs`)
    hub_cases      period, area, case_key, status, month, need, partner, quintile
    hub_scores     period, area, case_key, instrument, baseline, follow_up, change
    hub_provision  period, area, and the provision part's rows (level, code, need, tier:
                   0 for all tiers, population, services_based, services_serving, per_10k,
                   median_per_10k, quintile, gap): the latest refresh's
    hub_services   period, area, tier, status, partner: the directory now

The figures of "now" (provision, services) carry the current period only.
"""

from __future__ import annotations

import duckdb

from linkwell.intelligence.analytics import has_table
from linkwell.intelligence.flows.base import prepare
from linkwell.intelligence.indicators.periods import MONTH_RE

PROVISION = "hub_provision_areas"
QUARTER = "strftime({t}, '%Y') || '-Q' || CAST(quarter({t}) AS VARCHAR)"


def _exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return has_table(con, name)


def prepare_bases(con: duckdb.DuckDBPyConnection, *, month: str) -> str:
    """The grain-free views under the grain's views (views, not copies: the referrals may
    number millions); returns the whole place's code."""
    if not MONTH_RE.match(month):
        raise ValueError(f"{month!r} is not a month (YYYY-MM)")
    prepare(con)
    row = con.execute("SELECT min(slug) FROM app.places_place").fetchone()
    place = (row[0] if row else None) or "place"
    when = f"CAST('{month}-01' AS DATE)"
    con.execute("""
        CREATE OR REPLACE TEMP VIEW hub_ind_referrals AS
        SELECT month, quarter, ward_code, need, status, decline_code, outcome, days, partner,
               source, quintile
        FROM hub_flows_referrals WHERE month IS NOT NULL
    """)
    con.execute("""
        CREATE OR REPLACE TEMP VIEW hub_ind_cases AS
        SELECT case_key, status, month, quarter, ward_code, need, partner, quintile
        FROM hub_flows_cases WHERE month IS NOT NULL
    """)
    con.execute("""
        CREATE OR REPLACE TEMP VIEW hub_ind_scores AS
        SELECT c.month, c.quarter, c.ward_code, s.*
        FROM hub_flows_scores s JOIN hub_flows_cases c USING (case_key)
        WHERE c.month IS NOT NULL
    """)
    if not _exists(con, PROVISION):  # the provision part left nothing: no rows, same shape
        con.execute(
            f"""
            CREATE TEMP TABLE {PROVISION} (area BIGINT, level VARCHAR, code VARCHAR,
                need VARCHAR, tier INTEGER, population DOUBLE, services_based INTEGER,
                services_serving INTEGER, per_10k DOUBLE, median_per_10k DOUBLE,
                quintile INTEGER, gap BOOLEAN)
        """
        )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE hub_ind_services AS
        SELECT strftime({when}, '%Y-%m') AS month, {QUARTER.format(t=when)} AS quarter,
               NULL::VARCHAR AS ward_code, CAST(tier AS INTEGER) AS tier, status,
               o.org AS partner
        FROM app.directory_service s LEFT JOIN hub_flows_orgs o ON o.id = s.partner_id
    """  # noqa: S608 (constants and a checked month only)
    )
    return place


def make_views(
    con: duckdb.DuckDBPyConnection, *, quarters: bool, level: str, place: str, month: str
) -> None:
    """Point the hub_* views at one grain: by month or quarter, by ward or the whole place."""
    period = "quarter" if quarters else "month"
    area = "ward_code" if level == "ward" else "'" + place.replace("'", "''") + "'"
    for view, base in (
        ("hub_referrals", "hub_ind_referrals"),
        ("hub_cases", "hub_ind_cases"),
        ("hub_scores", "hub_ind_scores"),
        ("hub_services", "hub_ind_services"),
    ):
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {view} AS "  # noqa: S608 (constants only)
            f"SELECT {period} AS period, {area} AS area, * FROM {base}"
        )
    # Provision is by area already: a ward's own rows, or every ward's for the place.
    when = f"CAST('{month}-01' AS DATE)"
    now = QUARTER.format(t=when) if quarters else f"'{month}'"
    ward_area = "code" if level == "ward" else "'" + place.replace("'", "''") + "'"
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW hub_provision AS "  # noqa: S608 (constants only)
        f"SELECT {now} AS period, {ward_area} AS area, * FROM {PROVISION}"
    )
