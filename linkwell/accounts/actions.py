"""Every change to organisations, people and roles: atomic, audited, actor given.

Called alike by management commands, the admin and (later) the product's own pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from linkwell.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from linkwell.accounts.policies import forget_cached_roles
from linkwell.audit.actions import record_event


class AccountsError(ValueError):
    """Bad input for an accounts action; the message names the field and the reason."""


def create_organisation(
    *,
    actor: Any,
    name: str,
    kind: str,
    parent: Organisation | None = None,
    ods_code: str = "",
    is_demo: bool = False,
    via: str = "",
) -> Organisation:
    """A partner organisation, or a department of one (give `parent`)."""
    name = (name or "").strip()
    if not name:
        raise AccountsError("name: an organisation needs a name")
    if kind not in OrganisationKind.values:
        raise AccountsError(f"kind: {kind!r} is not one of {', '.join(OrganisationKind.values)}")
    if parent is not None and parent.parent_id is not None:
        raise AccountsError(f"parent: {parent} is itself a department; departments do not nest")
    with transaction.atomic():
        if Organisation.objects.filter(parent=parent, name__iexact=name).exists():
            where = f" in {parent}" if parent else ""
            raise AccountsError(f"name: an organisation called {name!r} already exists{where}")
        organisation = Organisation.objects.create(
            name=name, kind=kind, parent=parent, ods_code=ods_code.strip(), is_demo=is_demo
        )
        record_event(
            actor=actor,
            action="accounts.organisation.created",
            target=organisation,
            via=via,
            details={"kind": kind, "parent": str(parent.id) if parent else None},
        )
    return organisation


def ensure_partner(
    name: str, *, actor: Any, via: str = "", kind: str = OrganisationKind.OTHER
) -> Organisation:
    """The partner (top-level organisation) called `name`, in any case; created with `kind`
    and audited if there is none. One query when it exists: callers importing many rows keep
    their own cache of what this returns."""
    name = (name or "").strip()
    if not name:
        raise AccountsError("name: an organisation needs a name")
    partner = Organisation.objects.filter(parent=None, name__iexact=name).first()
    if partner is not None:
        return partner
    with transaction.atomic():
        partner = Organisation.objects.create(name=name, kind=kind)
        record_event(
            actor=actor,
            action="accounts.organisation.created",
            target=partner,
            via=via,
            details={"kind": kind, "parent": None},
        )
    return partner


def ensure_department(
    partner: Organisation, name: str, *, actor: Any, via: str = ""
) -> Organisation:
    """The department of `partner` called `name`, in any case; created and audited if there is
    none: a council's is a council department, another partner's is of the partner's kind, and
    a demo partner's is demo too."""
    name = (name or "").strip()
    if not name:
        raise AccountsError("name: a department needs a name")
    if partner.parent_id is not None:
        raise AccountsError(f"parent: {partner} is itself a department; departments do not nest")
    department = Organisation.objects.filter(parent=partner, name__iexact=name).first()
    if department is not None:
        return department
    kind = (
        OrganisationKind.COUNCIL_DEPARTMENT
        if partner.kind == OrganisationKind.COUNCIL
        else partner.kind
    )
    with transaction.atomic():
        department = Organisation.objects.create(
            name=name, kind=kind, parent=partner, is_demo=partner.is_demo
        )
        record_event(
            actor=actor,
            action="accounts.organisation.created",
            target=department,
            via=via,
            details={"kind": kind, "parent": str(partner.pk)},
        )
    return department


def create_user(
    *,
    actor: Any,
    username: str,
    email: str = "",
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
    is_demo: bool = False,
    via: str = "",
) -> User:
    """A person who can sign in. Without a password they cannot, until one is set. `is_demo`
    marks a demo account (known password): in development only it skips the one-time code."""
    username = (username or "").strip()
    if not username:
        raise AccountsError("username: a user needs a username")
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise AccountsError(f"email: {email!r} is not a valid email address") from exc
    model = get_user_model()
    with transaction.atomic():
        if model.objects.filter(username__iexact=username).exists():
            raise AccountsError(f"username: {username!r} is already taken")
        user = model(
            username=username,
            email=email,
            first_name=first_name,
            last_name=last_name,
            is_staff=is_staff,
            is_demo=is_demo,
        )
        if password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise AccountsError("password: " + " ".join(exc.messages)) from exc
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        record_event(
            actor=actor,
            action="accounts.user.created",
            target=user,
            via=via,
            details={"has_password": bool(password), "is_staff": is_staff, "is_demo": is_demo},
        )
    return user


def grant_role(
    *, actor: Any, user: User, organisation: Organisation, role: str, via: str = ""
) -> Membership:
    """Give `user` a role in `organisation`. Granting a role already held changes nothing."""
    if role not in Role.values:
        raise AccountsError(f"role: {role!r} is not one of {', '.join(Role.values)}")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=role
        )
        if created:
            record_event(
                actor=actor,
                action="accounts.role.granted",
                target=membership,
                via=via,
                details={
                    "user": user.username,
                    "organisation": str(organisation.id),
                    "role": role,
                },
            )
    forget_cached_roles(user)
    return membership


def revoke_role(
    *, actor: Any, user: User, organisation: Organisation, role: str, via: str = ""
) -> bool:
    """Take a role away. Returns False (and records nothing) if it was not held."""
    if role not in Role.values:
        raise AccountsError(f"role: {role!r} is not one of {', '.join(Role.values)}")
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .filter(user=user, organisation=organisation, role=role)
            .first()
        )
        if membership is None:
            return False
        record_event(
            actor=actor,
            action="accounts.role.revoked",
            target=membership,
            via=via,
            details={"user": user.username, "organisation": str(organisation.id), "role": role},
        )
        membership.delete()
    forget_cached_roles(user)
    return True
