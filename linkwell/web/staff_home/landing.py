"""Where a person lands after signing in without a page in mind.

Staff who work with people (practitioners, connectors, provider editors, partnership admins)
land on the staff home: what needs them today, and finding a person. Analysts land on the
intelligence hub, their own page; the role-less on the home page.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from linkwell.accounts.policies import ANSWERING_ROLES, REFERRING_ROLES, is_signed_in, roles_of
from linkwell.intelligence.policies import may_view_hub
from linkwell.referrals.policies import sees_everything

STAFF_HOME_ROLES = REFERRING_ROLES | ANSWERING_ROLES


def may_use_staff_home(user: Any) -> bool:
    """Whether the staff home is the person's: they refer, answer referrals, or see all."""
    return is_signed_in(user) and (sees_everything(user) or bool(roles_of(user) & STAFF_HOME_ROLES))


def staff_home_url(user: Any) -> str:
    """The page to land on after signing in: the staff home for staff, else the home page."""
    if may_use_staff_home(user):
        return reverse("referrals:staff_home")
    if may_view_hub(user):
        return reverse("hub:home")
    return reverse("directory:home")
