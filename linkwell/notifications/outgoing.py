"""Messages out of the product (e-mail, text): written in the caller's transaction, one row per
recipient, then delivered by a job after commit (`delivery.deliver`). Nothing is sent for a
change rolled back, and the caller's request never waits on a mail server or GOV.UK Notify.

A message carries a subject and body written for a stranger's eyes (a lock screen, a shared
mailbox): a first name at most, and a link back to the product (docs/adr/0035-notify.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from linkwell.core import jobs
from linkwell.notifications.models import (
    PERSONALISATION_KEYS,
    MessageChannel,
    OutgoingMessage,
    subject_of,
)

DELIVER = "linkwell.notifications.delivery.deliver"
BATCH = 50  # messages per delivery job: one mail connection each, short enough to retry


@dataclass(frozen=True)
class Outgoing:
    """One message to write: `personalisation` holds its subject/body, first name and link."""

    channel: str
    to: str
    kind: str
    personalisation: dict[str, str]
    summary: str = ""
    sender: Any = None
    about: Any = None


def email(
    to: str,
    subject: str,
    body: str,
    *,
    kind: str,
    first_name: str = "",
    link: str = "",
    sender: Any = None,
    about: Any = None,
    summary: str = "",
) -> Outgoing:
    """An e-mail; `summary` (default: the subject) is what its sender's list shows."""
    personalisation = {"subject": subject, "body": body, "first_name": first_name, "link": link}
    return Outgoing(
        MessageChannel.EMAIL, to, kind, personalisation, summary or subject, sender, about
    )


def text(
    to: str,
    body: str,
    *,
    kind: str,
    first_name: str = "",
    link: str = "",
    sender: Any = None,
    about: Any = None,
    summary: str = "",
) -> Outgoing:
    """A text message to a phone number."""
    personalisation = {"body": body, "first_name": first_name, "link": link}
    return Outgoing(MessageChannel.TEXT, to, kind, personalisation, summary, sender, about)


def queue(messages: Iterable[Outgoing]) -> list[OutgoingMessage]:
    """Write the messages (one insert) and have them delivered after commit, in batches of
    `BATCH` per job. Returns the rows written. A message with no address is left out."""
    now = timezone.now()
    rows = [_row(message, now) for message in messages if message.to.strip()]
    if not rows:
        return []
    # bulk_create (not core.bulk): it returns the new ids on SQLite and PostgreSQL alike.
    OutgoingMessage.objects.bulk_create(rows)
    ids = [row.pk for row in rows]
    for start in range(0, len(ids), BATCH):
        jobs.enqueue(DELIVER, *ids[start : start + BATCH])
    return rows


def _row(message: Outgoing, now: Any) -> OutgoingMessage:
    unknown = set(message.personalisation) - PERSONALISATION_KEYS
    if unknown:  # a programming error: nothing else may travel to the gateway
        raise ValueError(f"Not allowed in a message: {sorted(unknown)}")
    subject_type, subject_id = subject_of(message.about) if message.about is not None else ("", "")
    sender = message.sender if getattr(message.sender, "pk", None) else None
    return OutgoingMessage(
        channel=message.channel,
        to=message.to.strip(),
        template=message.channel,
        personalisation={k: str(v or "") for k, v in message.personalisation.items()},
        kind=message.kind,
        summary=message.summary[:150],
        sent_by=sender,
        subject_type=subject_type,
        subject_id=subject_id,
        created_at=now,
    )
