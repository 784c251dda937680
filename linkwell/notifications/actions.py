"""Telling people something, for every app: one inbox row per person (each person once),
written in the caller's transaction, and after it commits one e-mail each.

E-mails hold no personal details: a notice's message, e-mail subject and body are written by
the caller for a reader who may not be the person's worker (a shared mailbox, a phone's lock
screen), so they name a reference, a service or a listing, never the person. The e-mail links
back to the product, where what may be read is checked. A mail failure is logged; the inbox row
stays, and the caller's request never fails because of it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from linkwell.core.bulk import insert as insert_rows
from linkwell.notifications.models import Notification, subject_of

log = logging.getLogger(__name__)

INBOX_PATH = "/notifications/"  # where an e-mail points when its notice has no link
SUBJECT_MAX = 150


@dataclass(frozen=True)
class Notice:
    """One thing to tell some people."""

    users: Iterable[Any]
    kind: str
    message: str  # the inbox text; its first line is the e-mail's subject by default
    link: str = ""  # the site path it points at, e.g. /referrals/<id>/
    about: Any = None  # the model instance it is about, for `Notification.objects.about(...)`
    email_subject: str = ""  # default: the message's first line
    email_body: str = ""  # default: the message, then "Sign in to see more:" and the link


@dataclass(frozen=True)
class _Email:
    addresses: list[str]
    subject: str
    body: str


def notify(
    users: Iterable[Any],
    kind: str,
    message: str,
    *,
    link: str = "",
    about: Any = None,
    email_subject: str = "",
    email_body: str = "",
) -> int:
    """Tell `users` (each once): an inbox row each now, an e-mail each after commit.
    Returns the number of inbox rows written."""
    return notify_many([Notice(users, kind, message, link, about, email_subject, email_body)])


def notify_many(notices: Iterable[Notice]) -> int:
    """`notify` for many notices at once: one insert for all their inbox rows, and their
    e-mails over one connection to the mail server after commit (a batch of 100 referrals
    would otherwise open 100 connections)."""
    now = timezone.now()
    rows: list[Notification] = []
    outbox: list[_Email] = []
    for notice in notices:
        people = {u.pk: u for u in notice.users if u is not None and getattr(u, "pk", None)}
        subject_type, subject_id = (
            subject_of(notice.about) if notice.about is not None else ("", "")
        )
        rows.extend(
            Notification(
                user=u,
                kind=notice.kind,
                message=notice.message,
                link=notice.link,
                subject_type=subject_type,
                subject_id=subject_id,
                created_at=now,
            )
            for u in people.values()
        )
        addresses = sorted({u.email for u in people.values() if getattr(u, "email", "")})
        if addresses:
            outbox.append(_email(notice, addresses))
    insert_rows(Notification, rows)
    if outbox:
        transaction.on_commit(partial(_send, outbox))
    return len(rows)


def _email(notice: Notice, addresses: list[str]) -> _Email:
    subject = notice.email_subject or notice.message.split("\n", 1)[0]
    url = settings.PUBLIC_BASE_URL + (notice.link or INBOX_PATH)
    body = notice.email_body or f"{notice.message}\n\nSign in to see more:\n{url}\n"
    return _Email(addresses, subject[:SUBJECT_MAX], body)


def _send(outbox: list[_Email]) -> int:
    """Each e-mail to each of its addresses (one each: nobody sees another's address), over
    one connection. A failure is logged, never raised: the inbox rows are stored already."""
    messages = [
        EmailMessage(subject=email.subject, body=email.body, to=[address])
        for email in outbox
        for address in email.addresses
    ]
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # the inbox row is stored whatever the mail server says
        log.exception("Could not e-mail %d notification(s)", len(messages))
        return 0


def mark_read(user: Any, notification_ids: Iterable[Any]) -> int:
    """Only the owner marks their own notifications (not audited: no personal record)."""
    return Notification.objects.filter(
        user=user, pk__in=list(notification_ids), read_at=None
    ).update(read_at=timezone.now())


def forget(objs: Iterable[Any]) -> int:
    """Delete the notices about `objs` as they are deleted themselves (no foreign key cascades:
    a purged contact request leaves no notice pointing at it). Returns the number deleted."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for obj in objs:
        subject_type, subject_id = subject_of(obj)
        by_type[subject_type].append(subject_id)
    deleted = 0
    for subject_type, ids in by_type.items():
        deleted += Notification.objects.filter(
            subject_type=subject_type, subject_id__in=ids
        ).delete()[0]
    return deleted
