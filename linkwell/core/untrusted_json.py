"""JSON from outside (API bodies, FHIR bundles), read so that no input can crash a request.

Python's `json` accepts what a database or a validator then chokes on: nesting deep enough to
exhaust the stack (RecursionError), `NaN` and `Infinity` (not JSON at all), and NUL
characters, which PostgreSQL cannot store in text. Each is refused here as bad input, with
where it is (a path like `referrals.3.reason`), so the caller can answer 400.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 64  # arrays and objects within each other; real requests need fewer than 20


class UntrustedJSONError(ValueError):
    """The body is not JSON we take: `where` holds the keys and indexes leading to the bad
    part (empty for the whole body), `path` the same dotted (`referrals.3.reason`)."""

    def __init__(self, where: tuple[str | int, ...], reason: str) -> None:
        self.where = where
        self.path = ".".join(str(part) for part in where)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}" if self.path else reason)


def _no_constant(name: str) -> Any:
    raise UntrustedJSONError((), f"{name} is not a JSON number")


def loads(data: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse `data` as strict JSON (UTF-8), refusing deep nesting, NaN/Infinity and NUL."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UntrustedJSONError((), f"is not UTF-8 ({exc.reason})") from None
    try:
        value = json.loads(data, parse_constant=_no_constant)
    except RecursionError:
        raise UntrustedJSONError((), f"is nested more than {max_depth} levels deep") from None
    except json.JSONDecodeError as exc:
        raise UntrustedJSONError(
            (), f"is not JSON ({exc.msg}: line {exc.lineno} column {exc.colno})"
        ) from None
    check(value, max_depth=max_depth)
    return value


def check(value: Any, *, max_depth: int = MAX_DEPTH) -> None:
    """Refuse parsed JSON nested deeper than `max_depth` or holding a NUL character.

    Walks with its own stack, so a deep value cannot exhaust Python's."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise UntrustedJSONError(path, "holds a NUL character (\\u0000)")
            continue
        if not isinstance(item, dict | list):
            continue
        if len(path) >= max_depth:
            raise UntrustedJSONError(path, f"is nested more than {max_depth} levels deep")
        pairs = item.items() if isinstance(item, dict) else enumerate(item)
        for key, child in pairs:
            if isinstance(key, str) and "\x00" in key:
                raise UntrustedJSONError(path, "has a key holding a NUL character")
            stack.append((child, (*path, key)))
