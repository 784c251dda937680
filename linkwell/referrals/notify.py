"""Telling providers a request arrived, by e-mail, with no personal details in the message.

Recipients are the provider editors of the service's organisation. When the service has none,
the partnership admins are told instead, so no request waits unseen. Contact addresses on the
listing itself are never used: on demo listings they are invented (example.org).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from linkwell.referrals.policies import partnership_admins, provider_readers_of

log = logging.getLogger(__name__)


def notification_recipients(service: Any) -> list[str]:
    """E-mail addresses to tell about a new request to `service` (sorted, no duplicates)."""
    editors = sorted({u.email for u in provider_readers_of(service) if u.email})
    if editors:
        return editors
    return sorted({u.email for u in partnership_admins() if u.email})


def build_messages(*, service_name: str, request_id: Any, recipients: list[str]) -> list:
    link = settings.PUBLIC_BASE_URL + reverse("referrals:inbox_detail", args=[request_id])
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New request to contact someone about %(service)s") % {"service": service_name}
        body = _(
            "Someone has asked %(service)s to contact them.\n\n"
            "For their privacy this e-mail holds none of their details. Sign in to read the "
            "request:\n%(link)s\n"
        ) % {"service": service_name, "link": link}
    # One message each: recipients do not see one another's addresses.
    return [EmailMessage(subject=subject, body=body, to=[address]) for address in recipients]


def send_new_request_notice(*, service_name: str, request_id: Any, recipients: list[str]) -> int:
    """Send after the request is committed; a mail failure is logged, never lost as a 500."""
    if not recipients:
        return 0
    messages = build_messages(
        service_name=service_name, request_id=request_id, recipients=recipients
    )
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # the request is stored and in the inbox whatever the mail server says
        log.exception("Could not e-mail the notice of contact request %s", request_id)
        return 0
