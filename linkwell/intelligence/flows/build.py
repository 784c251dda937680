"""The flows part of a hub refresh (see linkwell/intelligence/steps.py): referrals by partner,
need and outcome; unmet need by ward; time to first answer; connector caps by practice;
wellbeing change by ward and deprivation. Raw counts are stored; pages hide small ones."""

from __future__ import annotations

from linkwell.intelligence.flows import aggregates as sql
from linkwell.intelligence.flows.base import prepare
from linkwell.intelligence.models import FlowCapUse, FlowMonth, FlowWellbeing
from linkwell.intelligence.steps import Context, Output


def build(context: Context) -> Output:
    con = context.con
    prepare(con)
    counts = sql.referral_documents(con)
    documents = [*counts, *sql.unmet_documents(con), *sql.response_documents(con)]
    return Output(
        rows={
            FlowMonth: documents,
            FlowCapUse: sql.rows(con, sql.CAP_USE),
            FlowWellbeing: sql.rows(con, sql.WELLBEING),
        },
        # Counts stay out of the snapshot (it is not suppressed): the months covered only.
        snapshot={"months": sorted({r["month"] for r in counts})[-1:]},
    )
