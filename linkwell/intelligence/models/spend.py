"""Tiers and spend (the resource plan) and possible duplicate services.

`SpendCell` and `DuplicatePair` are precomputed by `refresh_hub` and replaced at each refresh.
`DuplicateVerdict` is a person's decision about a pair and is kept across refreshes: the pair
is found again by its two service ids."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["DuplicatePair", "DuplicateVerdict", "SpendCell", "Verdict"]


class SpendCell(models.Model):
    """Active services counted by partner (and department), tier and kind of funding, in the
    operating model (`scheme` empty) or in one partner scheme (its key). Tables and their
    totals are summed from these rows when shown; no total is stored. A tier or partner
    that a service does not give is kept as empty text and shown as "not given"."""

    scheme = models.CharField(max_length=60, blank=True)  # "" = the operating model's tiers 1-4
    partner_key = models.UUIDField(null=True)
    partner = models.CharField(max_length=255, blank=True)
    department_key = models.UUIDField(null=True)
    department = models.CharField(max_length=255, blank=True)
    tier = models.CharField(max_length=50, blank=True)  # as coded in the scheme; "" = not given
    short_term = models.BooleanField(default=False)
    services = models.PositiveIntegerField(default=0)
    costed = models.PositiveIntegerField(default=0)  # services that give an annual cost
    cost = models.DecimalField(max_digits=16, decimal_places=2, default=0)  # sum of those costs
    demo_services = models.PositiveIntegerField(default=0)  # demonstration records
    demo_costs = models.PositiveIntegerField(default=0)  # ... whose cost was invented
    demo_funding = models.PositiveIntegerField(default=0)  # ... whose funding type was

    class Meta:
        indexes = [models.Index(fields=["scheme"], name="spend_cell_scheme")]

    def __str__(self) -> str:
        return f"{self.partner or '?'} / {self.department} tier {self.tier or '?'}"


class DuplicatePair(models.Model):
    """Two active services of different partners that may be the same thing: they share a
    need, their areas overlap and their words are alike. `service_a` < `service_b`."""

    service_a = models.UUIDField()
    service_b = models.UUIDField()
    name_a = models.CharField(max_length=255)
    name_b = models.CharField(max_length=255)
    partner_a = models.CharField(max_length=255, blank=True)
    partner_b = models.CharField(max_length=255, blank=True)
    score = models.FloatField(help_text="Similarity of the services' words, 0 to 1.")
    # {"needs": [codes], "areas": [names], "whole_place": bool, "similarity": 0-100}
    reasons = models.JSONField(default=dict)

    class Meta:
        ordering = ["-score", "service_a", "service_b"]
        constraints = [
            models.UniqueConstraint(fields=["service_a", "service_b"], name="duplicate_pair_once")
        ]

    def __str__(self) -> str:
        return f"{self.name_a} / {self.name_b} ({self.score:.2f})"


class Verdict(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed: the same service")
    DISMISSED = "dismissed", _("Dismissed: not the same service")


class DuplicateVerdict(models.Model):
    """A person's decision on a possible duplicate pair, kept across refreshes. The note is
    about the services, never about people."""

    service_a = models.UUIDField()
    service_b = models.UUIDField()
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    note = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_a", "service_b"], name="duplicate_verdict_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_a} / {self.service_b}: {self.verdict}"
