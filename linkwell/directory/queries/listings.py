"""Reads for keeping listings current: a provider's listings and their review dates, the review
queue, stale listings, and which listings default search leaves out.

A listing is *stale* once it has gone unreviewed for more than LISTING_STALE_AFTER_DAYS (or was
never reviewed), as the public page says (`presentation.is_stale`). Its provider is told; if it
is still unreviewed LISTING_STALE_GRACE_DAYS later it leaves default search (the cutoff is the
public search's own, `presentation.public_review_cutoff`). A listing never reviewed is flagged
but stays in search.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from linkwell.accounts.models import Membership, Organisation, Role
from linkwell.directory import models as m
from linkwell.directory.presentation import is_stale, public_review_cutoff

Status = m.ListingChange.Status


def _stale_after() -> dt.timedelta:
    return dt.timedelta(days=settings.LISTING_STALE_AFTER_DAYS)


def _grace() -> dt.timedelta:
    return dt.timedelta(days=settings.LISTING_STALE_GRACE_DAYS)


def hidden_on(service: m.Service) -> dt.date | None:
    """The first day default search leaves the listing out, unless it is reviewed before.

    None for a listing never reviewed: public search keeps those (it has no date to be past;
    imported feeds often lack one), while its page says it may be out of date (docs/adr/0009).
    """
    if service.assured_date is None:
        return None
    return service.assured_date + _stale_after() + _grace() + dt.timedelta(days=1)


def search_cutoff(today: dt.date | None = None) -> dt.date:
    """Listings last reviewed before this day are left out of default search."""
    return public_review_cutoff(today)


def shown_in_default_search(today: dt.date | None = None) -> Q:
    """A condition on Service: never reviewed, or reviewed on or after the cutoff."""
    return Q(assured_date__isnull=True) | Q(assured_date__gte=search_cutoff(today))


def hidden_from_search_after(today: dt.date | None = None) -> Q:
    """The opposite of `shown_in_default_search`: listings past their grace period."""
    return Q(assured_date__lt=search_cutoff(today))


def stale_condition(today: dt.date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(assured_date__isnull=True) | Q(assured_date__lt=today - _stale_after())


@dataclass
class ListingRow:
    """One line of a provider's dashboard."""

    service: m.Service
    last_checked: dt.date | None
    is_stale: bool
    hidden_on: dt.date | None  # None: never reviewed, so never hidden
    is_hidden: bool
    open_change: m.ListingChange | None
    last_decision: m.ListingChange | None  # the latest approved or rejected change


def listing_rows(services: QuerySet[m.Service], today: dt.date | None = None) -> list[ListingRow]:
    """Each service with its review state and its latest changes (three queries in all)."""
    today = today or timezone.localdate()
    services = services.select_related("organization").prefetch_related(
        Prefetch(
            "changes",
            queryset=m.ListingChange.objects.exclude(status=Status.WITHDRAWN).order_by(
                "-submitted_at"
            ),
            to_attr="recent_changes",
        )
    )
    rows = []
    for service in services.order_by("name", "id"):
        changes = service.recent_changes
        open_change = next((c for c in changes if c.status == Status.SUBMITTED), None)
        decided = next((c for c in changes if c.status != Status.SUBMITTED), None)
        hide = hidden_on(service)
        rows.append(
            ListingRow(
                service=service,
                last_checked=service.assured_date,
                is_stale=is_stale(service, today),
                hidden_on=hide,
                is_hidden=hide is not None and today >= hide,
                open_change=open_change,
                last_decision=decided,
            )
        )
    return rows


def stale_count(services: QuerySet[m.Service], today: dt.date | None = None) -> int:
    return services.filter(stale_condition(today)).count()


def open_change(service: m.Service) -> m.ListingChange | None:
    return m.ListingChange.objects.filter(service=service, status=Status.SUBMITTED).first()


def review_queue() -> QuerySet[m.ListingChange]:
    """Changes waiting for a decision, oldest first."""
    return (
        m.ListingChange.objects.filter(status=Status.SUBMITTED)
        .select_related("service__organization", "submitted_by")
        .order_by("submitted_at", "id")
    )


def review_queue_count() -> int:
    return m.ListingChange.objects.filter(status=Status.SUBMITTED).count()


def get_change(change_id: uuid.UUID) -> m.ListingChange | None:
    return (
        m.ListingChange.objects.select_related("service__organization", "submitted_by")
        .filter(id=change_id)
        .first()
    )


def has_changed_since(change: m.ListingChange) -> bool:
    """Has the listing been saved since the provider began this edit?"""
    current = m.Service.objects.filter(pk=change.service_id).values_list("updated_at", flat=True)
    return bool(current) and current[0] != change.base_version


# Stale listings, by partner ----------------------------------------------------------------------


@dataclass
class StaleNotice:
    """What one partner organisation is told: its stale listings and who edits them."""

    organisation: Organisation
    rows: list[ListingRow]
    recipients: list[str]  # e-mail addresses, sorted
    users: list[Any] = field(default_factory=list)  # the editors told (with or without an address)


def _owner_ids(service: m.Service) -> set[uuid.UUID]:
    ids = {service.partner_id, service.department_id, service.organization.partner_id}
    return {i for i in ids if i}


def stale_notices(today: dt.date | None = None) -> list[StaleNotice]:
    """For each partner with stale listings, the listings and its provider editors' addresses.

    A listing belongs to the top-level partner of its organisation or department; its editors
    are those who may edit it (editors at the partner, or at the listing's department).
    """
    today = today or timezone.localdate()
    services = m.Service.objects.filter(
        stale_condition(today),
        status__in=(m.ServiceStatus.ACTIVE, m.ServiceStatus.TEMPORARILY_CLOSED),
    ).filter(
        Q(partner__isnull=False)
        | Q(department__isnull=False)
        | Q(organization__partner__isnull=False)
    )
    rows = listing_rows(services, today)
    organisations = Organisation.objects.in_bulk(
        {i for row in rows for i in _owner_ids(row.service)}
    )
    parents = Organisation.objects.in_bulk(
        {o.parent_id for o in organisations.values() if o.parent_id}
    )
    organisations |= parents
    editors: dict[uuid.UUID, dict[int, Any]] = defaultdict(dict)
    for membership in Membership.objects.filter(
        role=Role.PROVIDER_EDITOR,
        organisation_id__in=organisations,
        user__is_active=True,
    ).select_related("user"):
        editors[membership.organisation_id][membership.user_id] = membership.user
    grouped: dict[uuid.UUID, list[ListingRow]] = defaultdict(list)
    told: dict[uuid.UUID, dict[int, Any]] = defaultdict(dict)
    for row in rows:
        owners = _owner_ids(row.service)
        top = {organisations[i].parent_id or i for i in owners}
        for partner_id in top:
            grouped[partner_id].append(row)
            for org_id in owners | {partner_id}:
                if org_id == partner_id or organisations[org_id].parent_id == partner_id:
                    told[partner_id] |= editors[org_id]
    notices = []
    for pid in sorted(grouped, key=lambda pid: organisations[pid].name):
        users = sorted(told[pid].values(), key=lambda u: u.username)
        addresses = sorted({u.email for u in users if u.email})
        notices.append(StaleNotice(organisations[pid], grouped[pid], addresses, users))
    return notices


def notice_sent(organisation: Organisation, day: dt.date) -> bool:
    return m.StaleListingNotice.objects.filter(organisation=organisation, sent_on=day).exists()
