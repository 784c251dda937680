"""A contact (Every Contact Counts): a practitioner met a person and noticed needs."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linkwell.directory.vocabularies import NEEDS


class EncounterKind(models.TextChoices):
    SAFE_AND_WELL = "safe_and_well", _("Safe and Well visit")
    GP_APPOINTMENT = "gp_appointment", _("GP appointment")
    TENANCY_CHECK = "tenancy_check", _("Tenancy check")
    POLICE_ATTENDANCE = "police_attendance", _("Police attendance")
    SELF_REFERRAL = "self_referral", _("Self-referral")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    SOON = "soon", _("Soon (within a week)")
    URGENT = "urgent", _("Urgent (within a day)")


NEED_CHOICES = [(t.code, t.name) for t in NEEDS.terms]


class Encounter(models.Model):
    """Called "contact" on the pages; `Encounter` here so as not to clash with HSDS contact."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "referrals.Person", on_delete=models.PROTECT, related_name="encounters"
    )
    kind = models.CharField(max_length=32, choices=EncounterKind.choices)
    note = models.TextField(blank=True, max_length=2000)
    occurred_at = models.DateTimeField()
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = "contact"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {str(self.id)[:8]}"


class EncounterNeed(models.Model):
    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="needs")
    need = models.CharField(max_length=40, choices=NEED_CHOICES)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["encounter", "need"], name="encounter_need_once")
        ]

    def __str__(self) -> str:
        return f"{self.need} ({self.urgency})"
