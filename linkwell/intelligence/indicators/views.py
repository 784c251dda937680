"""The views an indicator's SQL reads. Each row appears once for every grain it counts in:
`period` as the month (`YYYY-MM`) and as the quarter (`YYYY-Qn`), `area` as the ward's code
and as the whole place's, with `grain` naming which (`month/ward`, `quarter/ward`,
`month/place`, `quarter/place`). So one query written once, grouped by period and area, gives
every ward and the place, by month and by quarter, in one pass, exactly (a median of a quarter
is the quarter's median, not a mean of months). A subquery that looks at other rows than its
own key's must match `grain` too, or it sees each row four times.

    hub_referrals  period, area, grain, month, quarter, ward_code, need, status, decline_code,
                   outcome, days (whole days to the first answer), partner (the service's
                   partner), source (the referrer's organisation), quintile; organisations by
                   the hub's own numbers (`hub_flows_orgs`)
    hub_cases      period, area, grain, case_key, status, month, quarter, ward_code, need,
                   partner, quintile
    hub_scores     period, area, grain, month, quarter, ward_code, case_key, instrument,
                   baseline, follow_up, change
    hub_provision  period, area, grain, and the provision part's rows (level, code, need,
                   tier: 0 for all tiers, population, services_based, services_serving,
                   per_10k, median_per_10k, quintile, gap): the latest refresh's
    hub_services   period, area, grain, month, quarter, ward_code, tier, status, partner: the
                   directory now

The figures of "now" (provision, services) carry the current period only. Views, not copies:
the referrals may number millions.
"""

from __future__ import annotations

import duckdb

from linkwell.intelligence.analytics import has_table
from linkwell.intelligence.flows.base import prepare
from linkwell.intelligence.indicators.periods import MONTH_RE, months_back, quarters_back

PROVISION = "hub_provision_areas"
QUARTER = "strftime({t}, '%Y') || '-Q' || CAST(quarter({t}) AS VARCHAR)"
# How far back values are kept: the place's for trends, the wards' for the latest periods.
KEEP = {("place", False): 24, ("place", True): 8, ("ward", False): 13, ("ward", True): 5}


def kept_periods(month: str) -> dict[tuple[str, bool], list[str]]:
    """Per grain (level, by quarter), the periods kept, oldest first, ending with `month`'s."""
    return {
        (level, quarters): quarters_back(month, keep) if quarters else months_back(month, keep)
        for (level, quarters), keep in KEEP.items()
    }


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _by_grain(
    view: str, base: str, *, ward: str, place: str, periods: dict[str, str], month: str
) -> str:
    """`view` over `base`: each row once per grain, one branch of a UNION ALL each. A branch
    gives its period as `periods[column]`; when that is the base's own column, it keeps only
    the rows of the grain's kept periods (a range: the text sorts as time does)."""
    branches = []
    for (level, quarters), kept in kept_periods(month).items():
        column = "quarter" if quarters else "month"
        period = periods[column]
        where = f" WHERE {column} BETWEEN '{kept[0]}' AND '{kept[-1]}'" if period == column else ""
        area = ward if level == "ward" else place
        branches.append(
            f"SELECT {period} AS period, {area} AS area, '{column}/{level}' AS grain, "  # noqa: S608 (constants, checked periods)
            f"* FROM {base}{where}"
        )
    return f"CREATE OR REPLACE TEMP VIEW {view} AS " + "\nUNION ALL\n".join(branches)


def make_views(con: duckdb.DuckDBPyConnection, *, month: str) -> str:
    """The hub_* views (and the grain-free ones under them); returns the whole place's code."""
    if not MONTH_RE.match(month):
        raise ValueError(f"{month!r} is not a month (YYYY-MM)")
    prepare(con)  # the flows part made the working tables already: this finds them
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
    # A table in the cases' order (scores are few): a mean then adds its scores in that order
    # whatever filter or join a definition adds, so it is the same to the last digit each time.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE hub_ind_scores AS
        SELECT c.month, c.quarter, c.ward_code, s.*
        FROM hub_flows_scores s JOIN hub_flows_cases c USING (case_key)
        WHERE c.month IS NOT NULL
        ORDER BY c.rowid
    """)
    if not has_table(con, PROVISION):  # the provision part left nothing: no rows, same shape
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
    own, place_code = {"month": "month", "quarter": "quarter"}, _literal(place)
    for view, base in (
        ("hub_referrals", "hub_ind_referrals"),
        ("hub_cases", "hub_ind_cases"),
        ("hub_scores", "hub_ind_scores"),
        ("hub_services", "hub_ind_services"),
    ):
        con.execute(
            _by_grain(view, base, ward="ward_code", place=place_code, periods=own, month=month)
        )
    # Provision is by area already: a ward's own rows, or every ward's for the place.
    now = {"month": f"'{month}'", "quarter": QUARTER.format(t=when)}
    con.execute(
        _by_grain(
            "hub_provision", PROVISION, ward="code", place=place_code, periods=now, month=month
        )
    )
    return place
