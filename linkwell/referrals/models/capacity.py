"""What a service can take: places per week or month, or simply open / waiting list / closed.

Places are counted per period in `CapacityPeriod.taken`, raised only by one conditional
UPDATE (`taken < places`), so two people accepting the last place cannot both get it.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class CapacityMode(models.TextChoices):
    PLACES = "places", _("A number of places")
    OPEN = "open", _("Open")
    WAITING_LIST = "waiting_list", _("Waiting list only")
    CLOSED = "closed", _("Closed to referrals")


class CapacityUnit(models.TextChoices):
    WEEK = "week", _("per week")
    MONTH = "month", _("per month")


class ServiceCapacity(models.Model):
    service = models.OneToOneField(
        "directory.Service", primary_key=True, on_delete=models.CASCADE, related_name="capacity"
    )
    mode = models.CharField(max_length=20, choices=CapacityMode.choices, default=CapacityMode.OPEN)
    places = models.PositiveIntegerField(null=True, blank=True)
    unit = models.CharField(max_length=10, choices=CapacityUnit.choices, default=CapacityUnit.WEEK)
    response_days = models.PositiveSmallIntegerField(
        default=14, help_text="Referrals not answered within this many days are escalated."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "service capacities"
        constraints = [
            models.CheckConstraint(
                condition=~Q(mode="places") | Q(places__isnull=False),
                name="capacity_places_given",
            )
        ]

    def __str__(self) -> str:
        return f"Capacity of {self.service_id}"


class CapacityPeriod(models.Model):
    service = models.ForeignKey(
        "directory.Service", on_delete=models.CASCADE, related_name="capacity_periods"
    )
    starts_on = models.DateField()
    places = models.PositiveIntegerField()
    taken = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "starts_on"], name="capacity_period_once"),
            models.CheckConstraint(condition=Q(taken__lte=F("places")), name="capacity_not_over"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} from {self.starts_on}: {self.taken}/{self.places}"
