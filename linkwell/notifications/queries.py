"""Reads of the inbox and of the messages sent: each person reads only their own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from linkwell.notifications.models import Notification, OutgoingMessage


def notifications_for(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    notes = Notification.objects.filter(user=user)
    if unread_only:
        notes = notes.filter(read_at=None)
    return notes.order_by("-created_at", "-id")


def count_unread(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at=None).count()


def subject_pk(notification: Notification, subject_type: str) -> str | None:
    """The pk of what the notice is about, when it is a `subject_type` ("app_label.model")."""
    if notification.subject_type == subject_type and notification.subject_id:
        return notification.subject_id
    return None


def messages_sent_by(user: Any, *, days: int = 30, limit: int = 10) -> list[OutgoingMessage]:
    """The e-mails and texts `user` caused lately, newest first: for them to see which went."""
    if not getattr(user, "is_authenticated", False):
        return []
    since = timezone.now() - dt.timedelta(days=days)
    return list(
        OutgoingMessage.objects.filter(sent_by=user, created_at__gte=since).order_by(
            "-created_at", "-id"
        )[:limit]
    )
