"""The in-product inbox: new referrals, decisions, escalations and completions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    NEW_REFERRAL = "new_referral", _("New referral")
    DECISION = "decision", _("Decision on a referral")
    ESCALATION = "escalation", _("Referral not answered in time")
    COMPLETION = "completion", _("Referral completed")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    message = models.TextField(max_length=2000)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"
