"""Offline ORUK checks: JSON Schema Draft 2020-12 with formats (uri, email, uuid, date-time).

The same schemas the official validator uses (vendored in directory/oruk/schema); see
/work/shared/standards/openreferral/CONTRACT.md section 2, option (b).
"""

import json
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from linkwell.directory.api.docs import SCHEMA_DIR, load

MOCKS = Path(__file__).parent / "oruk_mocks"
PAGE_FIELDS = {
    "total_items": int,
    "total_pages": int,
    "page_number": int,
    "size": int,
    "first_page": bool,
    "last_page": bool,
    "empty": bool,
    "contents": list,
}


def _registry() -> Registry:
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT202012))
        for path in SCHEMA_DIR.glob("*.json")
    ]
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validator(schema_name: str) -> Draft202012Validator:
    return Draft202012Validator(
        load(schema_name),
        registry=REGISTRY,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def problems(document: dict, schema_name: str) -> list[str]:
    """Every schema violation, as 'path: message' lines (empty when valid)."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator(schema_name).iter_errors(document)
    ]


def page_problems(page: dict, item_schema: str) -> list[str]:
    """Envelope fields present with the right types, and every item valid."""
    found = [
        f"{name}: missing or not {kind.__name__}"
        for name, kind in PAGE_FIELDS.items()
        if not isinstance(page.get(name), kind)
    ]
    for i, item in enumerate(page.get("contents") or []):
        found += [f"contents/{i}/{p}" for p in problems(item, item_schema)]
    return found


def mock(profile: str, name: str) -> dict:
    return json.loads((MOCKS / profile / f"{name}.json").read_text())
