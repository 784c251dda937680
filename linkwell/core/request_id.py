"""The id of the request being served (or of the request that queued the job being run), for
the logs: set by a middleware and by the job runner, read by the log formatter and `enqueue`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current: ContextVar[str] = ContextVar("linkwell_request_id", default="")


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
