"""One ORUK 3.0 service document (the shape of `/services/{id}`) -> a `ServiceRecord`.

Checks what the compiled schema requires (ids are UUIDs, required fields present, types and
enums right) by hand: a full JSON Schema validation per service would cost more than the
whole import of it. Partnership facts come back from their attributes (docs/adr/0003).
"""

import re
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from linkwell.directory import models as m
from linkwell.directory import vocabularies as vocab
from linkwell.directory.importers import values
from linkwell.directory.importers.lookups import AreaError, Lookups
from linkwell.directory.importers.problems import Problem
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

SERVICE_KEYS = {"id", "name", "status", "organization", "organization_id"}
STATUSES = {choice.value for choice in m.ServiceStatus}
LOCATION_TYPES = {choice.value for choice in m.Location.LocationType}
TIER_TERMS = {
    vocab.stable_id("term", vocab.TIERS.key, t.code): int(t.code) for t in vocab.TIERS.terms
}
FACT_TERMS = {
    vocab.stable_id("term", vocab.SERVICE_FACTS.key, t.code): t.code
    for t in vocab.SERVICE_FACTS.terms
}


TERM_IDS = {
    str(vocab.stable_id("term", v.key, t.code)): vocab.stable_id("term", v.key, t.code)
    for v in vocab.ALL
    for t in v.terms
}
TAXONOMY_IDS = {
    str(vocab.stable_id("taxonomy", v.key)): vocab.stable_id("taxonomy", v.key) for v in vocab.ALL
}
# Our own terms by the text of their id, as feeds (ours among them) write it: a dict look-up
# of a str is cheaper than hashing a UUID, eleven times per service.
TIER_TERM_TEXTS = {str(k): v for k, v in TIER_TERMS.items()}
FACT_TERM_TEXTS = {str(k): v for k, v in FACT_TERMS.items()}
UUID_RE = re.compile(r"[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}")


def looks_like_a_service(item: object) -> bool:
    return isinstance(item, dict) and bool(SERVICE_KEYS & item.keys())


class _Checker:
    """Reads fields of one service, noting every problem with the path to the field."""

    def __init__(self, row: int) -> None:
        self.row = row
        self.problems: list[Problem] = []

    def add(self, path: str, reason: str) -> None:
        self.problems.append(Problem(self.row, path, reason))

    def text(self, obj: dict, key: str, path: str, *, required: bool = False) -> str:
        value = obj.get(key)
        if value is None or value == "":
            if required:
                self.add(f"{path}{key}", "is required")
            return ""
        if not isinstance(value, str):
            self.add(f"{path}{key}", f"must be text, not {type(value).__name__}")
            return ""
        return value

    def id(self, obj: dict, path: str, *, required: bool = True) -> uuid.UUID | None:
        if obj.get("id") in (None, ""):
            if required:
                self.add(f"{path}id", "is required")
            return None
        return self.parsed(values.parse_uuid, obj.get("id"), f"{path}id")

    def valid_id(self, obj: dict, path: str) -> None:
        """Check an id that is not kept (Linkwell makes its own) without parsing it."""
        value = obj.get("id")
        if isinstance(value, str) and UUID_RE.fullmatch(value):
            return
        if value in (None, ""):
            self.add(f"{path}id", "is required")
        else:
            self.parsed(values.parse_uuid, value, f"{path}id")

    def parsed(self, parse: Callable[[Any], Any], value: Any, path: str) -> Any:
        try:
            return parse(value)
        except (ValueError, TypeError) as error:
            self.add(path, str(error))
            return None

    def number(self, obj: dict, key: str, path: str) -> float | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(f"{path}{key}", f"must be a number, not {value!r}")
            return None
        return value

    def items(self, obj: dict, key: str, path: str) -> list[tuple[str, dict]]:
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(f"{path}{key}", "must be a list")
            return []
        found = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                found.append((f"{path}{key}[{i}].", item))
            else:
                self.add(f"{path}{key}[{i}]", "must be an object")
        return found


