"""A rate limit per client address for the open match API, the contact form's way
(`referrals.protection`): each request takes one of `limit` numbered slots in the shared cache,
each living one window (cache.add is atomic on every backend). A slot holds when it frees, so
a refusal can say when to try again (Retry-After)."""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from linkwell.referrals.protection import client_address

DEFAULT_PER_ADDRESS = 60  # MATCH_RATE_LIMIT_PER_IP: matches a window from one address; 0: none
DEFAULT_WINDOW_SECONDS = 60  # MATCH_RATE_LIMIT_WINDOW_SECONDS


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _slots(request: HttpRequest, limit: int) -> list[str]:
    digest = salted_hmac("linkwell.matching.rate", client_address(request)).hexdigest()[:32]
    return [f"matching:rate:{digest}:{n}" for n in range(limit)]


def take(request: HttpRequest, now: float | None = None) -> int:
    """Count one request from this address. Returns 0 when it may go ahead, else the seconds
    until a slot frees (it is then not counted)."""
    limit = _setting("MATCH_RATE_LIMIT_PER_IP", DEFAULT_PER_ADDRESS)
    if limit <= 0:  # no limit here: a proxy in front limits, or a benchmark measures
        return 0
    now = time.time() if now is None else now
    window = max(1, _setting("MATCH_RATE_LIMIT_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS))
    slots = _slots(request, limit)
    taken = cache.get_many(slots)
    if len(taken) < limit:
        for slot in slots:
            if slot not in taken and cache.add(slot, now + window, timeout=window):
                return 0
    frees = min((float(v) for v in cache.get_many(slots).values()), default=now + 1)
    return max(1, math.ceil(frees - now))
