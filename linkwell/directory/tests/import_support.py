"""Builders for import tests: ORUK service documents and feed files, and service-mapping sheets,
made up for the tests."""

import csv
import io
import json
import uuid
from pathlib import Path
from typing import Any

from linkwell.directory import vocabularies as vocab

ORG_ID = "7d6f3c2a-0000-4000-8000-000000000001"


def term_doc(vocabulary: vocab.Vocabulary, code: str) -> dict[str, Any]:
    term = next(t for t in vocabulary.terms if t.code == code)
    return {
        "id": str(vocab.stable_id("term", vocabulary.key, code)),
        "name": term.name,
        "description": term.description,
        "taxonomy": vocabulary.name,
        "taxonomy_id": str(vocab.stable_id("taxonomy", vocabulary.key)),
        "term": code,
    }


def attribute(service_id: str, term: dict[str, Any], value: str = "") -> dict[str, Any]:
    doc = {
        "id": str(uuid.uuid5(uuid.UUID(service_id), f"attribute/{term['id']}")),
        "link_id": service_id,
        "link_type": "service",
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }
    if value:
        doc["value"] = value
    return doc


def service_doc(n: int, **overrides: Any) -> dict[str, Any]:
    """A full ORUK service (the /services/{id} shape), number n, for tests."""
    sid = str(uuid.UUID(int=n + (1 << 64)))
    loc_id = str(uuid.UUID(int=n + (2 << 64)))
    doc: dict[str, Any] = {
        "id": sid,
        "organization_id": ORG_ID,
        "name": f"Test lunch club {n}",
        "description": "A weekly lunch club (test data).",
        "status": "active",
        "email": f"club{n}@example.org",
        "url": "https://example.org/club",
        "minimum_age": 60,
        "assured_date": "2026-10-01",
        "last_modified": "2026-10-01T09:00:00Z",
        "organization": {"id": ORG_ID, "name": "Example Community Trust", "description": "Test"},
        "schedules": [
            {
                "id": str(uuid.uuid5(uuid.UUID(sid), "schedule")),
                "freq": "WEEKLY",
                "byday": "TU",
                "opens_at": "12:00",
                "closes_at": "14:00",
            }
        ],
        "service_at_locations": [
            {
                "id": str(uuid.uuid5(uuid.UUID(sid), "sal")),
                "location_id": loc_id,
                "location": {
                    "id": loc_id,
                    "location_type": "physical",
                    "name": "Community hall",
                    "addresses": [
                        {
                            "id": str(uuid.uuid5(uuid.UUID(loc_id), "address")),
                            "address_1": "1 Test Street",
                            "city": "Bradford",
                            "state_province": "West Yorkshire",
                            "postal_code": "BD1 1AA",
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
        "contacts": [
            {
                "id": str(uuid.uuid5(uuid.UUID(sid), "contact")),
                "name": "Reception",
                "phones": [
                    {"id": str(uuid.uuid5(uuid.UUID(sid), "phone")), "number": "01274 000000"}
                ],
            }
        ],
        "cost_options": [
            {"id": str(uuid.uuid5(uuid.UUID(sid), "cost")), "option": "Lunch", "amount": 3.5}
        ],
        "funding": [{"id": str(uuid.uuid5(uuid.UUID(sid), "funding")), "source": "Test grant"}],
        "languages": [
            {"id": str(uuid.uuid5(uuid.UUID(sid), "lang")), "code": "ur", "name": "Urdu"}
        ],
        "service_areas": [
            {
                "id": str(uuid.uuid5(uuid.UUID(sid), "area")),
                "name": "City",
                "uri": "https://statistics.data.gov.uk/id/statistical-geography/E05001347",
            }
        ],
        "attributes": [
            attribute(sid, term_doc(vocab.NEEDS, "loneliness")),
            attribute(sid, term_doc(vocab.TIERS, "1"), "1"),
            attribute(sid, term_doc(vocab.SERVICE_FACTS, "annual_cost"), "12500.00"),
            attribute(sid, term_doc(vocab.SERVICE_FACTS, "commissioning"), "external"),
            attribute(sid, term_doc(vocab.SERVICE_FACTS, "partner"), "Test Council"),
            attribute(sid, term_doc(vocab.SERVICE_FACTS, "tier_in_scheme"), "review-2017:0"),
        ],
    }
    doc.update(overrides)
    return doc


def write_json(path: Path, document: Any) -> str:
    path.write_text(json.dumps(document, indent=2))
    return str(path)


def write_ndjson(path: Path, items: list[Any]) -> str:
    path.write_text("".join(json.dumps(item) + "\n" for item in items))
    return str(path)


def sheet_csv(*rows: dict[str, str]) -> bytes:
    """A service-mapping sheet as CSV, each row's cells given by column key
    (`spreadsheet.COLUMNS`: "partner", "service", "tier" ...)."""
    from linkwell.directory.importers.spreadsheet import COLUMNS, HEADINGS

    heading = {c.key: c.heading for c in COLUMNS}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADINGS)
    writer.writeheader()
    for cells in rows:
        writer.writerow({heading[key]: value for key, value in cells.items()})
    return out.getvalue().encode()
