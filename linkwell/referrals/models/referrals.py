"""A referral of a person to a service, and every change of its status.

The statuses follow FHIR Task (see `lifecycle.py` for the allowed moves and the FHIR codes);
only `actions` change them, each move writing a `ReferralEvent` and an audit event together.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linkwell.referrals.models.contact_requests import new_reference
from linkwell.referrals.models.encounters import NEED_CHOICES


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WAITLISTED = "waitlisted", _("On the waiting list")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DID_NOT_ENGAGE = "did_not_engage", _("Did not engage")
    CANCELLED = "cancelled", _("Cancelled")


class DeclineReason(models.TextChoices):
    """Why a service declined a referral: a code the partnership can count, beside the
    service's own words (`Referral.decline_reason`)."""

    NO_CAPACITY = "no_capacity", _("No capacity")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    PERSON_DECLINED = "person_declined", _("The person declined")
    COULD_NOT_CONTACT = "could_not_contact", _("Could not contact the person")
    DUPLICATE = "duplicate", _("Duplicate referral")
    OTHER = "other", _("Other")


class Referral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=16, unique=True, default=new_reference, editable=False)
    person = models.ForeignKey(
        "referrals.Person", on_delete=models.PROTECT, related_name="referrals"
    )
    service = models.ForeignKey(
        "directory.Service", on_delete=models.PROTECT, related_name="referrals"
    )
    need = models.CharField(max_length=40, choices=NEED_CHOICES, blank=True)
    reason = models.TextField(blank=True, max_length=1000, help_text="What the service is told.")
    encounter = models.ForeignKey(
        "referrals.Encounter",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    from_case = models.ForeignKey(
        "referrals.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="onward_referrals",
        help_text="An onward referral made by a connector.",
    )
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    status_changed_at = models.DateTimeField()
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals_made",
    )
    referrer_label = models.CharField(max_length=255)
    referrer_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The referring GP practice, for a social prescribing programme's per-practice cap.
    gp_practice = models.ForeignKey(
        "places.GPPractice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the referrer sent about the person, when it came as a message (FHIR): a referrer
    # who was linked to a person held already sees this, not the record.
    submission = models.ForeignKey(
        "referrals.PersonSubmission",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    safeguarding = models.BooleanField(default=False)
    legal_basis = models.TextField(blank=True, max_length=1000)
    # Why it was declined: the service's words, and the code counted (blank until declined).
    decline_reason = models.TextField(blank=True, max_length=1000)
    decline_reason_code = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    outcome = models.TextField(blank=True, max_length=2000)
    snomed_code = models.CharField(max_length=20, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, help_text="An answer is due by then.")
    answered_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # A place taken in the service's capacity (given back if the referral ends early).
    capacity_period = models.ForeignKey(
        "referrals.CapacityPeriod",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Counted against a programme's caps (grant year starting then), else waiting.
    programme_year = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referrer", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="referral_idempotency_key_once",
            ),
            models.CheckConstraint(
                condition=Q(safeguarding=False) | ~Q(legal_basis=""),
                name="referral_safeguarding_has_legal_basis",
            ),
        ]
        indexes = [
            models.Index(fields=["service", "status", "created_at"]),
            models.Index(fields=["referrer", "created_at"]),
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["service", "status", "waitlisted_at"]),
            models.Index(fields=["person", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"Referral {self.reference}"


class ReferralEvent(models.Model):
    """One change of a referral's status: who, when, why (the referral's own history)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=255)
    note = models.TextField(blank=True, max_length=2000)
    snomed_code = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral.reference}: {self.from_status or '-'} -> {self.to_status}"
