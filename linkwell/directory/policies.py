"""Who sees what on the directory pages (the accounts policies answer who may do what)."""

from __future__ import annotations

from typing import Any

from linkwell.accounts.models import Role
from linkwell.accounts.policies import roles_of

# Staff who refer or connect people see how to refer, the tier, the partner and capacity.
STAFF_VIEW_ROLES = frozenset({Role.PRACTITIONER, Role.CONNECTOR, Role.PARTNERSHIP_ADMIN})


def sees_staff_view(user: Any) -> bool:
    """Whether `user` sees the staff fields on search results and service pages.

    Deny by default: anonymous, inactive and role-less people, provider editors and analysts
    see the public page only; a superuser sees the staff view.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or roles_of(user) & STAFF_VIEW_ROLES)
