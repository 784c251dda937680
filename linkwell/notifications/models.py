"""The in-product inbox: one row per person told; and the messages sent out of the product
(e-mail, text), one row per recipient, kept with their delivery status for whoever caused them.
One row per person told. A notice points at what it is about by a
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
    IMPORT_FINISHED = "import_finished", _("Import finished")
    # Outcomes
    OUTCOME_DUE = "outcome_due", _("Follow-up questionnaire due")
    # Messages sent for someone
    DELIVERY_FAILED = "delivery_failed", _("Message not delivered")


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


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    TEXT = "text", _("Text message")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    RETRYING = "retrying", _("Not sent yet: trying again")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not delivered")


class MessageKind(models.TextChoices):
    """What a message is, for its sender's list (staff notices use their NotificationKind)."""

    OUTCOME_LINK = "outcome_link", _("Link to answer a few questions")
    OUTCOME_REMINDER = "outcome_reminder", _("Reminder to answer a few questions")


# What a message may carry to the gateway. No other personal detail than a first name: the
# subject and body are written for a lock screen or a shared mailbox (see actions.py).
PERSONALISATION_KEYS = frozenset({"subject", "body", "first_name", "link"})


class OutgoingMessageQuerySet(models.QuerySet):
    def about(self, obj: Any) -> OutgoingMessageQuerySet:
        subject_type, subject_id = subject_of(obj)
        return self.filter(subject_type=subject_type, subject_id=subject_id)


class OutgoingMessage(models.Model):
    """One e-mail or text to one address, written in the caller's transaction and delivered
    by a job after commit. Its personalisation (which may hold a self-completion token) is
    emptied once the message is sent or has finally failed: only the summary stays."""

    channel = models.CharField(max_length=10, choices=MessageChannel.choices)
    to = models.CharField(max_length=320, help_text="The e-mail address or phone number.")
    template = models.CharField(
        max_length=30, help_text="The name of its Notify template in NOTIFY_TEMPLATES."
    )
    personalisation = models.JSONField(default=dict, blank=True)
    kind = models.CharField(max_length=30, help_text="A NotificationKind or a MessageKind.")
    summary = models.CharField(
        max_length=150, blank=True, help_text="What it says, with no personal details."
    )
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    notify_id = models.CharField(
        max_length=64, blank=True, help_text="GOV.UK Notify's id for it, once accepted."
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages_sent",
        help_text="Who caused it; empty for the product's own (scheduled) messages.",
    )
    subject_type = models.CharField(max_length=100, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    sending_since = models.DateTimeField(
        null=True, blank=True, help_text="Set while a worker is sending it."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    objects = OutgoingMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["sent_by", "created_at"], name="message_sender"),
            models.Index(fields=["status", "created_at"], name="message_status"),
            models.Index(fields=["subject_type", "subject_id"], name="message_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.pk} ({self.status})"

    @property
    def kind_label(self) -> str:
        for choices in (MessageKind, NotificationKind):
            if self.kind in choices.values:
                return str(choices(self.kind).label)
        return self.kind

    @property
    def to_shown(self) -> str:
        """The address or number, partly hidden (a list on a screen others may see)."""
        if self.channel == MessageChannel.TEXT:
            return _("number ending %(end)s") % {"end": self.to.replace(" ", "")[-3:]}
        name, _at, domain = self.to.partition("@")
        return f"{name[:1]}…@{domain}"
