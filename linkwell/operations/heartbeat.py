"""The worker's heartbeat: when a worker was last seen alive (for `/readyz`)."""

from __future__ import annotations

import datetime as dt


def last_seen() -> dt.datetime | None:
    """When any worker last reported itself alive, or None if none ever did."""
    return None
