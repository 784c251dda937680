"""Who may do what: the one place that answers permission questions.

Deny by default. A person's powers come only from their memberships (a role held in an
organisation); an inactive account has none. Some actions are scoped to an organisation: a
provider editor may edit only the services of the organisation (or its departments) where they
hold the role. A partnership admin may do everything, everywhere; so may a Django superuser.
Every question can be asked about one object (`can`) or as a queryset of the objects a person
may act on (`editable_services`, `organisations_for`), so lists and checks never disagree.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet

from linkwell.accounts.models import Membership, Organisation, Role


class Action(StrEnum):
    VIEW_PUBLIC = "view_public"  # the public directory: anyone, signed in or not
    EDIT_SERVICE = "edit_service"  # scoped to the service's organisation
    EDIT_ORGANISATION = "edit_organisation"  # scoped: a partner's own details and departments
    MAKE_REFERRAL = "make_referral"
    MANAGE_CASES = "manage_cases"
    VIEW_INTELLIGENCE = "view_intelligence"
    MANAGE_ACCOUNTS = "manage_accounts"
    VIEW_AUDIT = "view_audit"
    USE_ADMIN = "use_admin"
    REVIEW_LISTINGS = "review_listings"  # publish providers' changes to their listings
    IMPORT_SERVICES = "import_services"  # upload a feed or sheet of services (any partner's)


PUBLIC_ACTIONS = frozenset({Action.VIEW_PUBLIC})

# Actions whose answer depends on which organisation the object belongs to.
SCOPED_ACTIONS = frozenset({Action.EDIT_SERVICE, Action.EDIT_ORGANISATION})

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.PRACTITIONER: frozenset({Action.MAKE_REFERRAL}),
    Role.CONNECTOR: frozenset({Action.MAKE_REFERRAL, Action.MANAGE_CASES}),
    Role.PROVIDER_EDITOR: frozenset({Action.EDIT_SERVICE, Action.EDIT_ORGANISATION}),
    Role.ANALYST: frozenset({Action.VIEW_INTELLIGENCE}),
    Role.PARTNERSHIP_ADMIN: frozenset(Action),
}

# Who makes referrals, and who answers them for a service (the referrals app's policies and
# the nav both ask).
REFERRING_ROLES = frozenset({Role.PRACTITIONER, Role.CONNECTOR})
ANSWERING_ROLES = frozenset({Role.PROVIDER_EDITOR, Role.CONNECTOR})

# Roles whose scoped actions reach every organisation, not just their own.
PARTNERSHIP_WIDE_ROLES = frozenset({Role.PARTNERSHIP_ADMIN})

# Roles that read people's personal data (names, NHS numbers, contact details): referrers,
# those who answer referrals, provider editors (their inbox of self-referrals) and partnership
# admins. Their holders, and superusers, must sign in with a second factor; analysts read
# aggregates only (docs/adr/0020-staff-sign-in.md).
PERSONAL_DATA_ROLES = (
    REFERRING_ROLES | ANSWERING_ROLES | {Role.PROVIDER_EDITOR} | PARTNERSHIP_WIDE_ROLES
)

_CACHE_ATTR = "_linkwell_memberships"


def is_signed_in(user: Any) -> bool:
    """Signed in with an active account (an inactive account has no powers at all)."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


_is_signed_in = is_signed_in


def _memberships(user: Any) -> list[tuple[str, uuid.UUID]]:
    """(role, organisation id) pairs, read once per user object (a request's user)."""
    return _read_memberships(user)[0]


def _departments(user: Any) -> dict[uuid.UUID, set[uuid.UUID]]:
    """The departments of each organisation the user belongs to (read with the roles)."""
    return _read_memberships(user)[1]