def map_service(
    item: object, row: int, lookups: Lookups
) -> tuple[ServiceRecord | None, list[Problem]]:
    """The record for one feed item, or None and every problem found in it."""
    check = _Checker(row)
    if not isinstance(item, dict):
        check.add("service", "must be an object")
        return None, check.problems
    service_id = check.id(item, "")
    name = check.text(item, "name", "", required=True)
    status = check.text(item, "status", "", required=True)
    if status and status not in STATUSES:
        check.add("status", f"{status!r} is not one of {', '.join(sorted(STATUSES))}")
    organization = _organization(item, check)
    record = ServiceRecord(
        id=service_id,
        name=name,
        organization=organization or OrganizationRecord(name="", description=""),
        description=check.text(item, "description", ""),
        url=check.parsed(values.parse_url, check.text(item, "url", ""), "url") or "",
        email=check.parsed(values.parse_email, check.text(item, "email", ""), "email") or "",
        status=status,
        fees=check.text(item, "fees", ""),
        accreditations=check.text(item, "accreditations", ""),
        minimum_age=_age(check, item, "minimum_age"),
        maximum_age=_age(check, item, "maximum_age"),
        assured_date=check.parsed(values.parse_date, item.get("assured_date"), "assured_date"),
        assurer_email=check.parsed(
            values.parse_email, check.text(item, "assurer_email", ""), "assurer_email"
        )
        or "",
        alert=check.text(item, "alert", ""),
        last_modified=check.parsed(
            values.parse_datetime, item.get("last_modified"), "last_modified"
        ),
    )
    for path, sal in check.items(item, "service_at_locations", ""):
        check.valid_id(sal, path)
        location = sal.get("location")
        if isinstance(location, dict):
            record.locations.append(_location(location, f"{path}location.", check))
        elif location is not None:
            check.add(f"{path}location", "must be an object")
        for schedule_path, schedule in check.items(sal, "schedules", path):
            record.schedules.append(_schedule(schedule, schedule_path, check))
    for path, schedule in check.items(item, "schedules", ""):
        record.schedules.append(_schedule(schedule, path, check))
    _contacts(item, record, check)
    for path, cost in check.items(item, "cost_options", ""):
        record.cost_options.append(
            CostOptionRecord(
                id=check.id(cost, path),
                option=check.text(cost, "option", path),
                amount=check.parsed(values.parse_money, cost.get("amount"), f"{path}amount"),
                amount_description=check.text(cost, "amount_description", path),
                currency=check.text(cost, "currency", path) or "GBP",
                valid_from=check.parsed(
                    values.parse_date, cost.get("valid_from"), f"{path}valid_from"
                ),
                valid_to=check.parsed(values.parse_date, cost.get("valid_to"), f"{path}valid_to"),
            )
        )
    for path, funding in check.items(item, "funding", ""):
        check.valid_id(funding, path)
        if source := check.text(funding, "source", path):
            record.funding_sources.append(source)
    for path, language in check.items(item, "languages", ""):
        check.valid_id(language, path)
        code, lang_name = check.text(language, "code", path), check.text(language, "name", path)
        if code or lang_name:
            record.languages.append((code[:10], lang_name))
    for path, area in check.items(item, "service_areas", ""):
        record.service_areas.append(_service_area(area, path, check, lookups))
    for path, attribute in check.items(item, "attributes", ""):
        _attribute(attribute, path, record, check, lookups)
    if check.problems:
        return None, check.problems
    return record, []


def _age(check: _Checker, item: dict, key: str) -> int | None:
    value = check.number(item, key, "")
    if value is None:
        return None
    if value < 0 or value > 150 or value != int(value):
        check.add(key, f"{value!r} is not an age in whole years")
        return None
    return int(value)


def _organization(item: dict, check: _Checker) -> OrganizationRecord | None:
    org = item.get("organization")
    if not isinstance(org, dict):
        check.add("organization", "is required (the full organisation object)")
        return None
    path = "organization."
    record = OrganizationRecord(
        id=check.id(org, path),
        name=check.text(org, "name", path, required=True),
        description=check.text(org, "description", path, required=True),
        email=check.parsed(values.parse_email, check.text(org, "email", path), f"{path}email")
        or "",
        website=check.parsed(values.parse_url, check.text(org, "website", path), f"{path}website")
        or "",
        logo=check.text(org, "logo", path),
        uri=check.text(org, "uri", path),
    )
    given = item.get("organization_id")
    if given and record.id and str(record.id) != str(given):
        check.add("organization_id", "does not match organization.id")
    for ipath, ident in check.items(org, "organization_identifiers", path):
        check.valid_id(ident, ipath)
        record.identifiers.append(
            (
                check.text(ident, "identifier_scheme", ipath),
                check.text(ident, "identifier_type", ipath, required=True),
                check.text(ident, "identifier", ipath, required=True),
            )
        )
    return record


