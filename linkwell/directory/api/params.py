"""Parsing of the ORUK API's query parameters into `queries.ServiceFilters`.

Each parser raises `BadParameter` naming the parameter and the reason, which the API turns
into an HTTP 400 (see `api_errors.py`). Typed parameters (UUIDs, numbers) are checked by
django-ninja first; its errors are reported in the same shape.
"""

import datetime as dt
import math
import re
import uuid

from django.utils import timezone
from ninja import Field, Schema

from linkwell.directory.queries import DAYS, ServiceFilters
from linkwell.directory.search.results import MAX_PAGE

# The paging parameters of every paged list in the API (ORUK and referrals alike).
PAGE_DOC = f"Page number, from 1 to {MAX_PAGE}; past the last page, an empty page."
PER_PAGE_DOC = "Items per page (at most settings.API_MAX_PER_PAGE; larger values are capped)."

TIME_RE = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9]))?$")
DAY_NAMES = {
    name: code
    for code, name in zip(
        DAYS,
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        strict=True,
    )
}


class BadParameter(ValueError):
    """A query or path parameter the API cannot use."""

    def __init__(self, parameter: str, reason: str) -> None:
        self.parameter = parameter
        self.reason = reason
        super().__init__(f"{parameter}: {reason}")


def parse_time(name: str, text: str | None) -> dt.time | None:
    if not text:
        return None
    if not TIME_RE.match(text.strip()):
        raise BadParameter(name, f"{text!r} is not a time of day as HH:MM or HH:MM:SS")
    return dt.time.fromisoformat(text.strip())


def parse_day(text: str | None) -> str:
    """'MO'..'SU' or a day name ('monday', 'Mon') -> the two-letter iCal code."""
    if not text:
        return ""
    value = text.strip().lower()
    if value.upper() in DAYS:
        return value.upper()
    for name, code in DAY_NAMES.items():
        if len(value) >= 3 and name.startswith(value):
            return code
    raise BadParameter("day", f"{text!r} is not a day (MO, TU, WE, TH, FR, SA, SU or a day name)")


def parse_datetime(name: str, text: str | None) -> dt.datetime | None:
    """An ISO 8601 date or date-time; without a zone it is taken as UTC."""
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.strip().replace(" ", "+"))
    except ValueError:
        raise BadParameter(
            name, f"{text!r} is not an ISO 8601 date-time (e.g. 2026-01-31T09:00:00Z)"
        ) from None
    value = value if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)
    try:
        return value.astimezone(dt.UTC)  # as the database compares it
    except OverflowError:
        raise BadParameter(name, f"{text!r} is outside the years 1 to 9999 in UTC") from None


MAX_PLACE = 100


def parse_postcode(text: str | None) -> str:
    """A place as typed (a postcode, "BD1", a town or ward name): `find_place` says later
    whether the place data knows it (a 400 naming `postcode` if not)."""
    value = " ".join((text or "").split())
    if len(value) > MAX_PLACE:
        raise BadParameter("postcode", f"must be at most {MAX_PLACE} characters")
    return value


def parse_age(name: str, value: float | None, *, round_up: bool) -> int | None:
    if value is None:
        return None
    if not math.isfinite(value) or value < 0 or value > 150:
        raise BadParameter(name, "must be an age in years from 0 to 150")
    return math.ceil(value) if round_up else math.floor(value)


class ServiceQuery(Schema):
    """The service-search parameters as the API receives them (all optional, ANDed)."""

    search: str | None = Field(
        None,
        description="Plain words: services holding all of them first, then any of them, then "
        "services tagged with a need the words signal.",
    )
    taxonomy_term_id: uuid.UUID | None = Field(None, description="Services tagged with it.")
    taxonomy_id: uuid.UUID | None = Field(
        None, description="Services tagged with any term of this taxonomy."
    )
    minimum_age: float | None = Field(
        None, description="Services whose minimum age is at least this."
    )
    maximum_age: float | None = Field(
        None, description="Services whose maximum age is at most this."
    )
    start_time: str | None = Field(
        None, description="HH:MM[:SS]; services with a schedule opening at or after it."
    )
    end_time: str | None = Field(
        None, description="HH:MM[:SS]; services with a schedule closing at or before it."
    )
    day: str | None = Field(
        None, description="MO, TU, WE, TH, FR, SA, SU (or a day name); services open that day."
    )
    modified_after: str | None = Field(
        None, description="ISO 8601 date-time; services modified on or after it."
    )
    organization_id: uuid.UUID | None = Field(None, description="Services of this organization.")
    postcode: str | None = Field(
        None,
        description="Where the person is: a postcode (BD5 0BQ), the first half of one (BD1) "
        "or a town, village or ward name. Keeps services available there, nearest first; with "
        "`proximity`, those located within it, then those whose service area covers the place.",
    )
    proximity: float | None = Field(
        None, description="Metres from the place's point (needs postcode)."
    )

    def filters(self) -> ServiceFilters:
        postcode = parse_postcode(self.postcode)
        if self.proximity is not None:
            if not math.isfinite(self.proximity) or self.proximity <= 0:
                raise BadParameter("proximity", "must be a distance in metres above 0")
            if not postcode:
                raise BadParameter("proximity", "needs a postcode to measure from")
        return ServiceFilters(
            search=(self.search or "").strip(),
            taxonomy_term_id=self.taxonomy_term_id,
            taxonomy_id=self.taxonomy_id,
            minimum_age=parse_age("minimum_age", self.minimum_age, round_up=True),
            maximum_age=parse_age("maximum_age", self.maximum_age, round_up=False),
            day=parse_day(self.day),
            start_time=parse_time("start_time", self.start_time),
            end_time=parse_time("end_time", self.end_time),
            postcode=postcode,
            proximity=self.proximity,
            modified_after=parse_datetime("modified_after", self.modified_after),
            organization_id=self.organization_id,
        )
