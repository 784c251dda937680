"""OpenAPI descriptions of the ORUK responses, made from the vendored ORUK schemas.

The API returns plain dicts (see oruk.py), so the documented shape is the standard's own
schema rather than a hand-copied pydantic model that could drift from it.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).parents[1] / "oruk" / "schema"
KEEP = {"type", "format", "enum", "properties", "items", "required", "description", "title"}


def _strip(node: Any) -> Any:
    """Only the validation and description keywords (the files also hold CSV metadata)."""
    if isinstance(node, list):
        return [_strip(n) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _strip(load(node["$ref"]))
    out = {}
    for key, value in node.items():
        if key == "properties":
            out[key] = {name: _strip(prop) for name, prop in value.items()}
        elif key in KEEP:
            out[key] = _strip(value) if isinstance(value, dict | list) else value
    return out


@cache
def load(name: str) -> dict[str, Any]:
    """A vendored ORUK schema by file name, e.g. "service.json"."""
    return json.loads((SCHEMA_DIR / name).read_text())


@cache
def schema(name: str) -> dict[str, Any]:
    return _strip(load(name))


def page_of(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": "One page of results (ORUK Page).",
        "properties": {
            "total_items": {"type": "integer"},
            "total_pages": {"type": "integer"},
            "page_number": {"type": "integer"},
            "size": {"type": "integer", "description": "Items on this page."},
            "first_page": {"type": "boolean"},
            "last_page": {"type": "boolean"},
            "empty": {"type": "boolean"},
            "contents": {"type": "array", "items": item},
        },
        "required": [
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
            "contents",
        ],
    }


ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"parameter": {"type": "string"}, "reason": {"type": "string"}},
            },
        },
    },
    "required": ["detail"],
}


def responses(ok: dict[str, Any], *, not_found: bool = False, ndjson: bool = False) -> dict:
    """`openapi_extra` for an operation answering `ok` (and 400, maybe 404)."""
    content: dict[str, Any] = {"application/json": {"schema": ok}}
    if ndjson:
        content["application/x-ndjson"] = {
            "schema": schema("service.json"),
            "description": "With format=ndjson: every matching full service, one per line.",
        }
    result: dict[Any, Any] = {
        200: {"description": "OK", "content": content},
        400: {
            "description": "A parameter is malformed; `errors` names it and says why.",
            "content": {"application/json": {"schema": ERROR}},
        },
    }
    if not_found:
        result[404] = {
            "description": "No such record.",
            "content": {"application/json": {"schema": ERROR}},
        }
    return {"responses": result}
