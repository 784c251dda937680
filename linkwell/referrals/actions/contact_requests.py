"""Every change to contact requests: atomic, audited in the same transaction, actor given.

Audit events name the request by its reference only: the log outlives the request (see
`purge_closed_contact_requests`), so it must hold no personal details.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from linkwell.audit.actions import actor_label, record_event, record_events
from linkwell.directory.models import Service
from linkwell.notifications import actions as notifications
from linkwell.notifications.models import NotificationKind
from linkwell.referrals import policies
from linkwell.referrals.models import (
    STATUS_TRANSITIONS,
    ContactRequest,
    ContactRequestStatus,
    ContactRequestUpdate,
)
from linkwell.referrals.protection import duplicate_window_seconds, fingerprint
from linkwell.referrals.queries import purgeable_contact_requests

# Closed requests are deleted this many days after closing (purge_contact_requests).
DEFAULT_RETENTION_DAYS = 365  # REFERRALS_RETENTION_DAYS


def retention_days() -> int:
    return int(getattr(settings, "REFERRALS_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


# The details a person gives, in the order the form asks for them.
PERSON_FIELDS = ("name", "contact_method", "phone", "email", "best_time", "message")


class ReplayedForm(ValueError):
    """This showing of the form was already used to send a different request."""


class StatusChangeRefused(ValueError):
    """The request cannot move from its status to the one asked for."""


@dataclass(frozen=True)
class Submission:
    contact_request: ContactRequest
    created: bool  # False: a double submission, answered with the request already made


def submit_contact_request(
    *,
    actor: Any,
    service: Service,
    details: dict[str, str],
    language: str,
    consent_text: str,
    form_nonce: str,
    via: str = "",
) -> Submission:
    """Store a person's request to be contacted and tell the provider after commit.

    The same details sent again within the duplicate window, or the same form sent twice,
    return the request already made instead of a second one.
    """
    person = {name: str(details.get(name, "") or "") for name in PERSON_FIELDS}
    print_ = fingerprint(service.pk, person)
    with transaction.atomic():
        # Lock the service so two identical submissions in flight cannot both be new.
        Service.objects.select_for_update().filter(pk=service.pk).first()
        used = ContactRequest.objects.filter(form_nonce=form_nonce).first()
        if used is not None:
            if used.fingerprint == print_:
                return Submission(used, created=False)
            raise ReplayedForm("this form was already sent with other details")
        since = timezone.now() - dt.timedelta(seconds=duplicate_window_seconds())
        twin = ContactRequest.objects.filter(
            service=service, fingerprint=print_, created_at__gte=since
        ).first()
        if twin is not None:
            return Submission(twin, created=False)
        now = timezone.now()
        contact_request = ContactRequest.objects.create(
            service=service,
            language=language,
            consent_text=consent_text,
            consent_given_at=now,
            fingerprint=print_,
            form_nonce=form_nonce,
            **person,
        )
        told = policies.told_of_new_requests(service)
        record_event(
            actor=actor,
            action="referrals.contact_request.created",
            target=contact_request,
            via=via,
            details={
                "service": str(service.pk),
                "language": language,
                "contact_method": person["contact_method"],
                "notified": len(told),
            },
        )
        _tell_provider(contact_request, service, told)
    return Submission(contact_request, created=True)


def _tell_provider(contact_request: ContactRequest, service: Service, told: list[Any]) -> None:
    """An inbox notice to each person told, and after commit an e-mail each. Neither holds any
    of the person's details: the service's name and a link to sign in and read the request."""
    link = reverse("referrals:inbox_detail", args=[contact_request.pk])
    url = settings.PUBLIC_BASE_URL + link
    names = {"service": service.name, "link": url}
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New request to contact someone about %(service)s") % names
        body = (
            _(
                "Someone has asked %(service)s to contact them.\n\n"
                "For their privacy this e-mail holds none of their details. Sign in to read the "
                "request:\n%(link)s\n"
            )
            % names
        )
    notifications.notify(
        told,
        NotificationKind.NEW_CONTACT_REQUEST,
        subject,
        link=link,
        about=contact_request,
        email_subject=subject,
        email_body=body,
    )


def record_contact_request_viewed(
    *, actor: Any, contact_request: ContactRequest, via: str = ""
) -> None:
    """Every read of a person's details is audited: who, when, which request."""
    if not policies.may_read(actor, contact_request):
        raise PermissionDenied
    with transaction.atomic():
        record_event(
            actor=actor,
            action="referrals.contact_request.viewed",
            target=contact_request,
            via=via,
        )


def update_contact_request_status(
    *,
    actor: Any,
    contact_request: ContactRequest,
    status: str,
    note: str = "",
    via: str = "",
) -> ContactRequest:
    """Mark a request contacted or closed, with an optional note kept with the request."""
    if not policies.may_update(actor, contact_request):
        raise PermissionDenied
    with transaction.atomic():
        current = ContactRequest.objects.select_for_update().get(pk=contact_request.pk)
        if status not in STATUS_TRANSITIONS.get(current.status, frozenset()):
            raise StatusChangeRefused(f"status: a {current.status} request cannot become {status}")
        now = timezone.now()
        previous = current.status
        current.status = status
        current.status_changed_at = now
        fields = ["status", "status_changed_at"]
        if status == ContactRequestStatus.CLOSED:
            current.closed_at = now
            fields.append("closed_at")
        current.save(update_fields=fields)
        ContactRequestUpdate.objects.create(
            contact_request=current,
            status=status,
            note=note,
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=actor_label(actor),
        )
        record_event(
            actor=actor,
            action=f"referrals.contact_request.{status}",
            target=current,
            via=via,
            # Whether there was a note, not the note: the log outlives the request.
            details={"from": previous, "to": status, "has_note": bool(note)},
        )
    return current


def purge_closed_contact_requests(*, actor: Any, older_than_days: int, via: str = "") -> int:
    """Delete requests closed more than `older_than_days` ago, with their notes. Audited."""
    if older_than_days < 0:
        raise ValueError("older_than_days: must be zero or more")
    with transaction.atomic():
        doomed = list(purgeable_contact_requests(older_than_days).select_for_update())
        if not doomed:
            return 0
        record_events(
            actor=actor,
            action="referrals.contact_request.purged",
            targets=[(ContactRequest._meta.label_lower, str(r.pk), str(r)) for r in doomed],
            via=via,
            details={"older_than_days": older_than_days},
        )
        notifications.forget(doomed)
        ContactRequest.objects.filter(pk__in=[r.pk for r in doomed]).delete()
    return len(doomed)
