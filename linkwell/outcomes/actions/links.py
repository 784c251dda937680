"""Sending a person a link to answer by themselves, answering through it, and asking for a
fresh one when it ran out (rate-limited through the shared cache, as the contact form is)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from linkwell.audit.actions import record_event
from linkwell.outcomes import links, texts
from linkwell.outcomes.actions.administrations import _save, instrument_of, may_record
from linkwell.outcomes.links import LinkHolder, LinkProblem, TooManyRequests
from linkwell.outcomes.models import (
    Administration,
    AdministrationStatus,
    LinkChannel,
    SelfCompletionLink,
)
from linkwell.referrals.actions.people import has_consent
from linkwell.referrals.errors import Refused
from linkwell.referrals.models import ConsentPurpose

REQUEST_WINDOW_SECONDS = 24 * 60 * 60


def link_days() -> int:
    return int(getattr(settings, "OUTCOME_LINK_DAYS", 14))


def send_self_completion_link(
    administration: Administration,
    *,
    channel: str,
    actor: Any,
    via: str,
    days: int | None = None,
) -> str:
    """Send the person a link to answer this draft themselves, by e-mail or text, in the
    administration's language; earlier links stop working. Returns the link's path (the
    token is shown here once; only its hash is kept)."""
    if not may_record(actor, administration):
        raise PermissionDenied("Only the case's connectors or the service send these links.")
    days = link_days() if days is None else days
    if not 1 <= days <= 90:
        raise Refused("A link works for 1 to 90 days.", field="days")
    return _issue(administration, channel=channel, actor=actor, via=via, days=days)


def _issue(
    administration: Administration,
    *,
    channel: str,
    actor: Any,
    via: str,
    days: int,
    action: str = "outcomes.link.sent",
) -> str:
    if administration.status != AdministrationStatus.DRAFT:
        raise Refused("These answers are complete: there is nothing left to ask.", field="channel")
    if channel not in LinkChannel.values:
        raise Refused("Choose e-mail or text message.", field="channel")
    person = administration.person
    address = person.email if channel == LinkChannel.EMAIL else person.phone
    if channel == LinkChannel.TEXT and not has_consent(person, ConsentPurpose.CONTACT_TEXT):
        # (E-mail has no consent purpose of its own: an address they gave is used.)
        raise Refused(
            _(
                "They have not agreed to be contacted by text message: record that they "
                "agree on their record first, or send the link by e-mail."
            ),
            field="channel",
        )
    if not (address or "").strip():
        raise Refused(
            _("No e-mail address is recorded for this person.")
            if channel == LinkChannel.EMAIL
            else _("No phone number is recorded for this person."),
            field="channel",
        )
    token, token_hash = links.new_token()
    now = timezone.now()
    with transaction.atomic():
        SelfCompletionLink.objects.filter(
            administration=administration, used_at=None, revoked_at=None
        ).update(revoked_at=now)
        link = SelfCompletionLink.objects.create(
            administration=administration,
            token_hash=token_hash,
            channel=channel,
            created_at=now,
            expires_at=now + dt.timedelta(days=days),
            sent_by=actor if getattr(actor, "pk", None) else None,
        )
        record_event(
            actor=actor,
            action=action,
            target=administration,
            via=via,
            details={
                "link": link.pk,
                "channel": channel,
                "expires_at": link.expires_at.isoformat(),
            },
        )
        _send(link, address.strip(), token)
    return links.path_for(token)


def _send(link: SelfCompletionLink, address: str, token: str) -> None:
    """The message: a first name at most, the link and until when it works."""
    administration = link.administration
    url = settings.PUBLIC_BASE_URL + links.path_for(token)
    with translation.override(administration.language or "en"):
        until = timezone.localtime(link.expires_at).strftime("%d %B %Y")
        hello = _("Hello %(name)s.") % {"name": administration.person.given_name}
        body = _(
            "We would like to know how you are. Please answer a few short questions here "
            "(no sign-in needed): %(url)s\nThe link works until %(date)s."
        ) % {"url": url, "date": until}
        subject = _("A few questions about how you are")
    message = f"{hello} {body}"
    texts.send(
        link.channel,
        address,
        message + "\n" if link.channel == LinkChannel.EMAIL else message,
        subject=subject,
        kind="outcome_link",
        first_name=administration.person.given_name,
        link=url,
        sender=link.sent_by,
        about=administration,
    )


def answer_by_link(token: str, answers: dict, *, complete: bool) -> Administration:
    """The person's answers through their link: saved as a draft until sent complete, when
    the link is used up. Raises LinkUnknown, LinkExpired or LinkUsed (nothing saved), or
    AnswersRefused (the draft saved)."""
    link = links.check(links.find(token))
    return _save(
        link.administration,
        answers,
        actor=LinkHolder(link.pk),
        via="link",
        complete=complete,
        link=link,
    )


def _rate_key(link: SelfCompletionLink) -> str:
    digest = salted_hmac("linkwell.outcomes.new-link", str(link.administration_id)).hexdigest()
    return f"outcomes:new-link:{digest[:32]}"


def _take_request_slot(link: SelfCompletionLink) -> bool:
    """One of the day's slots for this administration (cache.add is atomic on every backend;
    see referrals.protection for why slots rather than a count)."""
    limit = int(getattr(settings, "OUTCOME_LINK_REQUESTS_PER_DAY", 3))
    slots = [f"{_rate_key(link)}:{n}" for n in range(limit)]
    taken = cache.get_many(slots)
    return any(
        cache.add(slot, 1, timeout=REQUEST_WINDOW_SECONDS) for slot in slots if slot not in taken
    )


def request_new_link(token: str) -> None:
    """The person's link ran out: a fresh one goes to the same e-mail address or phone (never
    to one the asker gives), a few times a day at most. Raises LinkUnknown or LinkUsed
    (nothing to ask again), LinkProblem (the link still works) or TooManyRequests."""
    link = links.find(token)
    try:
        links.check(link)
    except links.LinkExpired:
        pass
    else:
        raise LinkProblem(_("This link still works: use it to answer."), can_ask_again=False)
    assert link is not None
    if not _take_request_slot(link):
        raise TooManyRequests(
            _("A new link has been sent several times today. Please try again tomorrow."),
            can_ask_again=False,
        )
    instrument_of(link.administration.instrument)  # still defined
    _issue(
        link.administration,
        channel=link.channel,
        actor=LinkHolder(link.pk),
        via="link:new",
        days=link_days(),
        action="outcomes.link.reissued",
    )
