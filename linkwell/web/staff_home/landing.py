"""Where a person lands after signing in without a page in mind.

There is no staff home page yet: this picks the most useful existing page for the person's
busiest role, and the home page for everyone else.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from linkwell.accounts.models import Role
from linkwell.accounts.policies import is_signed_in, roles_of

# First role held wins: the admins' review queue, a connector's caseload, a practitioner's
# referrals, a provider's listings. Analysts (no page of their own yet) and the role-less: home.
LANDING_BY_ROLE = [
    (Role.PARTNERSHIP_ADMIN, "listings:review_queue"),
    (Role.CONNECTOR, "referrals:caseload"),
    (Role.PRACTITIONER, "referrals:my_referrals"),
    (Role.PROVIDER_EDITOR, "listings:dashboard"),
]


def staff_home_url(user: Any) -> str:
    """The page to land on after signing in: by role, else the home page."""
    if not is_signed_in(user):
        return reverse("directory:home")
    if user.is_superuser:
        return reverse("listings:review_queue")
    roles = roles_of(user)
    for role, url_name in LANDING_BY_ROLE:
        if role in roles:
            return reverse(url_name)
    return reverse("directory:home")