def _location(loc: dict, path: str, check: _Checker) -> LocationRecord:
    location_type = check.text(loc, "location_type", path, required=True)
    if location_type and location_type not in LOCATION_TYPES:
        check.add(
            f"{path}location_type", f"{location_type!r} is not one of physical, postal, virtual"
        )
    record = LocationRecord(
        id=check.id(loc, path),
        name=check.text(loc, "name", path),
        location_type=location_type or "physical",
        description=check.text(loc, "description", path),
        latitude=check.number(loc, "latitude", path),
        longitude=check.number(loc, "longitude", path),
        url=check.text(loc, "url", path),
        external_identifier=check.text(loc, "external_identifier", path)[:100],
        external_identifier_type=check.text(loc, "external_identifier_type", path)[:50],
    )
    for apath, address in check.items(loc, "addresses", path):
        record.addresses.append(
            AddressRecord(
                id=check.id(address, apath),
                address_1=check.text(address, "address_1", apath, required=True),
                address_2=check.text(address, "address_2", apath),
                city=check.text(address, "city", apath, required=True),
                region=check.text(address, "region", apath),
                state_province=check.text(address, "state_province", apath, required=True),
                postal_code=check.text(address, "postal_code", apath, required=True),
                country=check.text(address, "country", apath, required=True)[:2],
                attention=check.text(address, "attention", apath),
                address_type=check.text(address, "address_type", apath, required=True),
            )
        )
    if record.addresses:
        record.postcode = record.addresses[0].postal_code
    for apath, access in check.items(loc, "accessibility", path):
        check.valid_id(access, apath)
        text = check.text(access, "description", apath) or check.text(
            access, "accessibility", apath
        )
        if text:
            record.accessibility.append(text)
    return record


def _schedule(schedule: dict, path: str, check: _Checker) -> ScheduleRecord:
    interval = check.number(schedule, "interval", path)
    return ScheduleRecord(
        id=check.id(schedule, path),
        freq=check.text(schedule, "freq", path).upper()[:10],
        byday=check.text(schedule, "byday", path)[:40],
        bymonthday=check.text(schedule, "bymonthday", path)[:40],
        interval=int(interval) if interval is not None else None,
        opens_at=check.parsed(values.parse_time, schedule.get("opens_at"), f"{path}opens_at"),
        closes_at=check.parsed(values.parse_time, schedule.get("closes_at"), f"{path}closes_at"),
        valid_from=check.parsed(values.parse_date, schedule.get("valid_from"), f"{path}valid_from"),
        valid_to=check.parsed(values.parse_date, schedule.get("valid_to"), f"{path}valid_to"),
        dtstart=check.parsed(values.parse_date, schedule.get("dtstart"), f"{path}dtstart"),
        description=check.text(schedule, "description", path),
        schedule_link=check.text(schedule, "schedule_link", path),
        attending_type=check.text(schedule, "attending_type", path)[:255],
        notes=check.text(schedule, "notes", path),
    )


def _phones(owner: dict, path: str, check: _Checker) -> list[PhoneRecord]:
    phones = []
    for ppath, phone in check.items(owner, "phones", path):
        phones.append(
            PhoneRecord(
                id=check.id(phone, ppath),
                number=check.text(phone, "number", ppath, required=True)[:50],
                description=check.text(phone, "description", ppath),
                type=check.text(phone, "type", ppath)[:20],
            )
        )
    return phones


def _contacts(item: dict, record: ServiceRecord, check: _Checker) -> None:
    for path, contact in check.items(item, "contacts", ""):
        record.contacts.append(
            ContactRecord(
                id=check.id(contact, path),
                name=check.text(contact, "name", path),
                title=check.text(contact, "title", path),
                email=check.parsed(
                    values.parse_email, check.text(contact, "email", path), f"{path}email"
                )
                or "",
                phones=_phones(contact, path, check),
            )
        )
    if service_phones := _phones(item, "", check):  # HSDS service phones (ORUK drops them)
        record.contacts.append(ContactRecord(phones=service_phones))


