"""The Community Connector programme: a social prescribing service with caps, and the case of
each person it supports (sessions, "what matters to me", goals, discharge)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Programme(models.Model):
    """A social prescribing service run with caps per GP practice and in all, per grant year."""

    service = models.OneToOneField(
        "directory.Service", primary_key=True, on_delete=models.CASCADE, related_name="programme"
    )
    practice_cap = models.PositiveIntegerField(default=50)
    programme_cap = models.PositiveIntegerField(default=1300)
    grant_year_start_month = models.PositiveSmallIntegerField(default=4)  # April
    max_sessions = models.PositiveSmallIntegerField(default=6)

    def __str__(self) -> str:
        return f"Programme of {self.service_id}"


class ProgrammeAllowance(models.Model):
    """Referrals admitted in a grant year: per practice (`practice_code`) and in all ("")."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="allowances")
    practice_code = models.CharField(max_length=16, blank=True)
    year_start = models.DateField()
    cap = models.PositiveIntegerField()
    taken = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "practice_code", "year_start"], name="allowance_once"
            ),
            models.CheckConstraint(condition=Q(taken__lte=F("cap")), name="allowance_not_over"),
        ]

    def __str__(self) -> str:
        return f"{self.practice_code or 'all'} {self.year_start}: {self.taken}/{self.cap}"


class CaseStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ACTIVE = "active", _("Active")
    DISCHARGED = "discharged", _("Discharged")


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cases")
    person = models.ForeignKey("referrals.Person", on_delete=models.PROTECT, related_name="cases")
    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="case"
    )
    connector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    status = models.CharField(max_length=12, choices=CaseStatus.choices, default=CaseStatus.ACTIVE)
    opened_at = models.DateTimeField()
    what_matters = models.TextField(blank=True, max_length=4000)
    next_follow_up = models.DateField(null=True, blank=True)
    discharged_at = models.DateTimeField(null=True, blank=True)
    discharge_outcome = models.TextField(blank=True, max_length=2000)
    sessions_held = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["programme", "status", "next_follow_up"]),
            models.Index(fields=["connector", "status", "next_follow_up"]),
        ]

    def __str__(self) -> str:
        return f"Case {str(self.id)[:8]}"


class Session(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField()
    held_on = models.DateField()
    notes = models.TextField(blank=True, max_length=4000)
    over_limit_reason = models.TextField(blank=True, max_length=1000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="session_once")]

    def __str__(self) -> str:
        return f"Session {self.number}"


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Working on it")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("No longer a goal")


class Goal(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text
