"""Invented details for demo listings: deterministic, and only from reserved ranges.

Phone numbers come from Ofcom's drama range (01632 960000-960999), emails and websites from
example.org, so nothing invented can reach a real person or site. Each helper returns the
detail and the name of the ServiceRecord field it fills, for `demo_fields`.
"""

import datetime as dt
import random
from decimal import Decimal

from linkwell.directory.records import ContactRecord, PhoneRecord, ScheduleRecord

DRAMA_PHONE_PREFIX = "01632 960"
DEMO_DOMAIN = "example.org"
DAYS = ("MO", "TU", "WE", "TH", "FR")


def rng_for(key: str) -> random.Random:
    """A random generator seeded by the listing's key: same key, same invented details."""
    return random.Random(f"linkwell-demo/{key}")


def phone(rng: random.Random) -> str:
    return f"{DRAMA_PHONE_PREFIX}{rng.randrange(1000):03d}"


def email(key: str) -> str:
    return f"{key[:60]}@{DEMO_DOMAIN}"


def url(key: str) -> str:
    return f"https://{DEMO_DOMAIN}/linkwell-demo/{key}"


def contact(key: str, rng: random.Random) -> ContactRecord:
    return ContactRecord(
        title="Enquiries",
        email=email(key),
        phones=[PhoneRecord(number=phone(rng), type="voice", description="Demo number")],
    )


def weekly_session(
    rng: random.Random, hours: int = 2, starts: tuple[int, ...] = (9, 10, 11, 13, 14, 18)
) -> ScheduleRecord:
    opens = dt.time(hour=rng.choice(starts), minute=rng.choice((0, 30)))
    closes = dt.time(hour=min(opens.hour + hours, 23), minute=opens.minute)
    day = rng.choice(DAYS)
    return ScheduleRecord(
        freq="WEEKLY",
        byday=day,
        opens_at=opens,
        closes_at=closes,
        description="Demo timetable (invented).",
    )


def annual_cost(rng: random.Random, tier: int) -> Decimal:
    """A plausible yearly cost, larger for higher tiers, rounded to 500 pounds."""
    low, high = {1: (5_000, 60_000), 2: (40_000, 250_000), 3: (150_000, 900_000)}.get(
        tier, (400_000, 2_000_000)
    )
    return Decimal(rng.randrange(low, high, 500))
