"""The in-product inbox and its e-mails. Rows are written in the action's transaction; the
e-mails go only after it commits, and hold no personal details (a reference and a link)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from linkwell.core.bulk import insert as insert_rows
from linkwell.referrals.models import Notification, Referral

log = logging.getLogger(__name__)


Message = tuple[Iterable[Any], str, Referral | None, str]  # (users, kind, referral, message)


def notify(users: Iterable[Any], kind: str, referral: Referral | None, message: str) -> int:
    """One inbox row per user (each user once) and, after commit, one e-mail each."""
    return notify_many([(users, kind, referral, message)])


def notify_many(messages: Iterable[Message]) -> int:
    """`notify` for many messages at once: one insert for all their inbox rows, and their
    e-mails over one connection to the mail server after commit (a batch of 100 referrals
    would otherwise open 100 connections)."""
    now = timezone.now()
    rows = []
    outbox: list[tuple[list[str], str, str]] = []
    for users, kind, referral, message in messages:
        people = {u.pk: u for u in users if u is not None and getattr(u, "pk", None)}
        rows.extend(
            Notification(user=u, kind=kind, referral=referral, message=message, created_at=now)
            for u in people.values()
        )
        addresses = sorted({u.email for u in people.values() if u.email})
        if addresses:
            link = settings.PUBLIC_BASE_URL + (
                f"/referrals/{referral.pk}/" if referral is not None else "/notifications/"
            )
            outbox.append((addresses, message, link))
    insert_rows(Notification, rows)
    if outbox:
        transaction.on_commit(partial(_send, outbox))
    return len(rows)


def _send(outbox: list[tuple[list[str], str, str]]) -> None:
    """Each message to each of its addresses (one e-mail each), over one connection."""
    emails = []
    for addresses, message, link in outbox:
        subject = message.split("\n", 1)[0][:150]
        body = f"{message}\n\nSign in to see more:\n{link}\n"
        emails.extend(EmailMessage(subject=subject, body=body, to=[a]) for a in addresses)
    try:
        get_connection().send_messages(emails)
    except Exception:  # the inbox row is stored whatever the mail server says
        log.exception("Could not e-mail %d notification(s)", len(emails))


def mark_read(user: Any, notification_ids: Iterable[Any]) -> int:
    """Only the owner marks their own notifications (not audited: no personal record)."""
    return Notification.objects.filter(
        user=user, pk__in=list(notification_ids), read_at=None
    ).update(read_at=timezone.now())
