"""Making, checking and revoking API tokens (see `token_models`). Made and revoked through
these functions only: atomic and audited like every other accounts action."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from linkwell.accounts.queries import NotFound
from linkwell.accounts.token_models import ApiToken
from linkwell.audit.actions import record_event

TOKEN_PREFIX = "lw_"  # noqa: S105 (a marker, not a secret)
PREFIX_LENGTH = 10  # characters of a token kept in clear, to tell tokens apart
# No token lives longer than a year, whatever is asked for: a forgotten one dies on its own.
MAX_DAYS = 365
# last_used_at is written at most this often per token, not on every request.
USE_RECORDED_EVERY = dt.timedelta(minutes=5)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(
    user: Any, *, actor: Any, via: str, name: str = "", days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`, working for `days` (settings.API_TOKEN_DAYS unless given, at
    most MAX_DAYS): returns the row and the token, which is never shown again."""
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days: a token lasts 1 to {MAX_DAYS} days; got {days}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        row = ApiToken.objects.create(
            user=user,
            name=(name or "")[:100],
            token_hash=hash_token(token),
            prefix=token[:PREFIX_LENGTH],
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        record_event(
            actor=actor,
            action="accounts.api_token.created",
            target=user,
            via=via,
            details={
                "token": row.prefix,
                "name": row.name,
                "expires_at": row.expires_at.isoformat(),
            },
        )
    return row, token


def revoke_api_token(row: ApiToken, *, actor: Any, via: str) -> bool:
    """Stop a token working at once (kept, not deleted, so the audit log still names it).
    False if it was already revoked."""
    with transaction.atomic():
        revoked = ApiToken.objects.filter(pk=row.pk, revoked_at=None).update(
            revoked_at=timezone.now()
        )
        if revoked:
            record_event(
                actor=actor,
                action="accounts.api_token.revoked",
                target=row.user,
                via=via,
                details={"token": row.prefix, "name": row.name},
            )
    return bool(revoked)


def find_api_token(text: str, *, username: str = "") -> ApiToken:
    """A token by its id, the prefix shown when it was made (`lw_AbC1234`, with or without the
    trailing "…") or the whole token, optionally only among one user's; NotFound if none or
    several match."""
    text = text.strip().rstrip("…").strip()
    tokens = ApiToken.objects.select_related("user")
    if username:
        tokens = tokens.filter(user__username__iexact=username.strip())
    if text.isdigit():
        matches = list(tokens.filter(pk=int(text))[:2])
    elif text.startswith(TOKEN_PREFIX) and len(text) > PREFIX_LENGTH:  # the whole token
        matches = list(tokens.filter(token_hash=hash_token(text))[:2])
    elif text.startswith(TOKEN_PREFIX) and len(text) > len(TOKEN_PREFIX):
        matches = list(tokens.filter(prefix__startswith=text)[:2])
    else:
        raise NotFound(f"token: give a token's id or its prefix ({TOKEN_PREFIX}...); got {text!r}")
    whose = f" of {username}" if username else ""
    if not matches:
        raise NotFound(f"token: no token{whose} matches {text!r}")
    if len(matches) > 1:
        raise NotFound(f"token: several tokens{whose} match {text!r}; give its id or --user")
    return matches[0]


def user_for_token(token: str) -> Any | None:
    """The active user holding this unrevoked, unexpired token, else None."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    now = timezone.now()
    row = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(token), revoked_at=None, expires_at__gt=now)
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    if row.last_used_at is None or now - row.last_used_at > USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
