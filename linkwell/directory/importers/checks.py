"""Checks on a mapped record that the database would otherwise make only while writing it.

An import checks the whole source before it writes anything, then writes in many short
transactions (docs/adr/0019): a row that fails only when written would leave the services
before it committed. The readers check shapes and values; this adds what PostgreSQL enforces
and SQLite does not, the length of text columns, so both databases refuse the same rows.
"""

from collections.abc import Iterator
from dataclasses import fields
from functools import cache
from typing import Any

from django.db import models

from linkwell.accounts.models import Organisation
from linkwell.directory import models as m
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
)

# Record class -> the model its text fields are written to, and fields `save_services`
# shortens or normalises itself (postcodes).
_WRITTEN_TO: dict[type, tuple[type[models.Model], set[str]]] = {
    ServiceRecord: (m.Service, set()),
    OrganizationRecord: (m.Organization, set()),
    LocationRecord: (m.Location, {"postcode"}),
    AddressRecord: (m.Address, {"postal_code"}),
    ScheduleRecord: (m.Schedule, set()),
    ContactRecord: (m.Contact, set()),
    PhoneRecord: (m.Phone, set()),
    CostOptionRecord: (m.CostOption, set()),
    ServiceAreaRecord: (m.ServiceArea, set()),
}
_LANGUAGE_NAME = m.Language._meta.get_field("name").max_length or 0
_PARTNER_NAME = Organisation._meta.get_field("name").max_length or 0


@cache
def _limits(record_class: type) -> tuple[tuple[str, int], ...]:
    """(field, max_length) of every text field of the record with a length limit."""
    model, skip = _WRITTEN_TO[record_class]
    names = {f.name for f in fields(record_class)} - skip
    return tuple(
        (f.name, f.max_length)
        for f in model._meta.concrete_fields
        if f.name in names and isinstance(f, models.CharField) and f.max_length
    )


def _too_long(obj: Any, path: str) -> Iterator[tuple[str, str]]:
    for name, limit in _limits(type(obj)):
        value = getattr(obj, name)
        if isinstance(value, str) and len(value) > limit:
            yield f"{path}{name}", _reason(value, limit)


def _reason(value: str, limit: int) -> str:
    return f"is {len(value)} characters long; at most {limit} fit"


def fits(record: ServiceRecord, row: int) -> list[Problem]:
    """Problems with text too long for its column, by the record's own field paths."""
    found = list(_too_long(record, ""))
    found += _too_long(record.organization, "organization.")
    for i, location in enumerate(record.locations):
        found += _too_long(location, f"locations[{i}].")
        for j, address in enumerate(location.addresses):
            found += _too_long(address, f"locations[{i}].addresses[{j}].")
    for i, schedule in enumerate(record.schedules):
        found += _too_long(schedule, f"schedules[{i}].")
    for i, contact in enumerate(record.contacts):
        found += _too_long(contact, f"contacts[{i}].")
        for j, phone in enumerate(contact.phones):
            found += _too_long(phone, f"contacts[{i}].phones[{j}].")
    for i, cost in enumerate(record.cost_options):
        found += _too_long(cost, f"cost_options[{i}].")
    for i, area in enumerate(record.service_areas):
        found += _too_long(area, f"service_areas[{i}].")
    for i, (_code, name) in enumerate(record.languages):
        if len(name) > _LANGUAGE_NAME:
            found.append((f"languages[{i}].name", _reason(name, _LANGUAGE_NAME)))
    for key, name in (("partner", record.partner_name), ("department", record.department_name)):
        if len(name) > _PARTNER_NAME:
            found.append((key, _reason(name, _PARTNER_NAME)))
    return [Problem(row, path, reason) for path, reason in found]
