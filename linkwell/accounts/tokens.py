"""Making, checking and revoking API tokens (see `token_models`). Made and revoked through
these functions only: atomic and audited like every other accounts action."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from linkwell.accounts.token_models import ApiToken
from linkwell.audit.actions import record_event

TOKEN_PREFIX = "lw_"  # noqa: S105 (a marker, not a secret)
# last_used_at is written at most this often per token, not on every request.
USE_RECORDED_EVERY = dt.timedelta(minutes=5)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(user: Any, *, actor: Any, via: str, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`: returns the row and the token, which is never shown again."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        row = ApiToken.objects.create(
            user=user, name=(name or "")[:100], token_hash=hash_token(token), prefix=token[:10]
        )
        record_event(
            actor=actor,
            action="accounts.api_token.created",
            target=user,
            via=via,
            details={"token": row.prefix, "name": row.name},
        )
    return row, token


def revoke_api_token(row: ApiToken, *, actor: Any, via: str) -> bool:
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
                details={"token": row.prefix},
            )
    return bool(revoked)


def user_for_token(token: str) -> Any | None:
    """The active user holding this unrevoked token, else None."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(token), revoked_at=None)
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
