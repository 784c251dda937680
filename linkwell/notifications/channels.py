"""The ways a message leaves the product, chosen by `LINKWELL_MAIL`:

- "notify": e-mail and text through GOV.UK Notify (notifications-python-client), each to a
  generic template whose placeholders are the message's subject, body, first name and link;
- "smtp": e-mail through Django's mail backend (EMAIL_BACKEND, SMTP by default); texts cannot
  be sent this way and fail, saying so;
- "console": e-mail through Django's mail backend (the console in development, the locmem
  outbox under tests), texts into `text_outbox` and the log (the number's last digits only).

A channel returns the gateway's id for the message ("" if none), or raises `Temporary` (worth
trying again later: a gateway down, slow or busy) or `Permanent` (it never will go: a number
that is not a mobile's, a refused key). Both carry a short reason for the sender's list.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _

from linkwell.notifications.models import MessageChannel, OutgoingMessage

log = logging.getLogger(__name__)


class Failure(Exception):
    """A message not sent; `reason` is stored and shown to its sender."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason[:500]


class Temporary(Failure):
    """Try again later."""


class Permanent(Failure):
    """Never going to go as it is."""


@dataclass(frozen=True)
class Text:
    number: str
    message: str


text_outbox: list[Text] = []  # texts "sent" by the console channel (tests read and clear it)


def mode() -> str:
    return getattr(settings, "LINKWELL_MAIL", "console")


class Sender:
    """Sends one job's messages, opening a mail connection or a Notify client once for all."""

    def __init__(self) -> None:
        self._mail: Any = None
        self._notify: Any = None

    def send(self, message: OutgoingMessage) -> str:
        if mode() == "notify":
            return self._by_notify(message)
        if message.channel == MessageChannel.EMAIL:
            return self._by_mail(message)
        if mode() == "console":
            return _to_console(message)
        raise Permanent(
            _(
                "Text messages are sent through GOV.UK Notify, which is not set up here. "
                "Send it by e-mail instead, or ask your administrator to set up Notify."
            )
        )

    def close(self) -> None:
        if self._mail is not None:
            try:
                self._mail.close()
            except Exception:  # closing a broken connection: nothing left to do
                log.warning("Could not close the mail connection", exc_info=True)

    # E-mail through Django's backend (SMTP in production, console or locmem otherwise).
    def _by_mail(self, message: OutgoingMessage) -> str:
        p = message.personalisation
        email = EmailMessage(subject=p.get("subject", ""), body=p.get("body", ""), to=[message.to])
        try:
            if self._mail is None:
                self._mail = get_connection()
            self._mail.send_messages([email])
        except smtplib.SMTPRecipientsRefused as refused:
            raise Permanent(_("The mail server refused the address.")) from refused
        except smtplib.SMTPResponseException as error:
            reason = _("The mail server answered %(code)s.") % {"code": error.smtp_code}
            if error.smtp_code >= 500:
                raise Permanent(reason) from error
            raise Temporary(reason) from error
        except ValueError as error:  # a bad header: the address itself is unusable
            raise Permanent(_("The e-mail address cannot be used.")) from error
        except Exception as error:  # unreachable, timed out, disconnected: try again later
            self._mail = None
            raise Temporary(
                _("The mail server could not be reached (%(error)s).")
                % {"error": type(error).__name__}
            ) from error
        return ""

    # GOV.UK Notify: e-mail and text.
    def _by_notify(self, message: OutgoingMessage) -> str:
        from notifications_python_client.errors import APIError

        template_id = settings.NOTIFY_TEMPLATES.get(message.template, "")
        if not template_id:
            raise Permanent(
                _("No GOV.UK Notify template is set for %(name)s: ask your administrator.")
                % {"name": message.template}
            )
        client = self._client()
        reference = f"linkwell-{message.pk}"
        try:
            if message.channel == MessageChannel.TEXT:
                answer = client.send_sms_notification(
                    phone_number=message.to,
                    template_id=template_id,
                    personalisation=message.personalisation,
                    reference=reference,
                )
            else:
                answer = client.send_email_notification(
                    email_address=message.to,
                    template_id=template_id,
                    personalisation=message.personalisation,
                    reference=reference,
                )
        except APIError as error:
            raise _notify_failure(error) from error
        return str((answer or {}).get("id", ""))

    def _client(self) -> Any:
        if self._notify is None:
            from notifications_python_client.notifications import NotificationsAPIClient

            self._notify = NotificationsAPIClient(
                settings.NOTIFY_API_KEY,
                base_url=settings.NOTIFY_BASE_URL,
                timeout=settings.NOTIFY_TIMEOUT,
            )
        return self._notify


def _notify_failure(error: Any) -> Failure:
    """Notify's 429 and 5xx (and no answer at all, which the client reports as 503) are worth
    trying again; any other refusal (400 a bad number or template, 403 a bad key) is not."""
    status = int(error.status_code)
    said = error.message
    if isinstance(said, list):
        said = "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in said)
    reason = _("GOV.UK Notify answered %(status)s: %(said)s") % {"status": status, "said": said}
    if status == 429 or status >= 500:
        return Temporary(reason)
    return Permanent(reason)


def _to_console(message: OutgoingMessage) -> str:
    body = message.personalisation.get("body", "")
    text_outbox.append(Text(message.to, body))
    log.info("Text message to a number ending %s: %s", message.to[-3:], body)
    return ""
