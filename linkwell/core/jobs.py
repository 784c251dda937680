"""Work done after the request, by the worker: `enqueue` a function by its dotted path.

Contract (the worker's implementation replaces the body, not the signature): the job is queued
only when the caller's transaction commits (nothing runs for a change rolled back); arguments
must be JSON-serialisable (ids, not model instances); the request id of the caller's request
travels with the job (`linkwell.core.request_id`).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string


def enqueue(func: str, *args: Any, **kwargs: Any) -> None:
    """Run `func` (a dotted path) with these arguments after commit."""
    transaction.on_commit(partial(_run, func, args, kwargs))


def _run(func: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    import_string(func)(*args, **kwargs)