def _read_memberships(user: Any) -> tuple[list[tuple[str, uuid.UUID]], dict]:
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        pairs: dict[tuple[str, uuid.UUID], None] = {}
        departments: dict[uuid.UUID, set[uuid.UUID]] = {}
        for role, organisation, department in Membership.objects.filter(user=user).values_list(
            "role", "organisation_id", "organisation__departments__id"
        ):
            pairs[(role, organisation)] = None
            found = departments.setdefault(organisation, set())
            if department is not None:
                found.add(department)
        cached = (list(pairs), departments)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_cached_roles(user: Any) -> None:
    """Called by actions that change memberships, so a held user object sees the change."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_of(user: Any) -> set[str]:
    if not _is_signed_in(user):
        return set()
    return {role for role, _org in _memberships(user)}


def _is_all_powerful(user: Any) -> bool:
    return _is_signed_in(user) and (
        user.is_superuser or bool(roles_of(user) & PARTNERSHIP_WIDE_ROLES)
    )


def _roles_granting(action: Action) -> set[str]:
    return {role for role, actions in ROLE_ACTIONS.items() if action in actions}


def organisation_scope(user: Any, roles: set[str] | frozenset[str]) -> set[uuid.UUID]:
    """Organisations where the user holds one of `roles`, with their departments (read from
    the memberships cached on the user object)."""
    if not _is_signed_in(user):
        return set()
    own = {org for role, org in _memberships(user) if role in roles}
    departments = _departments(user)
    return own.union(*(departments[org] for org in own))


def _scope_ids(user: Any, action: Action) -> set[uuid.UUID]:
    """Organisations where the user holds a role granting `action`, with their departments."""
    return organisation_scope(user, _roles_granting(action))


def _organisation_ids_of(obj: Any) -> set[uuid.UUID]:
    """The partner organisations (accounts) an object belongs to, for scoped actions."""
    from linkwell.directory.models import Organization, Service

    if isinstance(obj, Organisation):
        return {i for i in (obj.id, obj.parent_id) if i}
    if isinstance(obj, Service):
        ids = {obj.partner_id, obj.department_id, obj.organization.partner_id}
        return {i for i in ids if i}
    if isinstance(obj, Organization):
        return {obj.partner_id} if obj.partner_id else set()
    raise TypeError(f"no organisation scope is known for {type(obj).__name__}")


def can(user: Any, action: Action | str, obj: Any = None) -> bool:
    """May `user` do `action` (to `obj`, if given)?

    Without `obj`, a scoped action asks "may they do it to anything at all?", which is what a
    menu or a list page needs. Unknown actions are refused.
    """
    try:
        action = Action(action)
    except ValueError:
        return False
    if action in PUBLIC_ACTIONS:
        return True
    if not _is_signed_in(user):
        return False
    if _is_all_powerful(user):
        return True
    if not roles_of(user) & _roles_granting(action):
        return False
    if obj is None or action not in SCOPED_ACTIONS:
        return True
    return bool(_organisation_ids_of(obj) & _scope_ids(user, action))


def editable_services(user: Any) -> QuerySet:
    """The services `user` may edit (none for anonymous or role-less people)."""
    from linkwell.directory.models import Service

    if _is_all_powerful(user):
        return Service.objects.all()
    scope = _scope_ids(user, Action.EDIT_SERVICE)
    if not scope:
        return Service.objects.none()
    return Service.objects.filter(
        Q(partner_id__in=scope) | Q(department_id__in=scope) | Q(organization__partner_id__in=scope)
    )


def organisations_for(user: Any, action: Action | str = Action.EDIT_ORGANISATION) -> QuerySet:
    """The partner organisations (and departments) where `user` may do `action`."""
    if _is_all_powerful(user):
        return Organisation.objects.all()
    try:
        action = Action(action)
    except ValueError:
        return Organisation.objects.none()
    if not _is_signed_in(user) or not roles_of(user) & _roles_granting(action):
        return Organisation.objects.none()
    return Organisation.objects.filter(id__in=_scope_ids(user, action))


def must_use_second_factor(user: Any) -> bool:
    """Must this person give a one-time code as well as their password? (See
    PERSONAL_DATA_ROLES; the demo exception lives with the sign-in, not here.)"""
    return _is_signed_in(user) and (user.is_superuser or bool(roles_of(user) & PERSONAL_DATA_ROLES))


def may_manage_sign_in(actor: Any, user: Any) -> bool:
    """May `actor` unlock `user`'s sign-in or reset their codes? Partnership admins may, for
    anyone but a superuser, whom only a superuser manages."""
    if not can(actor, Action.MANAGE_ACCOUNTS):
        return False
    return actor.is_superuser or not user.is_superuser