def _service_area(area: dict, path: str, check: _Checker, lookups: Lookups) -> ServiceAreaRecord:
    record = ServiceAreaRecord(
        id=check.id(area, path),
        name=check.text(area, "name", path),
        description=check.text(area, "description", path),
        extent=check.text(area, "extent", path),
        extent_type=check.text(area, "extent_type", path)[:20],
        uri=check.text(area, "uri", path),
    )
    free_text = check.text(area, "service_area", path)  # ORUK's own field; often the name
    if free_text and free_text != record.name and not record.description:
        record.description = free_text
    # Tie it to a ward, constituency or the place when its ONS code or its name says which.
    code = re.search(r"(E05|E14)\d{6}$", record.uri)
    if code or record.name:
        try:
            found = lookups.area(code.group(0) if code else record.name)
        except AreaError:
            return record
        record.ward_code, record.constituency_code = found.ward_code, found.constituency_code
        record.whole_place = found.whole_place
    return record


def _attribute(
    attribute: dict, path: str, record: ServiceRecord, check: _Checker, lookups: Lookups
) -> None:
    check.valid_id(attribute, path)
    term = (
        attribute.get("taxonomy_term") if isinstance(attribute.get("taxonomy_term"), dict) else {}
    )
    given = attribute.get("taxonomy_term_id") or term.get("id")
    value = attribute.get("value")
    value = "" if value is None else str(value)
    if isinstance(given, str):
        if given in TIER_TERM_TEXTS:
            record.tier = TIER_TERM_TEXTS[given]
            return
        if given in FACT_TERM_TEXTS:
            _fact(FACT_TERM_TEXTS[given], value, path, record, check, lookups)
            return
    term_id = TERM_IDS.get(given) if isinstance(given, str) else None
    if term_id is None:
        term_id = check.parsed(values.parse_uuid, given, f"{path}taxonomy_term_id")
    if term_id is None:
        return
    if term_id in TIER_TERMS:
        record.tier = TIER_TERMS[term_id]
    elif term_id in FACT_TERMS:
        _fact(FACT_TERMS[term_id], value, path, record, check, lookups)
    else:
        record.terms.append(
            TermRef(
                id=term_id,
                code=str(term.get("term") or term.get("code") or "")[:100],
                name=str(term.get("name") or "")[:200],
                description=str(term.get("description") or ""),
                taxonomy_name=str(term.get("taxonomy") or ""),
                taxonomy_id=_taxonomy_id(term.get("taxonomy_id"), path, check),
                value=value[:255],
            )
        )


def _taxonomy_id(given: Any, path: str, check: _Checker) -> uuid.UUID | None:
    if not given:
        return None
    known = TAXONOMY_IDS.get(given) if isinstance(given, str) else None
    return known or check.parsed(values.parse_uuid, given, f"{path}taxonomy_term.taxonomy_id")


def _fact(
    code: str, value: str, path: str, record: ServiceRecord, check: _Checker, lookups: Lookups
) -> None:
    where = f"{path}value ({code})"
    if code == "partner":
        record.partner_name = value.strip()
    elif code == "department":
        record.department_name = value.strip()
    elif code == "annual_cost":
        amount: Decimal | None = check.parsed(values.parse_money, value, where)
        record.annual_cost = amount
    elif code == "funding_type":
        record.funding_type = check.parsed(values.parse_funding_type, value, where) or ""
    elif code == "commissioning":
        record.commissioning = check.parsed(values.parse_commissioning, value, where) or ""
    elif code == "evidence_rating":
        record.evidence_rating = check.parsed(values.parse_evidence, value, where) or "not_rated"
    elif code == "tier_in_scheme":
        separator = ":" if ":" in value else "/" if "/" in value else " "
        scheme, _, level = value.strip().rpartition(separator)
        if not level:
            check.add(where, f"{value!r} should be 'scheme:level'")
            return
        found = check.parsed(lambda v: lookups.tier(*v), (scheme.strip(), level.strip()), where)
        if found:
            record.tier_scheme_key = scheme.strip()
            record.tier_in_scheme, record.tier = found
    elif code == "demo":
        record.is_demo = True
        record.demo_fields = [f.strip() for f in value.split(",") if f.strip()]
