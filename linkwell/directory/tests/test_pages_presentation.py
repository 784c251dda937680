"""The wording the service pages use for times, ages and demo details."""

import datetime as dt

import pytest

from linkwell.directory import models as m
from linkwell.directory import presentation


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"freq": "WEEKLY", "byday": "MO,WE", "opens_at": dt.time(9), "closes_at": dt.time(12)},
            "Every Monday and Wednesday, 09:00 to 12:00",
        ),
        ({"freq": "MONTHLY", "byday": "1TH"}, "Every month on the first Thursday"),
        ({"freq": "WEEKLY", "byday": "FR", "interval": 2}, "Every 2 weeks on Friday"),
        ({"description": "Term time only."}, "Term time only."),
        (
            {"freq": "WEEKLY", "byday": "SA", "description": "Bring a packed lunch."},
            "Every Saturday. Bring a packed lunch.",
        ),
    ],
)
def test_a_schedule_reads_as_a_sentence(fields, expected):
    assert presentation.describe_schedule(m.Schedule(**fields)) == expected


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (18, 64, "Ages 18 to 64"),
        (None, 11, "Ages up to 11"),
        (65, None, "Ages 65 and over"),
        (None, None, ""),
    ],
)
def test_an_age_range_reads_plainly(low, high, expected):
    assert presentation.age_range(m.Service(minimum_age=low, maximum_age=high)) == expected


def test_unknown_demo_fields_are_still_named_readably():
    service = m.Service(is_demo=True, demo_fields=["schedules", "parking_spaces"])

    assert presentation.demo_field_labels(service) == ["opening times", "parking spaces"]


def test_staleness_counts_whole_days_since_the_review(settings):
    settings.LISTING_STALE_AFTER_DAYS = 10
    today = dt.date(2026, 11, 23)

    assert not presentation.is_stale(m.Service(assured_date=dt.date(2026, 11, 13)), today)
    assert presentation.is_stale(m.Service(assured_date=dt.date(2026, 11, 12)), today)
    assert presentation.is_stale(m.Service(assured_date=None), today)
