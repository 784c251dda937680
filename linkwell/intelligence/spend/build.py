"""The spend part of a hub refresh (see linkwell/intelligence/steps.py): active services
counted and their annual costs summed by partner (and department), tier and kind of funding,
once in the operating model's tiers 1-4 and once in each partner scheme the services were
mapped in. One GROUP BY in DuckDB; the tables and their totals are summed from these cells
when shown, so no total is ever stored or typed."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from linkwell.intelligence.models import SpendCell
from linkwell.intelligence.steps import Context, Output

# One row per active service, left for later parts of the refresh (indicators).
SERVICES_SQL = """
CREATE OR REPLACE TEMP TABLE hub_spend_services AS
SELECT
    as_key(s.id) AS service,
    as_key(s.partner_id) AS partner_key,
    coalesce(p.name, '') AS partner,
    as_key(s.department_id) AS department_key,
    coalesce(d.name, '') AS department,
    coalesce(CAST(s.tier AS VARCHAR), '') AS tier,
    ts.key AS scheme,
    coalesce(s.tier_in_scheme, '') AS tier_in_scheme,
    CAST(round(CAST(s.annual_cost AS DOUBLE), 2) AS DECIMAL(16, 2)) AS cost,
    coalesce(s.funding_type = 'short_term', false) AS short_term,
    as_bool(s.is_demo) AS demo,
    as_bool(s.is_demo)
        AND CAST(s.demo_fields AS VARCHAR) LIKE '%"annual_cost"%' AS demo_cost,
    as_bool(s.is_demo)
        AND CAST(s.demo_fields AS VARCHAR) LIKE '%"funding_type"%' AS demo_funding
FROM app.directory_service s
LEFT JOIN app.accounts_organisation p ON p.id = s.partner_id
LEFT JOIN app.accounts_organisation d ON d.id = s.department_id
LEFT JOIN app.directory_tierscheme ts ON ts.id = s.tier_scheme_id
WHERE s.status = 'active'
"""

CELLS_SQL = """
WITH tiered AS (
    SELECT '' AS scheme, tier AS code, * EXCLUDE (scheme, tier, tier_in_scheme)
    FROM hub_spend_services
    UNION ALL
    SELECT scheme, tier_in_scheme AS code, * EXCLUDE (scheme, tier, tier_in_scheme)
    FROM hub_spend_services WHERE scheme IS NOT NULL
)
SELECT
    scheme, partner_key, partner, department_key, department, code AS tier, short_term,
    count(*) AS services,
    count(cost) AS costed,
    coalesce(sum(cost), 0) AS cost,
    count(*) FILTER (WHERE demo) AS demo_services,
    count(*) FILTER (WHERE demo_cost AND cost IS NOT NULL) AS demo_costs,
    count(*) FILTER (WHERE demo_funding) AS demo_funding
FROM tiered
GROUP BY ALL
ORDER BY ALL
"""

SNAPSHOT_SQL = """
SELECT
    count(*) AS services,
    count(cost) AS costed,
    coalesce(sum(cost), 0) AS cost,
    coalesce(sum(cost) FILTER (WHERE tier IN ('1', '2')), 0) AS cost_tiers_1_2,
    coalesce(sum(cost) FILTER (WHERE tier <> ''), 0) AS cost_with_tier,
    coalesce(sum(cost) FILTER (WHERE short_term), 0) AS short_term_cost
FROM hub_spend_services
"""

COLUMNS = [
    "scheme",
    "partner_key",
    "partner",
    "department_key",
    "department",
    "tier",
    "short_term",
    "services",
    "costed",
    "cost",
    "demo_services",
    "demo_costs",
    "demo_funding",
]


def _uuid(key: str | None) -> uuid.UUID | None:
    return uuid.UUID(hex=key) if key else None


def build(context: Context) -> Output:
    con = context.con
    con.execute(SERVICES_SQL)
    cells = con.execute(CELLS_SQL).fetchall()
    rows: list[dict[str, Any]] = []
    for values in cells:  # one per partner, department, tier and funding kind (not services)
        row = dict(zip(COLUMNS, values, strict=True))
        row["partner_key"] = _uuid(row["partner_key"])
        row["department_key"] = _uuid(row["department_key"])
        row["cost"] = Decimal(row["cost"])
        rows.append(row)
    services, costed, cost, cost_12, cost_tiered, short = con.execute(SNAPSHOT_SQL).fetchone()
    snapshot = {
        "services": services,
        "services_with_cost": costed,
        "cost": float(cost),
        "cost_tiers_1_2": float(cost_12),
        "share_tiers_1_2": round(float(cost_12) / float(cost_tiered), 4) if cost_tiered else None,
        "short_term_cost": float(short),
    }
    return Output(rows={SpendCell: rows}, snapshot=snapshot)
