"""A listing as a plain `ServiceRecord`, and that record as JSON (what a `ListingChange` holds).

The current record is read back through the Open Referral UK document (`oruk.service` then
`oruk_mapping.map_service`): the round trip the import tests already hold to be lossless, so a
provider's edit keeps every field the form does not show (tier, partner, funding, areas...).

Two things a `ServiceRecord` cannot say are kept beside it in the JSON:
`schedule_locations` (for each schedule, the index of the location whose opening time it is,
or null for the service as a whole) and `eligibility_description`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
import uuid
from decimal import Decimal
from typing import Any

from linkwell.directory import models as m
from linkwell.directory.importers.lookups import Lookups
from linkwell.directory.importers.oruk_mapping import map_service
from linkwell.directory.oruk import documents as oruk
from linkwell.directory.queries import get_service
from linkwell.directory.records import ServiceRecord


@dataclasses.dataclass
class Listing:
    """What a provider edits: the record, which location each schedule belongs to, eligibility."""

    record: ServiceRecord
    schedule_locations: list[int | None]
    eligibility_description: str = ""


class RecordError(ValueError):
    """The service could not be read back as a record (its data breaks the ORUK profile)."""


def current_listing(service: m.Service) -> Listing:
    """The service as it is published now."""
    row = get_service(service.pk)
    if row is None:
        raise RecordError(f"service {service.pk} no longer exists")
    doc = oruk.service(row)
    record, problems = map_service(doc, 0, Lookups.load())
    if record is None:
        raise RecordError("; ".join(f"{p.path}: {p.reason}" for p in problems[:5]))
    places: list[int | None] = []
    for index, sal in enumerate(doc.get("service_at_locations", [])):
        places += [index] * len(sal.get("schedules", []))
    places += [None] * (len(record.schedules) - len(places))
    return Listing(record, places, row.eligibility_description or "")


# JSON --------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    return value


def listing_to_json(listing: Listing) -> dict[str, Any]:
    doc = _plain(listing.record)
    doc["schedule_locations"] = list(listing.schedule_locations)
    doc["eligibility_description"] = listing.eligibility_description
    return doc


def _typed(kind: Any, value: Any) -> Any:
    """`value` from JSON as the type a record field declares."""
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return _typed(options[0], value)
    if origin is list:
        (item,) = typing.get_args(kind)
        return [_typed(item, v) for v in value]
    if origin is tuple:
        return tuple(_typed(a, v) for a, v in zip(typing.get_args(kind), value, strict=False))
    if dataclasses.is_dataclass(kind):
        return _dataclass(kind, value)
    if kind is uuid.UUID:
        return uuid.UUID(value)
    if kind is Decimal:
        return Decimal(value)
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if kind is dt.time:
        return dt.time.fromisoformat(value)
    return value


def _dataclass(kind: type, doc: dict[str, Any]) -> Any:
    hints = typing.get_type_hints(kind)
    names = {f.name for f in dataclasses.fields(kind)}
    return kind(**{k: _typed(hints[k], v) for k, v in doc.items() if k in names})


def listing_from_json(doc: dict[str, Any]) -> Listing:
    record = _dataclass(ServiceRecord, doc)
    places = list(doc.get("schedule_locations") or [])
    places += [None] * (len(record.schedules) - len(places))
    return Listing(record, places[: len(record.schedules)], doc.get("eligibility_description", ""))
