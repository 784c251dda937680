"""What was asked and answered (an administration of an instrument), the links a person
answers through without signing in, and the coded outcome of a referral."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Timepoint(models.TextChoices):
    BASELINE = "baseline", _("Baseline (at the start)")
    FOLLOW_UP = "follow_up", _("Follow-up (at the end)")
    OTHER = "other", _("In between")


class Mode(models.TextChoices):
    CONNECTOR = "connector", _("With a connector")
    PROVIDER = "provider", _("With the service")
    SELF = "self", _("By the person, through a link")


class AdministrationStatus(models.TextChoices):
    DRAFT = "draft", _("Started, not finished")
    COMPLETE = "complete", _("Complete")


class Administration(models.Model):
    """One instrument asked of one person at one time: the answers so far (a draft keeps
    them) and, when complete, the scores worked out from them by the instrument's definition
    (its key and version are kept, so a later change of definition rescores nothing)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "referrals.Person", on_delete=models.PROTECT, related_name="administrations"
    )
    instrument = models.CharField(max_length=40)
    instrument_version = models.CharField(max_length=20)
    timepoint = models.CharField(max_length=12, choices=Timepoint.choices)
    mode = models.CharField(max_length=12, choices=Mode.choices)
    status = models.CharField(
        max_length=10, choices=AdministrationStatus.choices, default=AdministrationStatus.DRAFT
    )
    # Where it was asked: a connector's case, or the referral a service completes.
    case = models.ForeignKey(
        "referrals.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="administrations",
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="administrations",
    )
    language = models.CharField(max_length=16, default="en")
    answers = models.JSONField(default=dict, blank=True)  # item id -> value given
    total = models.FloatField(null=True, blank=True)
    metric = models.FloatField(null=True, blank=True)  # after a conversion table, if any
    band = models.CharField(max_length=40, blank=True)  # the band's code
    subscales = models.JSONField(default=dict, blank=True)  # id -> {"score", "band"}
    started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    # A follow-up falls due then (reminders are sent from it); None for a baseline.
    due_on = models.DateField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [
            models.Index(fields=["person", "instrument", "completed_at"]),
            models.Index(fields=["case", "timepoint"]),
            models.Index(fields=["status", "due_on"]),
        ]

    def __str__(self) -> str:  # no name: this label lands in the audit log
        return f"Administration {str(self.id)[:8]}"


class LinkChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    TEXT = "text", _("Text message")


class SelfCompletionLink(models.Model):
    """A link a person opens to answer an administration themselves, with no sign-in: only
    a hash of its token is kept; it works until it expires or the answers are submitted."""

    administration = models.ForeignKey(
        Administration, on_delete=models.CASCADE, related_name="links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    channel = models.CharField(max_length=8, choices=LinkChannel.choices)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Link {self.pk}"


class OutcomeCode(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")
    DID_NOT_ENGAGE = "did_not_engage", _("Did not engage")


class OutcomeReason(models.TextChoices):
    GOALS_MET = "goals_met", _("What they wanted to achieve was met")
    SUPPORT_ELSEWHERE = "support_elsewhere", _("Now supported by another service")
    NEEDS_CHANGED = "needs_changed", _("Their needs changed")
    UNWELL = "unwell", _("Too unwell to take part")
    COULD_NOT_CONTACT = "could_not_contact", _("Could not be contacted")
    DECLINED = "declined", _("Chose not to carry on")
    MOVED_AWAY = "moved_away", _("Moved away")
    SERVICE_UNSUITABLE = "service_unsuitable", _("The service did not suit them")
    DIED = "died", _("Died")
    OTHER = "other", _("Another reason (say what)")


class ReferralOutcome(models.Model):
    """How a referral ended, coded (and why), beside the free text the service wrote: what
    is counted, compared and sent back to the referrer and the GP."""

    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="coded_outcome"
    )
    code = models.CharField(max_length=16, choices=OutcomeCode.choices)
    reasons = models.JSONField(default=list, blank=True)  # OutcomeReason codes
    note = models.TextField(blank=True, max_length=2000)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(code__in=[c.value for c in OutcomeCode]), name="outcome_code_known"
            )
        ]

    def __str__(self) -> str:
        return f"Outcome of {self.referral_id}: {self.code}"
