"""A small directory for the API tests, saved through the one write path.

Locations use real postcodes of the default place (postcodes_bradford.csv); organisations and
services are invented for the tests and marked demo.
"""

import datetime as dt
from decimal import Decimal

import pytest

from linkwell.directory.actions import save_services
from linkwell.directory.records import (
    AddressRecord,
    ContactRecord,
    CostOptionRecord,
    LocationRecord,
    OrganizationRecord,
    PhoneRecord,
    ScheduleRecord,
    ServiceAreaRecord,
    ServiceRecord,
    TermRef,
)

CITY_WARD = "E05001347"  # BD1 1AA is in City ward, Bradford West constituency
HEATON_WARD = "E05001352"  # BD18 3AA
KEIGHLEY_CONSTITUENCY = "E14000766"

TRUST = OrganizationRecord(
    name="Example Community Trust",
    description="A demo charity running community services.",
    email="hello@example.org",
    website="https://example.org",
    partner_name="Example Community Trust",
    is_demo=True,
)
ADVICE = OrganizationRecord(
    name="Example Advice Centre", description="Demo advice charity.", is_demo=True
)


def _weekly(byday: str, opens: str, closes: str) -> ScheduleRecord:
    return ScheduleRecord(
        freq="WEEKLY",
        byday=byday,
        opens_at=dt.time.fromisoformat(opens),
        closes_at=dt.time.fromisoformat(closes),
        description=f"{byday} {opens}-{closes}",
    )


def directory_records() -> list[ServiceRecord]:
    modified = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)
    return [
        ServiceRecord(
            name="Lunch club",
            organization=TRUST,
            description="A weekly hot meal and a chat for older people.",
            url="https://example.org/lunch-club",
            email="lunch@example.org",
            minimum_age=60,
            assured_date=dt.date(2026, 9, 1),
            last_modified=modified,
            locations=[
                LocationRecord(
                    name="Community hall",
                    postcode="BD1 1AA",
                    addresses=[AddressRecord("1 Example Street", "Bradford", "BD1 1AA")],
                    accessibility=["Step-free entrance"],
                )
            ],
            schedules=[_weekly("TU", "12:00", "14:00")],
            contacts=[ContactRecord(name="Sam", phones=[PhoneRecord("01274 000000")])],
            cost_options=[CostOptionRecord(option="Meal", amount=Decimal("3.50"))],
            funding_sources=["Demo grant"],
            languages=[("ur", "Urdu"), ("en", "English")],
            service_areas=[ServiceAreaRecord(ward_code=CITY_WARD)],
            terms=[TermRef("linkwell-needs", "loneliness"), TermRef("linkwell-needs", "food")],
            tier=1,
            annual_cost=Decimal("12000"),
            funding_type="recurrent",
            commissioning="external",
            is_demo=True,
        ),
        ServiceRecord(
            name="Ilkley walking group",
            organization=TRUST,
            description="Gentle walks on the moor; we finish with lunch in a cafe.",
            maximum_age=80,
            last_modified=modified - dt.timedelta(days=60),
            locations=[LocationRecord(name="Station", postcode="LS29 8AA")],
            schedules=[_weekly("SA", "10:00", "12:00")],
            terms=[TermRef("linkwell-needs", "physical_activity_weight")],
            is_demo=True,
        ),
        ServiceRecord(
            name="Heaton carers cafe",
            organization=TRUST,
            description="A monthly cafe for unpaid carers.",
            minimum_age=18,
            last_modified=modified,
            locations=[LocationRecord(name="Heaton church", postcode="BD18 3AA")],
            schedules=[_weekly("WE", "18:00", "20:00")],
            service_areas=[ServiceAreaRecord(ward_code=HEATON_WARD)],
            terms=[TermRef("linkwell-needs", "carers")],
            is_demo=True,
        ),
        ServiceRecord(
            name="Keighley debt advice",
            organization=ADVICE,
            description="Free, confidential advice on debt and benefits.",
            minimum_age=18,
            maximum_age=99,
            last_modified=modified,
            locations=[LocationRecord(name="Advice shop", postcode="BD21 3AA")],
            schedules=[_weekly("MO,WE", "09:00", "17:00")],
            service_areas=[ServiceAreaRecord(constituency_code=KEIGHLEY_CONSTITUENCY)],
            terms=[TermRef("linkwell-needs", "money_debt")],
            is_demo=True,
        ),
        ServiceRecord(
            name="Online wellbeing chat",
            organization=ADVICE,
            description="Text chat with a wellbeing worker for young people.",
            minimum_age=12,
            maximum_age=25,
            last_modified=modified,
            locations=[
                LocationRecord(
                    name="Online", location_type="virtual", url="https://example.org/chat"
                )
            ],
            service_areas=[ServiceAreaRecord(whole_place=True)],
            terms=[TermRef("linkwell-needs", "mental_wellbeing")],
            is_demo=True,
        ),
    ]


@pytest.fixture
def directory(db, place_data, user):
    """The five services above, saved; returns {name: service id}."""
    records = directory_records()
    result = save_services(records, actor=user, via="test")
    return {r.name: service_id for r, service_id in zip(records, result.service_ids, strict=True)}
