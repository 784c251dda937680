"""Counts over referrals for reports: no person is named, so nothing here is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count

from linkwell.referrals import policies
from linkwell.referrals.models import DeclineReason, ReferralStatus


def declines_by_reason(
    user: Any,
    *,
    service: Any = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> dict[str, int]:
    """How many referrals `user` may read were declined, by reason code (every code present,
    0 when none; "" counts declines from before codes), optionally for one service and
    answered in [since, until)."""
    declined = policies.readable_referrals(user).filter(status=ReferralStatus.DECLINED)
    if service is not None:
        declined = declined.filter(service_id=getattr(service, "pk", service))
    if since is not None:
        declined = declined.filter(answered_at__gte=since)
    if until is not None:
        declined = declined.filter(answered_at__lt=until)
    counts = dict.fromkeys(DeclineReason.values, 0)
    for row in declined.order_by().values("decline_reason_code").annotate(n=Count("id")):
        counts[row["decline_reason_code"]] = row["n"]
    return counts
