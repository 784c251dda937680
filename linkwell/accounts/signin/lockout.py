"""Password-guessing limits, as django-axes applies them (named in settings: AXES_*).

An account is locked after SIGNIN_FAILURE_LIMIT wrong passwords from anywhere; an address after
SIGNIN_ADDRESS_FAILURE_LIMIT wrong passwords for any accounts (higher: a whole hospital may
reach us from one address); each for SIGNIN_COOLOFF_MINUTES after the failure that locked it.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def account_failure_limit(request: HttpRequest | None = None, credentials: Any = None) -> int:
    """Read at each attempt, so a changed setting (or a test's) applies at once."""
    return settings.SIGNIN_FAILURE_LIMIT


def cool_off(request: HttpRequest | None = None) -> dt.timedelta:
    return dt.timedelta(minutes=settings.SIGNIN_COOLOFF_MINUTES)


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from. Behind a reverse proxy that sets CLIENT_IP_HEADER,
    the address PROXY_COUNT hops from its right end: our own proxies add those hops, while
    anything further left the client may have written itself to dodge the limits."""
    header = settings.CLIENT_IP_HEADER
    if header:
        raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        hops = [hop.strip() for hop in raw.split(",") if hop.strip()]
        if len(hops) >= settings.PROXY_COUNT:
            try:
                return str(ipaddress.ip_address(hops[-settings.PROXY_COUNT]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None


class LockoutHandler(AxesDatabaseHandler):
    """Axes counts failures by account and by address separately but compares both with one
    limit; this scales the address count so that each meets its own limit."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        account_limit = settings.SIGNIN_FAILURE_LIMIT
        address_limit = settings.SIGNIN_ADDRESS_FAILURE_LIMIT
        counts = [0]
        for parameter, attempts in zip(
            get_lockout_parameters(request, credentials),
            self.get_user_attempts(request, credentials),
            strict=True,
        ):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if parameter == "ip_address":
                if not address_limit:
                    continue
                # floor(f * a / b) >= a exactly when f >= b.
                failures = failures * account_limit // address_limit
            counts.append(failures)
        return max(counts)
