"""Reads of organisations, people and their roles."""

from __future__ import annotations

import uuid

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from linkwell.accounts.models import Membership, Organisation, User


class NotFound(LookupError):
    """Nothing matches, or more than one thing does; the message says which."""


def find_user(username: str) -> User:
    user = get_user_model().objects.filter(username__iexact=username.strip()).first()
    if user is None:
        raise NotFound(f"username: no user called {username!r}")
    return user


def find_organisation(text: str) -> Organisation:
    """An organisation by id, by name, or a department as 'Partner: Department'."""
    text = text.strip()
    try:
        found = Organisation.objects.filter(id=uuid.UUID(text)).first()
    except ValueError:
        found = None
    if found is not None:
        return found
    matches = list(Organisation.objects.filter(name__iexact=text).select_related("parent"))
    if not matches and ":" in text:
        parent_name, _, name = text.partition(":")
        matches = list(
            Organisation.objects.filter(
                parent__name__iexact=parent_name.strip(), name__iexact=name.strip()
            ).select_related("parent")
        )
    if not matches:
        raise NotFound(f"organisation: no organisation called {text!r}")
    if len(matches) > 1:
        names = "; ".join(str(o) for o in matches)
        raise NotFound(f"organisation: {text!r} is ambiguous ({names}); give 'Partner: Department'")
    return matches[0]


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation__parent")


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation=organisation).select_related("user")
