"""Notifications live in `linkwell.notifications` (docs/adr/0024). Referrals read them as
`ReferralNotification`: the same rows, with the referral a notice is about, if any."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from linkwell.notifications.models import Notification, NotificationKind

REFERRAL = "referrals.referral"  # a notice's subject_type when it is about a referral


@dataclass(frozen=True)
class ReferralLink:
    """The referral a notice points at, by id only (no query): what the inbox page links to."""

    id: uuid.UUID

    @property
    def pk(self) -> uuid.UUID:
        return self.id


class ReferralNotification(Notification):
    class Meta:
        proxy = True

    @property
    def referral_id(self) -> uuid.UUID | None:
        if self.subject_type != REFERRAL or not self.subject_id:
            return None
        return uuid.UUID(self.subject_id)

    @property
    def referral(self) -> ReferralLink | None:
        referral_id = self.referral_id
        return ReferralLink(referral_id) if referral_id else None


__all__ = ["REFERRAL", "Notification", "NotificationKind", "ReferralLink", "ReferralNotification"]
