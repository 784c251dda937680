"""Messages to a person who has no account (a self-completion link, a reminder), by text or
e-mail, sent after the action's transaction commits.

Text messages go to an outbox (`outbox`, and the log without the number) until a real gateway
(GOV.UK Notify) is wired in; e-mails go through Django's mail backend as notifications' do.
A message holds no personal details beyond a first name: a phone's lock screen shows it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial

from django.core.mail import EmailMessage
from django.db import transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Text:
    number: str
    message: str


outbox: list[Text] = []  # texts "sent" in this process (tests read and clear it)


def send_text(number: str, message: str) -> None:
    """Send after commit (nothing is sent for a change rolled back)."""
    transaction.on_commit(partial(_send_text, Text(number, message)))


def send_email(address: str, subject: str, body: str) -> None:
    """Send after commit; a failure is logged, never raised (the link is stored already)."""
    transaction.on_commit(partial(_send_email, address, subject, body))


def _send_text(text: Text) -> None:
    outbox.append(text)
    log.info("Text message to a number ending %s: %s", text.number[-3:], text.message)


def _send_email(address: str, subject: str, body: str) -> None:
    try:
        EmailMessage(subject=subject, body=body, to=[address]).send()
    except Exception:  # the person can ask for a new link; the request must not fail
        log.exception("Could not e-mail a self-completion link")
