"""Telling people something, for every app: one inbox row per person (each person once) and
one e-mail each, both written in the caller's transaction; the e-mails are delivered after it
commits by a job (`outgoing`, `delivery`: GOV.UK Notify, SMTP or the console).

E-mails hold no personal details: a notice's message, e-mail subject and body are written by
the caller for a reader who may not be the person's worker (a shared mailbox, a phone's lock
screen), so they name a reference, a service or a listing, never the person. The e-mail links
back to the product, where what may be read is checked. A mail failure is recorded on the
message (its sender, if any, sees it); the inbox row stays, and the caller's request never
fails because of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from linkwell.core.bulk import insert as insert_rows
from linkwell.notifications import outgoing
from linkwell.notifications.models import Notification, OutgoingMessage, subject_of

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
    sender: Any = None  # who caused it: sees the e-mails' delivery (None: the product itself)


def notify(
    users: Iterable[Any],
    kind: str,
    message: str,
    *,
    link: str = "",
    about: Any = None,
    email_subject: str = "",
    email_body: str = "",
    sender: Any = None,
) -> int:
    """Tell `users` (each once): an inbox row each now, an e-mail each after commit.
    Returns the number of inbox rows written."""
    return notify_many(
        [Notice(users, kind, message, link, about, email_subject, email_body, sender)]
    )


def notify_many(notices: Iterable[Notice]) -> int:
    """`notify` for many notices at once: one insert for all their inbox rows, one for their
    e-mails, delivered in batches over one connection each after commit (a batch of 100
    referrals would otherwise open 100 connections)."""
    now = timezone.now()
    rows: list[Notification] = []
    emails: list[outgoing.Outgoing] = []
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
        emails.extend(_email(notice, address) for address in addresses)
    insert_rows(Notification, rows)
    outgoing.queue(emails)
    return len(rows)


def _email(notice: Notice, address: str) -> outgoing.Outgoing:
    """One e-mail each: nobody sees another's address."""
    subject = (notice.email_subject or notice.message.split("\n", 1)[0])[:SUBJECT_MAX]
    url = settings.PUBLIC_BASE_URL + (notice.link or INBOX_PATH)
    body = notice.email_body or f"{notice.message}\n\nSign in to see more:\n{url}\n"
    return outgoing.email(
        address, subject, body, kind=notice.kind, link=url, sender=notice.sender, about=notice.about
    )


def mark_read(user: Any, notification_ids: Iterable[Any]) -> int:
    """Only the owner marks their own notifications (not audited: no personal record)."""
    return Notification.objects.filter(
        user=user, pk__in=list(notification_ids), read_at=None
    ).update(read_at=timezone.now())


def forget(objs: Iterable[Any]) -> int:
    """Delete the notices and messages about `objs` as they are deleted themselves (no foreign
    key cascades: a purged contact request leaves no notice or address pointing at it).
    Returns the number of notices deleted."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for obj in objs:
        subject_type, subject_id = subject_of(obj)
        by_type[subject_type].append(subject_id)
    deleted = 0
    for subject_type, ids in by_type.items():
        deleted += Notification.objects.filter(
            subject_type=subject_type, subject_id__in=ids
        ).delete()[0]
        OutgoingMessage.objects.filter(subject_type=subject_type, subject_id__in=ids).delete()
    return deleted
