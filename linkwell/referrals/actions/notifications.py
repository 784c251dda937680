"""Referrals' notices, through the one notification path (`linkwell.notifications`): these are
thin delegates that keep referrals' calls as they were, naming the referral a notice is about."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from linkwell.notifications import actions as notifications
from linkwell.notifications.actions import Notice, mark_read
from linkwell.referrals.models import Referral

Message = tuple[Iterable[Any], str, Referral | None, str]  # (users, kind, referral, message)


def referral_path(referral: Referral) -> str:
    return f"/referrals/{referral.pk}/"


def notify(
    users: Iterable[Any],
    kind: str,
    referral: Referral | None,
    message: str,
    *,
    sender: Any = None,
) -> int:
    """One inbox row per user (each user once) and, after commit, one e-mail each; `sender`
    (the member of staff whose move it tells of) sees whether the e-mails were delivered."""
    return notify_many([(users, kind, referral, message)], sender=sender)


def notify_many(messages: Iterable[Message], *, sender: Any = None) -> int:
    """`notify` for many messages at once: one insert, one mail connection after commit."""
    return notifications.notify_many(_notice(*message, sender=sender) for message in messages)


def _notice(
    users: Iterable[Any], kind: str, referral: Referral | None, message: str, *, sender: Any
) -> Notice:
    return Notice(
        users,
        kind,
        message,
        link=referral_path(referral) if referral is not None else "",
        about=referral,
        sender=sender,
    )


__all__ = ["Message", "mark_read", "notify", "notify_many", "referral_path"]
