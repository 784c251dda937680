"""Referral flows and the indicators: compact aggregate rows, replaced at each refresh.

Counts are stored as they are (raw); small counts are hidden when shown or exported (see
`linkwell.intelligence.flows.tables`), never here. No row names or locates a person: areas are
wards (never a postcode), partners are organisations.
"""

from django.db import models

__all__ = [
    "FlowCapUse",
    "FlowCube",
    "FlowMonth",
    "FlowWellbeing",
    "IndicatorValue",
]

# Partners, wards and practices may be deleted between refreshes: the rows keep their ids
# without a database constraint, and a missing one reads "not known" on the page.
_LOOSE = {"null": True, "blank": True, "on_delete": models.DO_NOTHING, "db_constraint": False}


class FlowCube(models.TextChoices):
    REFERRALS = "referrals"  # referrals by referrer's organisation, need, status, outcome
    UNMET = "unmet"  # unmet need by ward, need, kind and decline reason
    RESPONSE = "response"  # days to the first answer by service's partner and need


class FlowMonth(models.Model):
    """One month of one referral-flow cube, as one compact JSON document (see
    `linkwell.intelligence.flows.cubes`): the month's groups as columns of keys and counts,
    partners numbered within the document. A cube at the grain the page filters on is
    hundreds of thousands of rows at district scale; as documents it is a few per month, so
    a refresh writes tens of rows and the page reads only the months asked for.

    Referrals: how many were sent in the month, by the referrer's organisation, need, status
    and coded outcome (blank until a service records one). Unmet need: need that met no
    service, by the person's ward: referrals declined (with the reason code), still on a
    waiting list, and needs noticed at a contact that no referral took up. Response: how many
    whole days referrals waited for the service's first answer, by the service's partner and
    need, as a histogram, so a median and a 90th percentile can be read for any span."""

    month = models.CharField(max_length=7)  # YYYY-MM the referral was sent (or the contact)
    cube = models.CharField(max_length=16, choices=FlowCube.choices)
    data = models.TextField()  # JSON, written by DuckDB as it is and parsed by the page
    partners = models.TextField(default="[]")  # JSON list of the partners' keys in `data`

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cube", "month"], name="flow_month_cube_month")
        ]

    def __str__(self) -> str:
        return f"{self.cube} {self.month}"


class FlowCapUse(models.Model):
    """Connector cases opened per GP practice in a programme's grant year, against the
    practice cap."""

    programme = models.ForeignKey("directory.Service", related_name="+", **_LOOSE)
    practice = models.ForeignKey("places.GPPractice", related_name="+", **_LOOSE)
    year_start = models.DateField()
    cases = models.PositiveIntegerField()
    cap = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.year_start} cases: {self.cases}/{self.cap}"


class FlowWellbeing(models.Model):
    """Pairs of scores (a case's first complete baseline and latest complete follow-up on the
    same instrument) and the sum of their changes, by the month the case opened, the person's
    ward and the deprivation quintile of their small area (1 = most deprived fifth)."""

    month = models.CharField(max_length=7)
    instrument = models.CharField(max_length=40)
    ward = models.ForeignKey("places.Ward", related_name="+", **_LOOSE)
    quintile = models.PositiveSmallIntegerField(null=True, blank=True)
    need = models.CharField(max_length=40, blank=True)
    partner = models.ForeignKey("accounts.Organisation", related_name="+", **_LOOSE)
    pairs = models.PositiveIntegerField()
    change_sum = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["month"])]

    def __str__(self) -> str:
        return f"{self.month} {self.instrument}: {self.pairs} pairs"


class IndicatorValue(models.Model):
    """One indicator's value for a period (`YYYY-MM` or `YYYY-Qn`) and an area (a ward, or the
    whole place), with what it was worked out from and its red/amber/green rating."""

    indicator = models.CharField(max_length=50)
    period = models.CharField(max_length=7)
    area_level = models.CharField(max_length=10)  # ward / place
    area_code = models.CharField(max_length=40)
    area_name = models.CharField(max_length=200, blank=True)
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    rag = models.CharField(max_length=5, blank=True)  # green / amber / red, "" if no value

    class Meta:
        indexes = [models.Index(fields=["period", "indicator"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period} {self.area_code}"
