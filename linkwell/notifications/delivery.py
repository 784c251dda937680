"""Delivering the messages written by `outgoing.queue`: the job the jobs layer runs after commit
(`deliver`), and what is recorded on each message.

The jobs layer retries a job that raises, with back-off. So a temporary failure (GOV.UK Notify
down or busy, a mail server unreachable) is recorded on the message ("retrying", the reason)
and then raised; a permanent one (a number that is not a mobile's, a refused key) is recorded
as failed and not raised, and its sender finds a notice in their inbox. A message already sent
or failed is skipped, so running a job again never sends twice what went once.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from linkwell.core import jobs
from linkwell.notifications.channels import Failure, Permanent, Sender, Temporary
from linkwell.notifications.models import (
    MessageChannel,
    MessageStatus,
    Notification,
    NotificationKind,
    OutgoingMessage,
)

log = logging.getLogger(__name__)

# A worker killed mid-send leaves `sending_since`; after this long another may take it.
LEASE = dt.timedelta(minutes=5)
PENDING = (MessageStatus.QUEUED, MessageStatus.RETRYING)
MESSAGES_PATH = "/notifications/#messages-sent"


class NotSentYet(Exception):
    """Raised by `deliver` so the jobs layer tries the job again later."""


def max_attempts() -> int:
    return int(getattr(settings, "LINKWELL_MAIL_ATTEMPTS", 5))


def deliver(*message_ids: int) -> None:
    """Send these messages (one mail connection or Notify client for all). Raises NotSentYet
    after recording every temporary failure, so the job is tried again."""
    sender = Sender()
    waiting: list[int] = []
    try:
        for message_id in message_ids:
            if not _deliver_one(sender, message_id):
                waiting.append(message_id)
    finally:
        sender.close()
    if waiting:
        raise NotSentYet(f"{len(waiting)} message(s) not sent yet, tried again later: {waiting}")


def _deliver_one(sender: Sender, message_id: int) -> bool:
    """False if it is still to be sent (a temporary failure, or another worker on it)."""
    message = _claim(message_id)
    if message is None:
        return not OutgoingMessage.objects.filter(pk=message_id, status__in=PENDING).exists()
    try:
        notify_id = sender.send(message)
    except Temporary as failure:
        if message.attempts >= max_attempts():
            _failed(message, failure)
            return True
        _retrying(message, failure)
        return False
    except Permanent as failure:
        _failed(message, failure)
        return True
    _sent(message, notify_id)
    return True


def _claim(message_id: int) -> OutgoingMessage | None:
    """Take the message for this worker (a conditional update: two never send it at once)."""
    now = timezone.now()
    claimed = (
        OutgoingMessage.objects.filter(pk=message_id, status__in=PENDING)
        .filter(Q(sending_since=None) | Q(sending_since__lt=now - LEASE))
        .update(sending_since=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    return OutgoingMessage.objects.get(pk=message_id)


def _sent(message: OutgoingMessage, notify_id: str) -> None:
    OutgoingMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENT,
        notify_id=notify_id,
        sent_at=timezone.now(),
        sending_since=None,
        last_error="",
        personalisation={},  # the link may hold a token: the database keeps only its hash
    )


def _retrying(message: OutgoingMessage, failure: Failure) -> None:
    OutgoingMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.RETRYING, last_error=failure.reason, sending_since=None
    )
    log.warning(
        "Could not %s message %s (attempt %s of %s), trying again later: %s",
        _verb(message),
        message.pk,
        message.attempts,
        max_attempts(),
        failure.reason,
    )


def _failed(message: OutgoingMessage, failure: Failure) -> None:
    """Given up: recorded, and its sender told in their inbox (not by e-mail, which may be
    what is failing)."""
    now = timezone.now()
    message.status = MessageStatus.FAILED
    OutgoingMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.FAILED,
        last_error=failure.reason,
        failed_at=now,
        sending_since=None,
        personalisation={},
    )
    log.warning("Could not %s message %s, given up: %s", _verb(message), message.pk, failure.reason)
    if message.sent_by_id is None:
        return
    Notification.objects.create(
        user_id=message.sent_by_id,
        kind=NotificationKind.DELIVERY_FAILED,
        message=failure_notice(message, failure.reason),
        link=MESSAGES_PATH,
        subject_type=message.subject_type,
        subject_id=message.subject_id,
        created_at=now,
    )


def _verb(message: OutgoingMessage) -> str:
    return "text" if message.channel == MessageChannel.TEXT else "e-mail"


def failure_notice(message: OutgoingMessage, reason: str) -> str:
    """The inbox text: what did not go, to whom (partly hidden), why, and what to do."""
    what = (
        _("A text message (%(kind)s) to %(to)s was not delivered.")
        if message.channel == MessageChannel.TEXT
        else _("An e-mail (%(kind)s) to %(to)s was not delivered.")
    ) % {"kind": message.kind_label, "to": message.to_shown}
    return f"{what} {reason} {advice(message)}"


def advice(message: OutgoingMessage) -> str:
    """What its sender can do about a message, by its status."""
    if message.status in PENDING:
        return _("Nothing to do: it is tried again automatically.")
    if message.status == MessageStatus.SENT:
        return ""
    if message.channel == MessageChannel.TEXT:
        return _(
            "Check the mobile number on their record, then send it again, or send it by e-mail."
        )
    return _("Check the e-mail address on their record, then send it again.")


def requeue_stale(*, older_than: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """Queue again the messages still waiting after `older_than` (their job lost or given up
    by the jobs layer): for the schedule. Returns how many."""
    ids = list(
        OutgoingMessage.objects.filter(
            status__in=PENDING, created_at__lt=timezone.now() - older_than
        ).values_list("pk", flat=True)
    )
    for start in range(0, len(ids), 50):
        jobs.enqueue("linkwell.notifications.delivery.deliver", *ids[start : start + 50])
    return len(ids)
