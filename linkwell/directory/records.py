"""Plain records of a service and everything nested in it: what every write path hands to
`actions.save_services`, whatever it was read from (an ORUK feed, a spreadsheet, demo data, a
provider's form). Ids are optional: without one, a stable id is made from the natural key.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class AddressRecord:
    address_1: str
    city: str
    postal_code: str
    state_province: str = "West Yorkshire"
    address_2: str = ""
    region: str = ""
    country: str = "GB"
    attention: str = ""
    address_type: str = "physical"
    id: uuid.UUID | None = None


@dataclass
class LocationRecord:
    name: str = ""
    location_type: str = "physical"
    description: str = ""
    latitude: float | None = None
    longitude: float | None = None
    postcode: str = ""
    url: str = ""
    external_identifier: str = ""
    external_identifier_type: str = ""
    addresses: list[AddressRecord] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)  # descriptions
    is_demo: bool = False
    id: uuid.UUID | None = None


@dataclass
class ScheduleRecord:
    freq: str = ""  # WEEKLY / MONTHLY
    byday: str = ""  # e.g. "MO,WE"
    opens_at: dt.time | None = None
    closes_at: dt.time | None = None
    description: str = ""
    interval: int | None = None
    bymonthday: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    dtstart: dt.date | None = None
    schedule_link: str = ""
    attending_type: str = ""
    notes: str = ""
    id: uuid.UUID | None = None


@dataclass
class PhoneRecord:
    number: str
    description: str = ""
    type: str = ""
    id: uuid.UUID | None = None


@dataclass
class ContactRecord:
    name: str = ""
    title: str = ""
    email: str = ""
    phones: list[PhoneRecord] = field(default_factory=list)
    id: uuid.UUID | None = None


@dataclass
class CostOptionRecord:
    option: str = ""
    amount: Decimal | None = None
    amount_description: str = ""
    currency: str = "GBP"
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    id: uuid.UUID | None = None


@dataclass
class ServiceAreaRecord:
    """Give a ward code, a constituency code, or whole_place=True; or free text only."""

    name: str = ""
    description: str = ""
    ward_code: str = ""
    constituency_code: str = ""
    whole_place: bool = False
    extent: str = ""
    extent_type: str = ""
    uri: str = ""
    id: uuid.UUID | None = None


@dataclass
class OrganizationRecord:
    name: str
    description: str
    email: str = ""
    website: str = ""
    logo: str = ""
    uri: str = ""
    partner_name: str = ""  # accounts.Organisation name, if a partner runs it
    is_demo: bool = False
    identifiers: list[tuple[str, str, str]] = field(default_factory=list)  # scheme, type, value
    id: uuid.UUID | None = None


@dataclass
class TermRef:
    """A taxonomy term by taxonomy key and term code, or by id (from a foreign feed)."""

    taxonomy_key: str = ""
    code: str = ""
    id: uuid.UUID | None = None
    # For terms of taxonomies we don't yet hold (foreign feeds): enough to create them.
    name: str = ""
    description: str = ""
    taxonomy_name: str = ""
    taxonomy_id: uuid.UUID | None = None
    value: str = ""


@dataclass
class ServiceRecord:
    name: str
    organization: OrganizationRecord
    description: str = ""
    url: str = ""
    email: str = ""
    status: str = "active"
    fees: str = ""
    accreditations: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    assured_date: dt.date | None = None  # last reviewed
    assurer_email: str = ""
    alert: str = ""
    last_modified: dt.datetime | None = None
    locations: list[LocationRecord] = field(default_factory=list)
    schedules: list[ScheduleRecord] = field(default_factory=list)
    contacts: list[ContactRecord] = field(default_factory=list)
    cost_options: list[CostOptionRecord] = field(default_factory=list)
    funding_sources: list[str] = field(default_factory=list)
    languages: list[tuple[str, str]] = field(default_factory=list)  # (ISO 639 code, name)
    service_areas: list[ServiceAreaRecord] = field(default_factory=list)
    terms: list[TermRef] = field(default_factory=list)  # needs, life stages, golden threads, ...
    # Partnership fields.
    tier: int | None = None
    tier_scheme_key: str = ""  # with tier_in_scheme: converted by the crosswalk
    tier_in_scheme: str = ""
    partner_name: str = ""
    department_name: str = ""
    annual_cost: Decimal | None = None
    funding_type: str = ""
    commissioning: str = ""
    evidence_rating: str = "not_rated"
    is_demo: bool = False
    demo_fields: list[str] = field(default_factory=list)
    source: str = ""
    id: uuid.UUID | None = None
