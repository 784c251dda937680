"""Who made a referral, shown well: their name, role, organisation and how to reach them,
for whoever may read the referral (policies)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from linkwell.accounts.models import Membership, Role
from linkwell.accounts.policies import REFERRING_ROLES
from linkwell.referrals import policies
from linkwell.referrals.models import Referral


@dataclass(frozen=True)
class Referrer:
    """The referrer as staff see them. `email` is their work address (the one their account
    holds); organisations here record no phone number, so none is offered."""

    name: str
    role: str  # the role's code (practitioner, connector, ...), "" if they hold none now
    role_label: str
    organisation: str
    email: str


def referrer_of(user: Any, referral: Referral) -> Referrer | None:
    """The referrer of a referral `user` may read; None alike for "not yours" and "does not
    exist"."""
    if referral is None or not (policies.readable_referrals(user).filter(pk=referral.pk).exists()):
        return None
    who = referral.referrer
    organisation = referral.referrer_organisation
    membership = None
    if who is not None:
        memberships = Membership.objects.filter(user=who).select_related("organisation")
        if organisation is not None:
            membership = memberships.filter(organisation=organisation).order_by("id").first()
        if membership is None:
            membership = (
                memberships.filter(role__in=REFERRING_ROLES).order_by("created_at", "id").first()
            )
    if organisation is None and membership is not None:
        organisation = membership.organisation
    name = (who.get_full_name() or who.username) if who is not None else ""
    return Referrer(
        name=name or referral.referrer_label,
        role=membership.role if membership else "",
        role_label=str(Role(membership.role).label) if membership else "",
        organisation=organisation.name if organisation is not None else "",
        email=who.email if who is not None and who.is_active else "",
    )
