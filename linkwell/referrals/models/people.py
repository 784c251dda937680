"""A person referred or supported, and the consent they gave (per purpose, revocable).

Minimal by design: what a referral needs to reach the person and the service to help them.
Every read and write of a person goes through `actions`/`queries`, which audit it.
"""

import unicodedata
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def name_key(*names: str) -> str:
    """Names as searched: without case or accents, punctuation dropped, spaces kept single
    ("José O'Brien" -> "jose obrien"). Used for `Person.name_key` and for search text."""
    decomposed = unicodedata.normalize("NFKD", " ".join(n or "" for n in names))
    kept = "".join(
        ch if ch.isalnum() else " " if ch.isspace() or ch == "-" else ""
        for ch in decomposed.casefold()
        if not unicodedata.combining(ch)
    )
    return " ".join(kept.split())


class Sex(models.TextChoices):
    """The 2021 Census question "What is your sex?" (ONS), with the answer not given."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    PREFER_NOT_TO_SAY = "prefer_not_to_say", _("Prefer not to say")


class EthnicGroup(models.TextChoices):
    """The 2021 Census high-level ethnic groups for England and Wales (ONS)."""

    ASIAN = "asian", _("Asian, Asian British or Asian Welsh")
    BLACK = "black", _("Black, Black British, Black Welsh, Caribbean or African")
    MIXED = "mixed", _("Mixed or Multiple ethnic groups")
    WHITE = "white", _("White")
    OTHER = "other", _("Other ethnic group")
    PREFER_NOT_TO_SAY = "prefer_not_to_say", _("Prefer not to say")


class Person(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    birth_date = models.DateField()
    nhs_number = models.CharField(
        max_length=10, blank=True, db_index=True, help_text="10 digits, Modulus 11 checked."
    )
    postcode = models.CharField(max_length=8, blank=True)
    small_area = models.ForeignKey(
        "places.SmallArea", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ward = models.ForeignKey(
        "places.Ward", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    gp_practice = models.ForeignKey(
        "places.GPPractice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    preferred_language = models.CharField(max_length=16, blank=True, help_text="ISO 639 code.")
    interpreter_needed = models.BooleanField(default=False)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True, max_length=500)
    accessibility_needs = models.TextField(blank=True, max_length=500)
    # Optional, as the person describes themselves: for the evaluation's breakdowns ("" is
    # not asked or not recorded, unlike "prefer not to say").
    sex = models.CharField(max_length=20, blank=True, choices=Sex.choices)
    ethnic_group = models.CharField(max_length=20, blank=True, choices=EthnicGroup.choices)
    is_demo = models.BooleanField(default=False, help_text="Invented for demonstration.")
    # Given and family name folded for staff search (`name_key`): kept by `save`.
    name_key = models.CharField(max_length=201, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The organisation that recorded the person (their first contact's).
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["family_name", "given_name", "birth_date"])]

    def __str__(self) -> str:
        # No name: this label lands in the audit log.
        return f"Person {str(self.id)[:8]}"

    def save(self, *args, **kwargs) -> None:
        self.name_key = name_key(self.given_name, self.family_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"given_name", "family_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class DuplicateFlag(models.Model):
    """A person entered although they looked like someone already held; for review."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="duplicate_flags")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=100)
    flagged_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.person} may be {self.other}"


class PersonSubmission(models.Model):
    """What a referrer sent about a person, kept as sent (a GP system's Patient resource).

    When a submitted identity is linked to a person already held (NHS number, birth date and
    family name all agree), the record is not changed and the sender is not given it: what
    they see of the person is what they sent, kept here, and their own referral.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="submissions")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by_label = models.CharField(max_length=255)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    via = models.CharField(max_length=255, blank=True)
    linked = models.BooleanField(
        default=False, help_text="Matched to a person held already (rather than registered)."
    )
    # The person's fields as the sender gave them (strings; birth_date as YYYY-MM-DD).
    details = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["person", "submitted_by"])]

    def __str__(self) -> str:
        return f"Submission {str(self.id)[:8]} about {self.person}"


class ConsentSource(models.TextChoices):
    RECORDED = "recorded", _("Recorded with the person")
    STATED_BY_SENDER = "stated_by_sender", _("Stated by the sender of a referral")
    OWN_REQUEST = "own_request", _("Given by the person in their own request to the service")


class ConsentPurpose(models.TextChoices):
    SHARE_WITH_SERVICE = "share_with_service", _("Share my details with the named service")
    CONTACT_PHONE = "contact_phone", _("Contact me by phone")
    CONTACT_TEXT = "contact_text", _("Contact me by text message")
    CONTACT_LETTER = "contact_letter", _("Contact me by letter")
    TELL_GP_AND_REFERRER = "tell_gp_and_referrer", _("Tell my GP and the referrer what happened")


class Consent(models.Model):
    """Consent for one purpose (for sharing: with one service), until withdrawn."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=32, choices=ConsentPurpose.choices)
    service = models.ForeignKey(
        "directory.Service", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_label = models.CharField(max_length=255)
    recorded_at = models.DateTimeField()
    how = models.CharField(max_length=100, blank=True, help_text="e.g. verbally at the visit")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by_label = models.CharField(max_length=255, blank=True)
    source = models.CharField(
        max_length=20, choices=ConsentSource.choices, default=ConsentSource.RECORDED
    )
    provenance = models.CharField(
        max_length=500, blank=True, help_text="Where a stated consent came from (which message)."
    )
    # Consents given in one conversation (several services at once) share this id.
    conversation = models.UUIDField(null=True, blank=True, db_index=True)
    # Set: this consent counts only for the referrals resting on that submission (a sender's
    # statement about a person held already never widens the person's consent elsewhere).
    submission = models.ForeignKey(
        PersonSubmission,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="consents",
    )

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(purpose="share_with_service") | Q(service__isnull=False),
                name="consent_share_names_a_service",
            )
        ]
        indexes = [models.Index(fields=["person", "purpose", "service"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({'withdrawn' if self.withdrawn_at else 'given'})"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None
