"""Provision against need, per area: one row per area of each level (ward, 2011 LSOA,
constituency), with its population, its need measures and its service counts packed by need
and tier, so a national refresh writes tens of thousands of rows, not millions."""

from django.db import models

__all__ = ["ProvisionArea", "ProvisionLevel"]


class ProvisionLevel(models.TextChoices):
    WARD = "ward", "Ward"
    LSOA = "lsoa", "Small area (LSOA 2011)"
    CONSTITUENCY = "constituency", "Constituency"


class ProvisionArea(models.Model):
    """An area's need and the services based in it or serving it, at the last refresh.

    `measures`: measure key -> value (IMD 2019 rank and deciles, census and health
    indicators the place publishes for the level). `figures`: need code (or "all") -> five
    `[based, serving, gap]` triples, all tiers first, then tiers 1 to 4; a need missing from
    it has no service based or serving and no gap in any tier."""

    level = models.CharField(max_length=20, choices=ProvisionLevel.choices)
    code = models.CharField(max_length=16)
    name = models.CharField(max_length=200)
    place_id = models.IntegerField()
    parent_code = models.CharField(max_length=16, blank=True)  # ward of an LSOA, etc.
    population = models.PositiveIntegerField(null=True, blank=True)
    population_source = models.CharField(max_length=200, blank=True)
    imd_rank = models.FloatField(null=True, blank=True)
    deprivation_quintile = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 = the most deprived fifth of the place's areas."
    )
    measures = models.JSONField(default=dict)
    figures = models.JSONField(default=dict)

    class Meta:
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="provision_area_unique")
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.code} {self.name}"
