"""The in-product inbox: one row per person told. A notice points at what it is about by a
site path (`link`) and a generic reference (`subject_type`, `subject_id`), never by a foreign
key: the apps that notify (directory, referrals) sit above this one."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    # Referrals
    NEW_REFERRAL = "new_referral", _("New referral")
    DECISION = "decision", _("Decision on a referral")
    ESCALATION = "escalation", _("Referral not answered in time")
    COMPLETION = "completion", _("Referral completed")
    # Contact requests
    NEW_CONTACT_REQUEST = "new_contact_request", _("New request to contact someone")
    # Listings
    LISTING_PUBLISHED = "listing_published", _("Listing changes published")
    LISTING_NOT_PUBLISHED = "listing_not_published", _("Listing changes not published")
    LISTINGS_TO_CHECK = "listings_to_check", _("Listings to check")
    # Outcomes
    OUTCOME_DUE = "outcome_due", _("Follow-up questionnaire due")


def subject_of(obj: Any) -> tuple[str, str]:
    """The generic reference of a model instance: ("app_label.model", "its pk")."""
    return obj._meta.label_lower, str(obj.pk)


class NotificationQuerySet(models.QuerySet):
    def about(self, obj: Any) -> NotificationQuerySet:
        """The notices about `obj` (a referral, a service, a contact request ...)."""
        subject_type, subject_id = subject_of(obj)
        return self.filter(subject_type=subject_type, subject_id=subject_id)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    message = models.TextField(max_length=2000)
    link = models.CharField(
        max_length=300,
        blank=True,
        help_text="The site path the notice points at (e.g. /referrals/<id>/); empty: none.",
    )
    subject_type = models.CharField(
        max_length=100, blank=True, help_text='What it is about: "app_label.model".'
    )
    subject_id = models.CharField(max_length=64, blank=True, help_text="Its primary key.")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at", "created_at"], name="notification_inbox"),
            models.Index(fields=["subject_type", "subject_id"], name="notification_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"

    def is_about(self, obj: Any) -> bool:
        return (self.subject_type, self.subject_id) == subject_of(obj)
