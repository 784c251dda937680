"""The id of the request being served (or of the request that queued the job being run), for
the logs: set by a middleware and by the job runner, read by the log formatter and `enqueue`.

An id a client or proxy sends is kept only if it is sane (`accept`): short, and letters,
digits and `._:-` only, so it can never break a log line, a header or a metric; anything else
is replaced by a new id, never echoed back.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current: ContextVar[str] = ContextVar("linkwell_request_id", default="")

MAX_LENGTH = 128
_SANE = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._:-]{{0,{MAX_LENGTH - 1}}}")


def current() -> str:
    """The current request id, or "" outside a request or job."""
    return _current.get()


@contextmanager
def bound(request_id: str) -> Iterator[None]:
    """Within the block, `current()` is `request_id`."""
    token = _current.set(request_id)
    try:
        yield
    finally:
        _current.reset(token)


def new() -> str:
    """A fresh id: 32 hex digits (a UUID4), unique enough to find one request in the logs."""
    return uuid.uuid4().hex


def is_sane(value: object) -> bool:
    """Whether `value` may be used as a request id as it is (see the module's note)."""
    return isinstance(value, str) and _SANE.fullmatch(value) is not None


def accept(value: object) -> str:
    """The id to use for a request that came with `value` (None or "" if none): `value` if it
    is sane, otherwise a new one."""
    if isinstance(value, str) and _SANE.fullmatch(value):
        return value
    return new()
