"""Reminders of follow-ups due and not answered: once per follow-up (`reminded_at`, claimed
by a conditional update so two runs never both remind), to the connector (or the service) in
the product, and to the person through their link if one was sent and still works."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from linkwell.audit.actions import record_event
from linkwell.notifications.actions import notify
from linkwell.outcomes import instruments, texts
from linkwell.outcomes.models import (
    Administration,
    AdministrationStatus,
    LinkChannel,
    SelfCompletionLink,
    Timepoint,
)
from linkwell.referrals import policies as referrals

KIND = "outcome_due"  # the inbox kind: NotificationKind.OUTCOME_DUE


def due_follow_ups(today: dt.date) -> Any:
    return Administration.objects.filter(
        status=AdministrationStatus.DRAFT,
        timepoint=Timepoint.FOLLOW_UP,
        due_on__lte=today,
        reminded_at=None,
    ).select_related("case", "case__connector", "referral", "referral__service", "person")


def send_reminders(*, today: dt.date | None = None, via: str = "remind_outcomes") -> int:
    """Remind each follow-up due by `today` once. Returns how many were reminded."""
    today = today or timezone.localdate()
    count = 0
    for administration in due_follow_ups(today).iterator(chunk_size=200):
        with transaction.atomic():
            now = timezone.now()
            claimed = Administration.objects.filter(pk=administration.pk, reminded_at=None).update(
                reminded_at=now
            )
            if not claimed:
                continue  # another run took it
            staff = _staff(administration)
            told = notify(
                staff,
                KIND,
                _staff_message(administration),
                link=_path(administration),
                about=administration,
            )
            person_told = _remind_person(administration, now)
            record_event(
                actor=None,
                action="outcomes.administration.reminded",
                target=administration,
                via=via,
                details={"staff_told": told, "person_told": person_told},
            )
            count += 1
    return count


def _staff(administration: Administration) -> list[Any]:
    case = administration.case
    if case is not None and case.connector_id is not None and case.connector.is_active:
        return [case.connector]
    if administration.recorded_by_id is not None:
        return [administration.recorded_by]
    if administration.referral is not None:
        return referrals.answerers_of(administration.referral.service)
    return []


def _name(administration: Administration) -> str:
    instrument = instruments.get(administration.instrument)
    if instrument is None:
        return administration.instrument
    return instrument.name.get("en") or administration.instrument


def _staff_message(administration: Administration) -> str:
    """No names: a reference and the questionnaire."""
    where = (
        f"case {str(administration.case_id)[:8]}"
        if administration.case_id
        else f"referral {administration.referral.reference}"
    )
    return (
        f"A follow-up questionnaire ({_name(administration)}) for {where} was due on "
        f"{administration.due_on:%d %B %Y} and is not answered yet."
    )


def _path(administration: Administration) -> str:
    if administration.case_id:
        return f"/cases/{administration.case_id}/"
    return f"/referrals/{administration.referral_id}/"


def _remind_person(administration: Administration, now: dt.datetime) -> bool:
    """Through the channel of a link still working (its token is not kept: the reminder
    points to the message sent, and the person can ask for a new link from it)."""
    link = (
        SelfCompletionLink.objects.filter(
            administration=administration, used_at=None, revoked_at=None, expires_at__gt=now
        )
        .order_by("-created_at")
        .first()
    )
    if link is None:
        return False
    person = administration.person
    address = (person.email if link.channel == LinkChannel.EMAIL else person.phone).strip()
    if not address:
        return False
    with translation.override(administration.language or "en"):
        message = _(
            "Hello %(name)s. A reminder: please answer the few questions in the message we "
            "sent you on %(sent)s. The link in it works until %(until)s."
        ) % {
            "name": person.given_name,
            "sent": timezone.localtime(link.created_at).strftime("%d %B %Y"),
            "until": timezone.localtime(link.expires_at).strftime("%d %B %Y"),
        }
        subject = _("A reminder: a few questions about how you are")
    texts.send(
        link.channel,
        address,
        message + "\n" if link.channel == LinkChannel.EMAIL else message,
        subject=subject,
        kind="outcome_reminder",
        first_name=person.given_name,
        sender=link.sent_by,
        about=administration,
    )
    return True
