"""An indicator's red, amber or green comes from its thresholds, whichever way is better,
and nothing resting on fewer than 5 people (or giving a hidden count away) is shown."""

from __future__ import annotations

import pytest

from linkwell.intelligence.indicators.dashboard import protect
from linkwell.intelligence.indicators.schema import Indicator
from linkwell.intelligence.models import IndicatorValue


def indicator(direction: str, green: float, red: float, **fields) -> Indicator:
    return Indicator(
        key="x",
        name="X",
        definition="X.",
        sql="",
        direction=direction,
        target=green,
        green=green,
        red=red,
        **fields,
    )


@pytest.mark.parametrize(
    ("value", "rag"),
    [(80, "green"), (95, "green"), (79.9, "amber"), (65, "amber"), (64.9, "red"), (None, "")],
)
def test_when_higher_is_better_green_is_at_or_above_green_and_red_below_red(value, rag):
    assert indicator("higher", green=80, red=65).rag(value) == rag


@pytest.mark.parametrize(
    ("value", "rag"),
    [(5, "green"), (0, "green"), (5.1, "amber"), (10, "amber"), (10.5, "red")],
)
def test_when_lower_is_better_green_is_at_or_below_green_and_red_above_red(value, rag):
    assert indicator("lower", green=5, red=10).rag(value) == rag


def row(level, code, numerator, denominator, value=None):
    return IndicatorValue(
        indicator="x",
        period="2026-04",
        area_level=level,
        area_code=code,
        area_name=code,
        numerator=numerator,
        denominator=denominator,
        value=value if value is not None else numerator / denominator * 100,
        rag="green",
    )


def test_a_ward_with_few_people_and_the_ward_that_would_give_it_away_are_withheld():
    shown = {
        s.code: s
        for s in protect(
            indicator("higher", 80, 65, scale=100),
            # Place 30 of 40: A 3 of 4 (too few), B 12 of 16, C 15 of 20.
            [
                row("place", "P", 30, 40),
                row("ward", "A", 3, 4),
                row("ward", "B", 12, 16),
                row("ward", "C", 15, 20),
            ],
        )
    }
    assert (shown["A"].value, shown["A"].numerator, shown["A"].numerator_withheld) == (
        None,
        None,
        "small",
    )
    assert shown["A"].rag == "" and shown["A"].denominator_withheld == "small"
    # B is the smaller of the others: its counts would give A's away (30 - 15 - B), so go;
    # with them its share would too.
    assert (shown["B"].numerator_withheld, shown["B"].denominator_withheld) == (
        "secondary",
        "secondary",
    )
    assert shown["B"].value is None and shown["B"].value_withheld
    assert (shown["C"].value, shown["C"].numerator, shown["C"].rag) == (75.0, 15, "green")
    assert (shown["P"].value, shown["P"].denominator) == (75.0, 40)


def test_a_median_of_fewer_than_five_referrals_is_withheld():
    days = indicator("lower", 5, 10)
    few, enough = protect(
        days,
        [
            IndicatorValue(area_level="ward", area_code="A", denominator=4, value=3.0, rag="green"),
            IndicatorValue(area_level="ward", area_code="B", denominator=5, value=3.0, rag="green"),
        ],
    )
    assert (few.value, few.rag, few.value_withheld) == (None, "", True)
    assert (enough.value, enough.rag) == (3.0, "green")


def test_counts_of_services_are_never_hidden():
    services = indicator("higher", 60, 40, scale=100, counts_people=False)
    (only,) = protect(services, [row("place", "P", 2, 3)])
    assert (only.numerator, only.denominator, round(only.value, 1)) == (2, 3, 66.7)
