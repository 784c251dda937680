"""The flows part of a hub refresh (see linkwell/intelligence/steps.py): referrals by partner,
need and outcome; unmet need by ward; time to first answer; connector caps by practice;
wellbeing change by ward and deprivation. Raw counts are stored; pages hide small ones."""

from __future__ import annotations

from linkwell.intelligence.flows import aggregates as sql
from linkwell.intelligence.flows.base import prepare
from linkwell.intelligence.models import FlowCapUse, FlowMonth, FlowWellbeing
from linkwell.intelligence.steps import Context, Output


def build_tables(context: Context) -> Output:
    """The working tables the flows figures and the indicators read (see `base.py`); nothing
    of them is written."""
    prepare(context.con)
    return Output()


def build_referrals(context: Context) -> Output:
    """The referral counts' documents (the flows' snapshot: the months covered only, as the
    counts are not suppressed there)."""
    prepare(context.con)
    counts = sql.referral_documents(context.con)
    return Output(
        rows={FlowMonth: counts},
        snapshot={"months": sorted({r["month"] for r in counts})[-1:]},
    )


def build_unmet(context: Context) -> Output:
    prepare(context.con)
    return Output(rows={FlowMonth: sql.unmet_documents(context.con)})


def build_response(context: Context) -> Output:
    prepare(context.con)
    return Output(rows={FlowMonth: sql.response_documents(context.con)})


def build_caps_and_wellbeing(context: Context) -> Output:
    con = context.con
    prepare(con)
    return Output(
        rows={
            FlowCapUse: sql.rows(con, sql.CAP_USE),
            FlowWellbeing: sql.rows(con, sql.WELLBEING),
        }
    )


# The refresh runs these as parts of their own (side by side); together they are the flows.
PIECES = (build_referrals, build_unmet, build_response, build_caps_and_wellbeing)


def build(context: Context) -> Output:
    """Every flows figure in one output (as the refresh writes the pieces together)."""
    whole = Output()
    for piece in PIECES:
        output = piece(context)
        for model, rows in output.rows.items():
            whole.rows.setdefault(model, []).extend(rows)
        whole.snapshot.update(output.snapshot)
    return whole
