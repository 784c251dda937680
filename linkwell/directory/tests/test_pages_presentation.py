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


def _facts(summary: presentation.ServiceSummary) -> dict:
    return {
        "service": summary.service.id,
        "needs": [term.name for term in summary.needs],
        "tier": summary.tier_label,
        "places": summary.places,
        "times": summary.times,
        "cost": summary.cost,
        "points": summary.points,
        "locations": summary.locations,
    }


@pytest.mark.django_db
def test_a_page_of_results_reads_lightly_and_says_what_each_service_alone_says(
    place_data, django_assert_num_queries
):
    from decimal import Decimal

    from linkwell.directory.records import CostOptionRecord, LocationRecord, ScheduleRecord
    from linkwell.directory.tests.page_services import make_services, service_record

    weekly = [
        ScheduleRecord(freq="WEEKLY", byday=day, opens_at=dt.time(10), closes_at=dt.time(12, 5))
        for day in ("MO", "TU", "WE")
    ]
    services = make_services(
        service_record(
            "Lunch club",
            locations=[
                LocationRecord(name="Hall", postcode="BD1 1AA", latitude=53.79, longitude=-1.75),
                LocationRecord(name="Online sessions", location_type="virtual"),
                LocationRecord(postcode="BD7 2PJ"),
            ],
            schedules=weekly,
            cost_options=[CostOptionRecord("Suggested donation", Decimal("2.50"))],
        ),
        service_record("Free cafe", cost_options=[CostOptionRecord("Free")], fees="Not used"),
        service_record("Plain listing", locations=[], schedules=[], terms=[], fees="£5 a week"),
    )
    ids = [service.id for service in services]
    listed = {s.id: s for s in presentation.listing_queryset().filter(id__in=ids)}
    expected = [_facts(presentation.summarise(listed[i])) for i in ids]
    rows = {s.id: s for s in presentation.results_queryset().filter(id__in=ids)}

    with django_assert_num_queries(4):
        summaries = presentation.summarise_page([rows[i] for i in ids])

    assert [_facts(summary) for summary in summaries] == expected
    lunch = summaries[0]
    assert len(lunch.times) == 2, "two of its three times at most"
    assert set(lunch.times) < {
        f"Every {day}, 10:00 to 12:05" for day in ("Monday", "Tuesday", "Wednesday")
    }
    assert "Online" in lunch.places
    assert lunch.cost == "Suggested donation: £2.50"
    assert summaries[1].cost == "Free"
    assert summaries[2].cost == "£5 a week"
    assert [term.name for term in lunch.needs] == ["Loneliness and isolation", "Food"]
