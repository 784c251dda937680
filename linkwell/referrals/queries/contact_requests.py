"""Reads of contact requests, always through what the reader may see (policies)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from linkwell.referrals.models import ContactRequest, ContactRequestStatus
from linkwell.referrals.policies import readable_contact_requests


def inbox_requests(user: Any, status: str = "") -> QuerySet[ContactRequest]:
    """The requests `user` may read, newest first, optionally of one status."""
    requests = readable_contact_requests(user).select_related("service__organization")
    if status in ContactRequestStatus.values:
        requests = requests.filter(status=status)
    return requests.order_by("-created_at", "-id")


def get_contact_request(user: Any, request_id: uuid.UUID) -> ContactRequest | None:
    """One request if `user` may read it; None alike for "not yours" and "does not exist"."""
    return (
        readable_contact_requests(user)
        .select_related("service__organization")
        .prefetch_related("updates")
        .filter(pk=request_id)
        .first()
    )


def count_new_requests(user: Any) -> int:
    """New requests waiting for `user` (0 for anyone without an inbox): for a nav badge."""
    return readable_contact_requests(user).filter(status=ContactRequestStatus.NEW).count()


def service_phone_numbers(service: Any) -> list[str]:
    """The service's own phone numbers, to show a person who would rather call."""
    numbers = [p.number for p in service.phones.all()]
    for contact in service.contacts.all():
        numbers += [p.number for p in contact.phones.all()]
    return list(dict.fromkeys(n for n in numbers if n))


def purgeable_contact_requests(older_than_days: int) -> QuerySet[ContactRequest]:
    """Closed requests past their retention: closed more than `older_than_days` ago."""
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    return ContactRequest.objects.filter(
        status=ContactRequestStatus.CLOSED, closed_at__lt=cutoff
    ).order_by("closed_at")
