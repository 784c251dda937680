"""Jobs for the tests to queue: each leaves an audit event (visible from another process),
with the request id it ran under."""

from django.db import transaction

from linkwell.audit.actions import record_event
from linkwell.core import request_id

FAILURES: dict[str, int] = {}  # key -> failures still to come (fail_then_work)


def note(text: str, *, extra: str = "") -> None:
    with transaction.atomic():
        record_event(
            actor=None,
            action="test.job_ran",
            target_type="test",
            target_id=text,
            details={"request_id": request_id.current(), "extra": extra},
        )


def fail_always(text: str) -> None:
    raise RuntimeError(f"the service for {text} is down")


def fail_then_work(text: str) -> None:
    if FAILURES.get(text, 0) > 0:
        FAILURES[text] -= 1
        raise RuntimeError(f"the service for {text} is down for now")
    note(text)
