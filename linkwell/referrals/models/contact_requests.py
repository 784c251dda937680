"""Self-referral: a citizen asks a service to contact them (issue 3). The small, public-facing
kind of referral; practitioner referrals with people and consent are in `referrals.py`.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# No 0/O, 1/I/L: a reference read out over the phone should not be misheard.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    """A short reference such as "LW-7K3M-9QPX", quoted by the person and the provider."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"LW-{chars[:4]}-{chars[4:]}"


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("Email")


class ContactRequestStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    CLOSED = "closed", _("Closed")


# Which status may follow which (see actions.update_contact_request_status).
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    ContactRequestStatus.NEW: frozenset(
        {ContactRequestStatus.CONTACTED, ContactRequestStatus.CLOSED}
    ),
    ContactRequestStatus.CONTACTED: frozenset({ContactRequestStatus.CLOSED}),
    ContactRequestStatus.CLOSED: frozenset(),
}


class ContactRequest(models.Model):
    """Someone asked a service to contact them. Holds personal details: reads are audited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=16, unique=True, default=new_reference, editable=False)
    # PROTECT: deleting a listing must not silently delete people's requests to it.
    service = models.ForeignKey(
        "directory.Service", on_delete=models.PROTECT, related_name="contact_requests"
    )
    name = models.CharField(max_length=100)
    contact_method = models.CharField(max_length=10, choices=ContactMethod.choices)
    phone = models.CharField(max_length=32, blank=True, help_text="UK number, national format.")
    email = models.EmailField(blank=True)
    best_time = models.CharField(max_length=100, blank=True)
    message = models.TextField(blank=True, max_length=500)
    language = models.CharField(max_length=16, help_text="The page language the person used.")
    consent_text = models.TextField(help_text="The consent statement exactly as it was shown.")
    consent_given_at = models.DateTimeField()
    status = models.CharField(
        max_length=10,
        choices=ContactRequestStatus.choices,
        default=ContactRequestStatus.NEW,
        db_index=True,
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Set when a provider turned the request into a person and a referral (then closed).
    referral = models.ForeignKey(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The referral this request became.",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Protection against double submission and replayed forms (see protection.py).
    fingerprint = models.CharField(max_length=64, db_index=True, editable=False)
    form_nonce = models.CharField(max_length=32, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["service", "status", "created_at"])]

    def __str__(self) -> str:
        # No personal details: this label lands in the audit log, which outlives the request.
        return f"Contact request {self.reference}"


class ContactRequestUpdate(models.Model):
    """A status change by the provider, with their optional note (deleted with the request)."""

    contact_request = models.ForeignKey(
        ContactRequest, on_delete=models.CASCADE, related_name="updates"
    )
    status = models.CharField(max_length=10, choices=ContactRequestStatus.choices)
    note = models.TextField(blank=True, max_length=1000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=255)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.contact_request.reference} -> {self.status}"
