"""The indicators worked out by their own SQL over a small world: by month and by quarter
(the quarter from the whole quarter's referrals), for each ward and the whole place, rated,
and the month's place-wide values kept in the snapshot."""

from __future__ import annotations

import datetime as dt

import pytest

from linkwell.intelligence.models import IndicatorValue
from linkwell.intelligence.tests.flows.data import World, at, build

pytestmark = pytest.mark.usefixtures("live_db")


def values(key: str) -> dict[tuple[str, str], tuple]:
    return {
        (v.period, v.area_code): (v.value, v.numerator, v.denominator, v.rag)
        for v in IndicatorValue.objects.filter(indicator=key)
    }


def test_share_accepted_and_days_to_answer_by_month_quarter_ward_and_place():
    world = World()
    sent = at(4, 1)
    for days in (1, 2, 3, 4, 6):
        world.referral(
            world.upper, status="accepted", sent=sent, answered=sent + dt.timedelta(days=days)
        )
    world.referral(
        world.upper,
        status="declined",
        decline="no_capacity",
        sent=sent,
        answered=sent + dt.timedelta(days=9),
    )
    world.referral(
        world.lower, status="waitlisted", sent=sent, waitlisted=sent + dt.timedelta(days=2)
    )
    world.referral(world.lower, status="sent", sent=sent)  # not answered yet
    world.referral(world.lower, status="completed", sent=at(5, 4), answered=at(5, 5))

    outputs = build("2026-06")

    accepted = values("referrals_accepted")
    # April: 5 accepted of 7 answered = 71.4% (amber: green from 80, red under 65).
    value, numerator, denominator, rag = accepted[("2026-04", "testplace")]
    assert (round(value, 1), numerator, denominator, rag) == (71.4, 5, 7, "amber")
    # The quarter adds May's completed one: 6 of 8, from the quarter's own counts.
    value, numerator, denominator, rag = accepted[("2026-Q2", "testplace")]
    assert (value, numerator, denominator, rag) == (75.0, 6, 8, "amber")
    # By ward: Upper 5 of 6, Lower 0 of 1 in April.
    assert accepted[("2026-04", "E05900001")][1:3] == (5, 6)
    assert accepted[("2026-04", "E05900002")][1:3] == (0, 1)

    days = values("days_to_first_answer")
    # April's answers: 1, 2, 3, 4, 6, 9 and 2 (waiting list): median of 7 is 3 (lower is
    # better: green to 5). The quarter adds May's 1: 1, 1, 2, 2, 3, 4, 6, 9 -> 2.5.
    assert days[("2026-04", "testplace")] == (3.0, None, 7, "green")
    assert days[("2026-Q2", "testplace")] == (2.5, None, 8, "green")

    declined = values("declined_per_1000")
    assert declined[("2026-04", "testplace")] == (1000 / 8, 1, 8, "amber")

    # June has no referrals: nothing for it, and so nothing in June's snapshot of them.
    assert "referrals_accepted" not in outputs["indicators"].snapshot
    assert outputs["indicators"].snapshot["services_in_tiers_1_2"]["denominator"] == 2


def test_an_indicator_reading_provision_has_no_values_when_provision_left_none():
    World()
    build("2026-06")
    assert not IndicatorValue.objects.filter(indicator="wards_with_falls_service").exists()


def test_an_indicator_whose_query_fails_is_reported_and_the_others_still_worked_out(
    monkeypatch,
):
    from linkwell.intelligence.indicators import build as indicators_build
    from linkwell.intelligence.indicators.checker import check
    from linkwell.intelligence.indicators.loader import load

    broken = check(
        {
            "key": "broken", "name": "Broken", "definition": "Reads a column not there.",
            "direction": "higher", "target": 1, "thresholds": {"green": 1, "red": 0},
            "sql": "SELECT period, area, nothing_here AS value FROM hub_referrals",
        },
        "broken.toml",
    )  # fmt: skip
    monkeypatch.setattr(indicators_build, "load", lambda: {**load(), "broken": broken})
    world = World()
    world.referral(world.upper, status="accepted", sent=at(4, 1), answered=at(4, 2))

    outputs = build("2026-06")

    assert "nothing_here" in outputs["indicators"].snapshot["_errors"]["broken"]
    assert IndicatorValue.objects.filter(indicator="referrals_accepted").exists()


def test_the_share_of_wards_with_a_falls_service_reads_what_provision_left():
    """Upper has a falls service in tier 2 (so in all tiers, tier 0), Lower none."""
    from linkwell.intelligence import analytics
    from linkwell.intelligence.indicators.compute import compute
    from linkwell.intelligence.indicators.loader import load

    World()
    con = analytics.connect()
    try:
        con.execute("""
            CREATE TEMP TABLE hub_provision_areas AS SELECT * FROM (VALUES
                (1, 'ward', 'E05900001', 'falls_frailty', 0, 1),
                (1, 'ward', 'E05900001', 'falls_frailty', 2, 1),
                (2, 'ward', 'E05900002', 'falls_frailty', 0, 0),
                (2, 'ward', 'E05900002', 'loneliness', 0, 3)
            ) t(area, level, code, need, tier, services_serving)
        """)
        rows = compute(con, {"f": load()["wards_with_falls_service"]}, month="2026-06").rows
    finally:
        con.close()
    found = {(r["period"], r["area_level"]): (r["value"], r["numerator"], r["denominator"])
             for r in rows}  # fmt: skip
    assert found == {("2026-06", "place"): (50.0, 1, 2), ("2026-Q2", "place"): (50.0, 1, 2)}
