"""Every change in keeping listings current: atomic, audited, actor given.

A provider's edit becomes a `ListingChange` (one open per service; editing again updates it); a
partnership admin approves it, which publishes it through `actions.save_services` (ids stay
stable, the import audit trail sees it), or rejects it with a reason. "Confirm still correct"
only moves the review date, so it publishes at once (docs/adr/0010). People are told through
the one notification path (an inbox notice, and an e-mail after commit: docs/adr/0024).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linkwell.accounts.policies import Action, can
from linkwell.audit.actions import record_event
from linkwell.directory import models as m
from linkwell.directory.actions import save_services
from linkwell.directory.listings.diff import changed_labels
from linkwell.directory.listings.records import (
    Listing,
    current_listing,
    listing_from_json,
    listing_to_json,
)
from linkwell.directory.queries.listings import StaleNotice, has_changed_since, stale_notices
from linkwell.notifications import actions as notifications
from linkwell.notifications.models import NotificationKind

Status = m.ListingChange.Status
VIA = "provider pages"


class ListingChangeError(Exception):
    """The change cannot be made; the message says why, in words for the person."""


class NotAllowed(ListingChangeError):
    pass


class Conflict(ListingChangeError):
    """The listing was saved by someone else after the provider began editing."""


class NothingChanged(ListingChangeError):
    pass


def _require(actor: Any, action: Action, obj: Any = None) -> None:
    if not can(actor, action, obj):
        raise NotAllowed(_("You do not have permission to do that."))


def _locked_service(service: m.Service) -> m.Service:
    return m.Service.objects.select_for_update().get(pk=service.pk)


def submit_change(
    service: m.Service, proposed: Listing, *, base_version: dt.datetime, actor: Any
) -> m.ListingChange:
    """Propose `proposed` for review; an open change of the same service is updated instead."""
    _require(actor, Action.EDIT_SERVICE, service)
    doc = listing_to_json(proposed)
    with transaction.atomic():
        _locked_service(service)
        change = (
            m.ListingChange.objects.select_for_update()
            .filter(service=service, status=Status.SUBMITTED)
            .first()
        )
        fields = changed_labels(current_listing(service), proposed)
        if not fields:
            raise NothingChanged(_("Nothing was changed."))
        now = timezone.now()
        verb = "updated" if change else "submitted"
        if change is None:
            change = m.ListingChange(service=service)
        change.proposed = doc
        change.base_version = base_version
        change.submitted_by = actor
        change.submitted_at = now
        change.save()
        record_event(
            actor=actor,
            action=f"directory.listing_change.{verb}",
            target=change,
            via=VIA,
            details={"service": str(service.pk), "fields": fields},
        )
    return change


def withdraw_change(change: m.ListingChange, *, actor: Any) -> None:
    _require(actor, Action.EDIT_SERVICE, change.service)
    with transaction.atomic():
        updated = m.ListingChange.objects.filter(pk=change.pk, status=Status.SUBMITTED).update(
            status=Status.WITHDRAWN
        )
        if not updated:
            raise ListingChangeError(_("This change has already been decided."))
        record_event(
            actor=actor, action="directory.listing_change.withdrawn", target=change, via=VIA
        )


def confirm_listing(service: m.Service, *, actor: Any) -> dt.date:
    """Mark the listing reviewed today, changing nothing else. Published at once."""
    _require(actor, Action.EDIT_SERVICE, service)
    today = timezone.localdate()
    with transaction.atomic():
        previous = _locked_service(service).assured_date
        # An update, not save(): `updated_at` stays, so an edit under review does not conflict.
        # The fingerprint goes: the next import writes its own review date again, as before.
        m.Service.objects.filter(pk=service.pk).update(assured_date=today, import_fingerprint=None)
        record_event(
            actor=actor,
            action="directory.service.confirmed_current",
            target=service,
            via=VIA,
            details={"assured_date": today.isoformat(), "previous": str(previous or "")},
        )
    service.assured_date = today
    return today


def _decide(change: m.ListingChange, actor: Any, status: str, note: str) -> m.ListingChange:
    """Claim the change for a decision (a conditional update, so two reviewers cannot both)."""
    now = timezone.now()
    claimed = m.ListingChange.objects.filter(pk=change.pk, status=Status.SUBMITTED).update(
        status=status, reviewed_by=actor, reviewed_at=now, reviewer_note=note
    )
    if not claimed:
        raise ListingChangeError(_("This change has already been decided or withdrawn."))
    change.refresh_from_db()
    return change


def approve_change(
    change: m.ListingChange, *, actor: Any, overwrite: bool = False, note: str = ""
) -> m.ListingChange:
    """Publish the change. Refuses if the listing changed since the edit began, unless the
    reviewer has seen that and chosen to `overwrite`."""
    _require(actor, Action.REVIEW_LISTINGS)
    with transaction.atomic():
        service = _locked_service(change.service)
        conflicted = has_changed_since(change)
        if conflicted and not overwrite:
            raise Conflict(
                _(
                    "The listing has changed since this edit was begun. Check the differences "
                    "against the listing as it is now before publishing."
                )
            )
        change = _decide(change, actor, Status.APPROVED, note.strip())
        listing = listing_from_json(change.proposed)
        record = listing.record
        record.id = service.pk
        record.assured_date = timezone.localdate()
        record.last_modified = None
        save_services([record], actor=actor, via=VIA, source=service.source)
        _place_schedules(service, listing)
        m.Service.objects.filter(pk=service.pk).update(
            eligibility_description=listing.eligibility_description
        )
        record_event(
            actor=actor,
            action="directory.listing_change.approved",
            target=change,
            via=VIA,
            details={"service": str(service.pk), "overwrote_newer_edit": conflicted},
        )
        _tell_submitter(change)
    return change


def reject_change(change: m.ListingChange, *, actor: Any, reason: str) -> m.ListingChange:
    _require(actor, Action.REVIEW_LISTINGS)
    reason = (reason or "").strip()
    if not reason:
        raise ListingChangeError(_("Give the reason, so the provider can put it right."))
    if strip_tags(reason) != reason:
        raise ListingChangeError(_("Write the reason in plain words, without HTML."))
    with transaction.atomic():
        change = _decide(change, actor, Status.REJECTED, reason)
        record_event(
            actor=actor,
            action="directory.listing_change.rejected",
            target=change,
            via=VIA,
            details={"service": str(change.service_id), "reason": reason},
        )
        _tell_submitter(change)
    return change


def _place_schedules(service: m.Service, listing: Listing) -> None:
    """Tie each opening time to its location's service-at-location.

    `save_services` writes a service's schedules to the service as a whole; a record cannot say
    which location a time belongs to, so the listing keeps that beside it and it is applied here.
    A schedule tied to a location belongs to it alone (its service link is cleared), as the
    public page and the ORUK feed show service-wide and per-location times side by side.
    """
    record = listing.record
    schedules = list(m.Schedule.objects.filter(service=service).order_by("id"))
    by_id = {s.id: s for s in schedules}
    links = {sal.location_id: sal.pk for sal in m.ServiceAtLocation.objects.filter(service=service)}
    for index, (schedule, where) in enumerate(
        zip(record.schedules, listing.schedule_locations, strict=True)
    ):
        if where is None:
            continue
        schedule_id = schedule.id or uuid.uuid5(service.pk, f"schedule/{index}")
        row = by_id.get(schedule_id)
        location_id = record.locations[where].id
        if row is None or location_id not in links:
            continue
        m.Schedule.objects.filter(pk=row.pk).update(
            service=None, service_at_location_id=links[location_id]
        )


def _dashboard_path() -> str:
    return reverse("listings:dashboard")


def _tell_submitter(change: m.ListingChange) -> None:
    """The provider who proposed the change is told the decision (inbox, then e-mail)."""
    person = change.submitted_by
    if person is None:
        return
    context = {
        "change": change,
        "service": change.service,
        "dashboard_url": settings.PUBLIC_BASE_URL + _dashboard_path(),
    }
    published = change.status == Status.APPROVED
    subject = (
        _("Published: your changes to %(name)s")
        if published
        else _("Not published: your changes to %(name)s")
    ) % {"name": change.service.name}
    message = subject if published else f"{subject}\n{change.reviewer_note}"
    notifications.notify(
        [person],
        NotificationKind.LISTING_PUBLISHED if published else NotificationKind.LISTING_NOT_PUBLISHED,
        message,
        link=_dashboard_path(),
        about=change.service,
        email_subject=subject,
        email_body=render_to_string("directory/provider/decision_email.txt", context),
    )


def notify_stale_listings(*, actor: Any = None, today: dt.date | None = None) -> list[StaleNotice]:
    """Tell each partner's provider editors their stale listings (inbox and e-mail), once a
    day at most.

    Returns the notices sent now (those already sent today, or with nobody to tell, are not).
    """
    today = today or timezone.localdate()
    sent = []
    for notice in stale_notices(today):
        if not notice.users:
            continue
        with transaction.atomic():
            row, created = m.StaleListingNotice.objects.get_or_create(
                organisation=notice.organisation,
                sent_on=today,
                defaults={
                    "recipients": notice.recipients,
                    "service_ids": [str(r.service.pk) for r in notice.rows],
                },
            )
            if not created:
                continue
            record_event(
                actor=actor,
                action="directory.stale_listings.notified",
                target=notice.organisation,
                via="notify_stale_listings",
                details={"recipients": notice.recipients, "services": row.service_ids},
            )
            _tell_stale(notice, today)
        sent.append(notice)
    return sent


def _tell_stale(notice: StaleNotice, today: dt.date) -> None:
    context = {
        "notice": notice,
        "today": today,
        "stale_after_days": settings.LISTING_STALE_AFTER_DAYS,
        "dashboard_url": settings.PUBLIC_BASE_URL + _dashboard_path(),
    }
    message = ngettext(
        "%(count)s listing to check for %(organisation)s",
        "%(count)s listings to check for %(organisation)s",
        len(notice.rows),
    ) % {"count": len(notice.rows), "organisation": notice.organisation.name}
    notifications.notify(
        notice.users,
        NotificationKind.LISTINGS_TO_CHECK,
        message,
        link=_dashboard_path(),
        about=notice.organisation,
        email_body=render_to_string("directory/provider/stale_email.txt", context),
    )
