"""Bot and abuse protection for the public contact form, without a CAPTCHA.

Three checks that cost a person nothing (see docs/adr/0012-self-referral-protection.md):
a honeypot field hidden from everyone (display:none keeps it out of the accessibility tree),
a signed timestamp refusing forms sent faster than a person could fill them or older than a
day, and a rate limit per client address and per browser session kept in Django's cache
(shared by every worker process: docs/adr/0021-production-settings-csp-and-shared-cache.md).
Each limit has a default here that settings may override (read at call time, so tests can).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

DEFAULT_MIN_SECONDS = 3  # REFERRALS_FORM_MIN_SECONDS: faster than this is a bot
DEFAULT_MAX_AGE_SECONDS = 24 * 60 * 60  # REFERRALS_FORM_MAX_AGE_SECONDS: a form lives a day
DEFAULT_RATE_LIMIT_PER_IP = 5  # REFERRALS_RATE_LIMIT_PER_IP: requests per window
DEFAULT_RATE_LIMIT_PER_SESSION = 5  # REFERRALS_RATE_LIMIT_PER_SESSION
DEFAULT_RATE_LIMIT_WINDOW_SECONDS = 60 * 60  # REFERRALS_RATE_LIMIT_WINDOW_SECONDS
DEFAULT_DUPLICATE_WINDOW_SECONDS = 60  # REFERRALS_DUPLICATE_WINDOW_SECONDS: double submits

HONEYPOT_FIELD = "website"
TOKEN_FIELD = "form_token"  # noqa: S105 (a field name, not a secret)
_TOKEN_SALT = "linkwell.referrals.contact-form"  # noqa: S105 (a namespace, not a secret)


def setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def min_seconds() -> int:
    return setting("REFERRALS_FORM_MIN_SECONDS", DEFAULT_MIN_SECONDS)


def max_age_seconds() -> int:
    return setting("REFERRALS_FORM_MAX_AGE_SECONDS", DEFAULT_MAX_AGE_SECONDS)


def duplicate_window_seconds() -> int:
    return setting("REFERRALS_DUPLICATE_WINDOW_SECONDS", DEFAULT_DUPLICATE_WINDOW_SECONDS)


# --- The signed form timestamp ---------------------------------------------------------


class TokenProblem(ValueError):
    """The form's token is missing, forged, too fresh or too old; `reason` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "invalid", "too_fast" or "expired"


@dataclass(frozen=True)
class FormToken:
    nonce: str
    issued_at: float


def issue_token(service_id: Any, now: float | None = None) -> str:
    """A signed token for one showing of the form to one service."""
    payload = {
        "s": str(service_id),
        "n": secrets.token_hex(16),
        "t": time.time() if now is None else now,
    }
    return signing.dumps(payload, salt=_TOKEN_SALT, compress=True)


def check_token(token: str, service_id: Any, now: float | None = None) -> FormToken:
    """The token's nonce if it was issued by us, for this service, 3 s to a day ago."""
    now = time.time() if now is None else now
    try:
        payload = signing.loads(token or "", salt=_TOKEN_SALT)
        issued_at = float(payload["t"])
        nonce = str(payload["n"])
        if payload["s"] != str(service_id) or len(nonce) != 32:
            raise TokenProblem("invalid")
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, TokenProblem):
            raise
        raise TokenProblem("invalid") from exc
    age = now - issued_at
    if age > max_age_seconds():
        raise TokenProblem("expired")
    if age < min_seconds():
        raise TokenProblem("too_fast")
    return FormToken(nonce=nonce, issued_at=issued_at)


def honeypot_filled(data: Any) -> bool:
    return bool((data.get(HONEYPOT_FIELD) or "").strip())


# --- Rate limits -----------------------------------------------------------------------


def client_address(request: HttpRequest) -> str:
    """The connecting address. Behind a proxy, the proxy must set REMOTE_ADDR correctly;
    X-Forwarded-For is not trusted (anyone can send it)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(kind: str, value: str) -> str:
    digest = salted_hmac("linkwell.referrals.rate", value).hexdigest()[:32]
    return f"referrals:rate:{kind}:{digest}"


def _rate_keys(request: HttpRequest) -> list[tuple[str, int]]:
    keys = [
        (
            _key("ip", client_address(request)),
            setting("REFERRALS_RATE_LIMIT_PER_IP", DEFAULT_RATE_LIMIT_PER_IP),
        )
    ]
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        keys.append(
            (
                _key("session", session_key),
                setting("REFERRALS_RATE_LIMIT_PER_SESSION", DEFAULT_RATE_LIMIT_PER_SESSION),
            )
        )
    return keys


# Each accepted request takes one of `limit` numbered slots, each living one window from when it
# was taken, rather than adding one to a single count: cache.add is atomic on every backend (on
# the database cache, the table's primary key decides), while the database cache's incr is a
# read then a write that also cuts the entry's life to the cache's default five minutes.


def _slots(key: str, limit: int) -> list[str]:
    return [f"{key}:{n}" for n in range(limit)]


def rate_limited(request: HttpRequest) -> bool:
    """Has this address or session sent its allowance of requests in the last window?"""
    for key, limit in _rate_keys(request):
        slots = _slots(key, limit)
        if len(cache.get_many(slots)) >= limit:
            return True
    return False


def count_submission(request: HttpRequest) -> None:
    """Count one accepted request against this address and session."""
    window = setting("REFERRALS_RATE_LIMIT_WINDOW_SECONDS", DEFAULT_RATE_LIMIT_WINDOW_SECONDS)
    for key, limit in _rate_keys(request):
        slots = _slots(key, limit)
        taken = cache.get_many(slots)
        for slot in slots:
            if slot not in taken and cache.add(slot, 1, timeout=window):
                break


def screen_submission(request: HttpRequest, service_id: Any) -> tuple[str, str]:
    """(refusal reason or "", the form's nonce): honeypot, then timing, then rate limits."""
    if honeypot_filled(request.POST):
        return "honeypot", ""
    try:
        nonce = check_token(request.POST.get(TOKEN_FIELD, ""), service_id).nonce
    except TokenProblem as problem:
        return problem.reason, ""
    if rate_limited(request):
        return "rate_limited", nonce
    return "", nonce


# --- Double submission -----------------------------------------------------------------


def fingerprint(service_id: Any, fields: dict[str, str]) -> str:
    """The same request typed twice (same service, same details) has the same fingerprint."""
    parts = [str(service_id)] + [
        f"{name}={' '.join(str(fields.get(name, '')).split()).casefold()}"
        for name in sorted(fields)
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
