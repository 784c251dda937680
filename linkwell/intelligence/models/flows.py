"""Referral flows and the indicators: compact aggregate rows, replaced at each refresh.

Counts are stored as they are (raw); small counts are hidden when shown or exported (see
`linkwell.intelligence.flows.tables`), never here. No row names or locates a person: areas are
wards (never a postcode), partners are organisations.
"""

from django.db import models

__all__ = [
    "FlowCapUse",
    "FlowReferralCount",
    "FlowResponseTime",
    "FlowUnmetNeed",
    "FlowWellbeing",
    "IndicatorValue",
]

# Partners, wards and practices may be deleted between refreshes: the rows keep their ids
# without a database constraint, and a missing one reads "not known" on the page.
_LOOSE = {"null": True, "blank": True, "on_delete": models.DO_NOTHING, "db_constraint": False}


class FlowReferralCount(models.Model):
    """Referrals made in a month, by the referrer's organisation, need, status and coded
    outcome (blank until a service records one)."""

    month = models.CharField(max_length=7)  # YYYY-MM the referral was sent (or made)
    source = models.ForeignKey("accounts.Organisation", related_name="+", **_LOOSE)
    need = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=20)
    outcome = models.CharField(max_length=16, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month"])]

    def __str__(self) -> str:
        return f"{self.month} {self.status}: {self.count}"


class FlowUnmetNeed(models.Model):
    """Need that met no service, by the person's ward: referrals declined (with the reason
    code), still on a waiting list, and needs noticed at a contact that no referral took up."""

    month = models.CharField(max_length=7)
    ward = models.ForeignKey("places.Ward", related_name="+", **_LOOSE)
    need = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=16)  # declined / waitlisted / not_referred
    reason = models.CharField(max_length=20, blank=True)  # a DeclineReason code if declined
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month"])]

    def __str__(self) -> str:
        return f"{self.month} {self.kind}: {self.count}"


class FlowResponseTime(models.Model):
    """How many whole days referrals sent in a month waited for the service's first answer,
    by the service's partner and need: `days` maps days -> referrals (a histogram), so a
    median and a 90th percentile can be read for any span of months."""

    month = models.CharField(max_length=7)
    partner = models.ForeignKey("accounts.Organisation", related_name="+", **_LOOSE)
    need = models.CharField(max_length=40, blank=True)
    answered = models.PositiveIntegerField()
    days = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["month"])]

    def __str__(self) -> str:
        return f"{self.month} answered: {self.answered}"


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
