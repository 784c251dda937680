"""Messages to a person who has no account (a self-completion link, a reminder), by text or
e-mail: written as outgoing messages in the action's transaction and delivered after it
commits, through GOV.UK Notify, SMTP or the console (linkwell.notifications.outgoing).

A message holds no personal details beyond a first name and a link: a phone's lock screen
shows it. The member of staff who sent it sees whether it was delivered.
"""

from __future__ import annotations

from typing import Any

from linkwell.notifications import outgoing
from linkwell.notifications.channels import Text, text_outbox

__all__ = ["Text", "outbox", "send"]

outbox = text_outbox  # texts "sent" by the console channel in this process (tests read it)


def send(
    channel: str,
    address: str,
    body: str,
    *,
    subject: str,
    kind: str,
    first_name: str,
    link: str = "",
    sender: Any = None,
    about: Any = None,
) -> None:
    """By e-mail (channel "email", with `subject`) or text (anything else), after commit."""
    if channel == "email":
        message = outgoing.email(
            address,
            subject,
            body,
            kind=kind,
            first_name=first_name,
            link=link,
            sender=sender,
            about=about,
        )
    else:
        message = outgoing.text(
            address, body, kind=kind, first_name=first_name, link=link, sender=sender, about=about
        )
    outgoing.queue([message])
