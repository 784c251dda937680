"""Who may read and act on contact requests: deny by default.

A provider editor reads the requests for services of the organisations (and their
departments) where they hold the provider editor role; a partnership admin (or a Django
superuser) reads them all, including requests to services no provider editor looks after.
Nobody else reads them. Each question is answered for one object and as a queryset, so the
inbox list and the detail page never disagree.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from linkwell.accounts.models import Organisation, Role
from linkwell.accounts.policies import is_signed_in, organisation_scope, roles_of
from linkwell.referrals.models import ContactRequest

_is_signed_in = is_signed_in


def reads_every_request(user: Any) -> bool:
    """Partnership admins (and superusers) read every request, everywhere."""
    return _is_signed_in(user) and (user.is_superuser or Role.PARTNERSHIP_ADMIN in roles_of(user))


def provider_organisation_ids(user: Any) -> set[uuid.UUID]:
    """Organisations where `user` is a provider editor, with their departments."""
    return organisation_scope(user, {Role.PROVIDER_EDITOR})


def may_use_inbox(user: Any) -> bool:
    """May `user` open the inbox at all? (The nav link and the list page ask this.)"""
    return reads_every_request(user) or bool(provider_organisation_ids(user))


def readable_contact_requests(user: Any) -> QuerySet[ContactRequest]:
    """The contact requests `user` may read and update (none for everyone else)."""
    if reads_every_request(user):
        return ContactRequest.objects.all()
    scope = provider_organisation_ids(user)
    if not scope:
        return ContactRequest.objects.none()
    return ContactRequest.objects.filter(
        Q(service__partner_id__in=scope)
        | Q(service__department_id__in=scope)
        | Q(service__organization__partner_id__in=scope)
    )


def may_read(user: Any, contact_request: ContactRequest) -> bool:
    return readable_contact_requests(user).filter(pk=contact_request.pk).exists()


def may_update(user: Any, contact_request: ContactRequest) -> bool:
    """Whoever may read a request may record that they contacted the person or closed it."""
    return may_read(user, contact_request)


def service_organisation_ids(service: Any) -> set[uuid.UUID]:
    """The partner organisations a service belongs to, with the parents of departments."""
    ids = {service.partner_id, service.department_id, service.organization.partner_id}
    ids.discard(None)
    parents = Organisation.objects.filter(id__in=ids, parent__isnull=False).values_list(
        "parent_id", flat=True
    )
    return ids | set(parents)


def provider_readers_of(service: Any, roles: Iterable[str] = (Role.PROVIDER_EDITOR,)) -> QuerySet:
    """The active users holding one of `roles` (by default: the provider editors) in the
    service's organisations, who will read what is sent to it (maybe none)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role__in=list(roles),
            memberships__organisation_id__in=service_organisation_ids(service),
        )
        .distinct()
        .order_by("username")
    )


def partnership_admins() -> QuerySet:
    """Active partnership admins: they read requests that no provider editor will."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__role=Role.PARTNERSHIP_ADMIN)
        .distinct()
        .order_by("username")
    )


def told_of_new_requests(service: Any) -> list[Any]:
    """Who is told of a new request to `service`: its provider editors; and when none of them
    has an e-mail address (or there are none), the partnership admins too, so no request
    waits unseen. Contact addresses on the listing itself are never used: on demo listings
    they are invented (example.org)."""
    editors = list(provider_readers_of(service))
    if any(u.email for u in editors):
        return editors
    admins = [u for u in partnership_admins() if u.pk not in {e.pk for e in editors}]
    return editors + admins
