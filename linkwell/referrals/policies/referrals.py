"""Who sees and does what with people, referrals and cases (issue 4, "who sees what").

- A referrer (practitioner or connector) sees the referrals they made, and the people in them.
- A provider (provider editor or connector of the organisation running the service) sees the
  referrals to its services and answers them, with only the person's details consented.
- A connector sees their service's caseload and manages its cases.
- Police, fire and housing referrers see that their referral exists, its status and outcome,
  never case notes or scores; nor does any referrer.
- Analysts see no names or numbers (they read aggregates in `intelligence`).
- Partnership admins (and superusers) see everything. Everyone else: nothing.
- Knowing identifiers is never authorisation: a referrer whose message was linked to a person
  held already (NHS number, birth date and family name agreeing) may not open the record; of
  the person they see what they sent (`PersonSubmission`) on their own referral, nothing else.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from linkwell.accounts.models import Membership, Organisation, OrganisationKind, Role
from linkwell.accounts.policies import (
    ANSWERING_ROLES,
    REFERRING_ROLES,
    is_signed_in,
    organisation_scope,
    roles_of,
)

STATUS_ONLY_KINDS = frozenset(
    {OrganisationKind.POLICE, OrganisationKind.FIRE, OrganisationKind.HOUSING}
)


_signed_in = is_signed_in


def sees_everything(user: Any) -> bool:
    return _signed_in(user) and (user.is_superuser or Role.PARTNERSHIP_ADMIN in roles_of(user))


def may_record_people(user: Any) -> bool:
    return sees_everything(user) or bool(roles_of(user) & REFERRING_ROLES)


def may_refer(user: Any) -> bool:
    return may_record_people(user)


def home_organisation(user: Any) -> Organisation | None:
    """The organisation a referrer acts for (their first referring membership)."""
    if not _signed_in(user):
        return None
    membership = (
        Membership.objects.filter(user=user, role__in=REFERRING_ROLES)
        .select_related("organisation")
        .order_by("created_at", "id")
        .first()
    )
    return membership.organisation if membership else None


def _answering_scope(user: Any) -> set[uuid.UUID]:
    """Organisations (with their departments) where `user` answers referrals."""
    return organisation_scope(user, ANSWERING_ROLES)


def answerable_services(user: Any) -> QuerySet:
    """Services whose referrals `user` may read and answer."""
    from linkwell.directory.models import Service

    if sees_everything(user):
        return Service.objects.all()
    scope = _answering_scope(user)
    if not scope:
        return Service.objects.none()
    return Service.objects.filter(
        Q(partner_id__in=scope) | Q(department_id__in=scope) | Q(organization__partner_id__in=scope)
    )


def readable_referrals(user: Any) -> QuerySet:
    """Referrals `user` may see at all (what of each: `referral_view`)."""
    from linkwell.referrals.models import Referral

    if sees_everything(user):
        return Referral.objects.all()
    if not _signed_in(user):
        return Referral.objects.none()
    q = Q()
    if roles_of(user) & REFERRING_ROLES:
        q |= Q(referrer=user)
    if roles_of(user) & ANSWERING_ROLES:
        q |= Q(service__in=answerable_services(user))
    return Referral.objects.filter(q) if q else Referral.objects.none()


def answers_for_owners(user: Any, owners: Iterable[Any]) -> bool:
    """Whether `user` answers for a service with these owners (its partner, department and
    its organisation's partner ids, read with it): `answerable_services` without a query per
    service, for the few services a page lists (a caseload's programmes)."""
    if sees_everything(user):
        return True
    return bool(_answering_scope(user) & {o for o in owners if o is not None})


def answerable_service_ids(user: Any, service_ids: Iterable[Any]) -> set[Any]:
    """Which of these services `user` answers for (`may_answer` for many, one query)."""
    ids = set(service_ids)
    if sees_everything(user):
        return ids
    return set(answerable_services(user).filter(pk__in=ids).values_list("pk", flat=True))


def may_answer(user: Any, referral: Any) -> bool:
    """May `user` move the referral as its service (receive, accept, decline, ...)?"""
    return (
        sees_everything(user) or answerable_services(user).filter(pk=referral.service_id).exists()
    )


def may_cancel(user: Any, referral: Any) -> bool:
    return sees_everything(user) or (
        _signed_in(user)
        and referral.referrer_id == user.pk
        and bool(roles_of(user) & REFERRING_ROLES)
    )


def caseload_cases(user: Any) -> QuerySet:
    """Cases of the programmes `user` works in as a connector."""
    from linkwell.referrals.models import Case

    if sees_everything(user):
        return Case.objects.all()
    if not _signed_in(user) or Role.CONNECTOR not in roles_of(user):
        return Case.objects.none()
    return Case.objects.filter(programme__service__in=answerable_services(user))


def may_manage_case(user: Any, case: Any) -> bool:
    return caseload_cases(user).filter(pk=case.pk).exists()


def readable_people(user: Any) -> QuerySet:
    """People `user` may open: those they recorded, and those referred to a service they
    answer for. Not those they only referred by message (`PersonSubmission`): matching a
    person's identifiers gives no access to their record."""
    from linkwell.referrals.models import Person, Referral

    if sees_everything(user):
        return Person.objects.all()
    if not _signed_in(user) or not roles_of(user) & (REFERRING_ROLES | ANSWERING_ROLES):
        return Person.objects.none()
    q = Q(created_by=user)
    if roles_of(user) & ANSWERING_ROLES:
        answered = Referral.objects.filter(service__in=answerable_services(user))
        q |= Q(pk__in=answered.values("person_id"))
    return Person.objects.filter(q)


@dataclass(frozen=True)
class ReferralView:
    """What of one referral a person may see. `person_fields`: the person's fields shown."""

    status: bool = False
    person_fields: frozenset[str] = frozenset()
    reason: bool = False
    outcome: bool = False
    case_notes: bool = False
    answer: bool = False  # may move it as the service
    cancel: bool = False
    # The person as the referrer sent them (`referral.submission`), not the record held.
    as_submitted: bool = False


EVERY_PERSON_FIELD = frozenset(
    {
        "name",
        "birth_date",
        "nhs_number",
        "postcode",
        "preferred_language",
        "interpreter_needed",
        "phone",
        "email",
        "address",
        "accessibility_needs",
        "sex",
        "ethnic_group",
    }
)
# What a service sees of the person whatever the contact consent: enough to know who it is
# and to meet them well.
SERVICE_BASE_FIELDS = frozenset(
    {
        "name",
        "birth_date",
        "postcode",
        "preferred_language",
        "interpreter_needed",
        "accessibility_needs",
    }
)


def referral_view(user: Any, referral: Any) -> ReferralView:
    """Deny by default: a person with no relation to the referral sees nothing of it."""
    if sees_everything(user):
        return ReferralView(True, EVERY_PERSON_FIELD, True, True, True, True, True)
    if not _signed_in(user):
        return ReferralView()
    provider = bool(roles_of(user) & ANSWERING_ROLES) and may_answer(user, referral)
    referrer = referral.referrer_id == user.pk
    if provider:
        return ReferralView(
            status=True,
            person_fields=SERVICE_BASE_FIELDS | consented_contact_fields(referral),
            reason=True,
            outcome=True,
            case_notes=True,
            answer=True,
            cancel=referrer,
        )
    if referrer:
        org = referral.referrer_organisation
        status_only = org is not None and org.kind in STATUS_ONLY_KINDS
        fields = frozenset({"name"}) if status_only else EVERY_PERSON_FIELD
        as_submitted = not _recorded_by(user, referral)
        if as_submitted and referral.submission_id is None:
            fields = frozenset()  # neither recorded nor sent by them: nothing of the person
        return ReferralView(
            status=True,
            person_fields=fields,
            reason=True,
            outcome=True,
            case_notes=False,
            cancel=True,
            as_submitted=as_submitted,
        )
    return ReferralView()


def _recorded_by(user: Any, referral: Any) -> bool:
    """Whether `user` recorded the referral's person (from the person read with the referral,
    when it was; else asked)."""
    from linkwell.referrals.models import Person

    if referral._state.fields_cache.get("person") is not None:
        return referral.person.created_by_id == user.pk
    return Person.objects.filter(pk=referral.person_id, created_by_id=user.pk).exists()


def consented_contact_fields(referral: Any) -> frozenset[str]:
    """The contact details the person agreed the service may use (consent given with the
    person, or stated in the message this referral came in)."""
    from linkwell.referrals.models import Consent, ConsentPurpose

    consents = Consent.objects.filter(person_id=referral.person_id, withdrawn_at=None)
    scope = Q(submission=None)
    if referral.submission_id is not None:
        scope |= Q(submission_id=referral.submission_id)
    purposes = set(consents.filter(scope).values_list("purpose", flat=True))
    found = set()
    if purposes & {ConsentPurpose.CONTACT_PHONE, ConsentPurpose.CONTACT_TEXT}:
        found.add("phone")
    if ConsentPurpose.CONTACT_LETTER in purposes:
        found.add("address")
    return frozenset(found)


def answerers_of(service: Any) -> list[Any]:
    """Who is told of a new referral to `service`: its provider editors and connectors, or the
    partnership admins when it has none (so no referral waits unseen)."""
    return answerers_by_service([service.pk])[service.pk]


def answerers_by_service(service_ids: Iterable[Any]) -> dict[Any, list[Any]]:
    """`answerers_of` for many services, by service id, in four queries whatever their number:
    the active answering members of each service's organisations (and of their parents, for
    departments), by username."""
    from linkwell.directory.models import Service
    from linkwell.referrals.policies.contact_requests import partnership_admins

    owners: dict[Any, set[Any]] = {}
    for pk, *ids in Service.objects.filter(pk__in=set(service_ids)).values_list(
        "pk", "partner_id", "department_id", "organization__partner_id"
    ):
        owners[pk] = {i for i in ids if i is not None}
    every = set().union(*owners.values())
    parents = dict(
        Organisation.objects.filter(id__in=every, parent__isnull=False).values_list(
            "id", "parent_id"
        )
    )
    members: dict[Any, dict[Any, Any]] = {}
    for membership in Membership.objects.filter(
        role__in=ANSWERING_ROLES,
        organisation_id__in=every | set(parents.values()),
        user__is_active=True,
    ).select_related("user"):
        members.setdefault(membership.organisation_id, {})[membership.user_id] = membership.user
    admins: list[Any] | None = None
    found: dict[Any, list[Any]] = {}
    for pk, ids in owners.items():
        users: dict[Any, Any] = {}
        for organisation_id in ids | {parents[i] for i in ids if i in parents}:
            users.update(members.get(organisation_id, {}))
        if not users:
            admins = list(partnership_admins()) if admins is None else admins
            found[pk] = admins
        else:
            found[pk] = sorted(users.values(), key=lambda u: u.username)
    return found


def person_fields(user: Any, person: Any) -> frozenset[str]:
    """What of a person's record `user` may see: everything for whoever recorded them (and
    partnership admins); otherwise what their referrals of the person show of the record
    (`referral_view`; not what a referrer only sent about them); nothing for anyone else
    (analysts included)."""
    if sees_everything(user):
        return EVERY_PERSON_FIELD
    if not _signed_in(user):
        return frozenset()
    if person.created_by_id == user.pk and roles_of(user) & REFERRING_ROLES:
        return EVERY_PERSON_FIELD
    seen: set[str] = set()
    referrals = readable_referrals(user).filter(person=person)
    for referral in referrals.select_related("referrer_organisation")[:100]:
        view = referral_view(user, referral)
        if not view.as_submitted:
            seen |= view.person_fields
    return frozenset(seen)


def visible_consents(user: Any, person: Any) -> QuerySet:
    """The person's consents `user` may see (and withdraw): all for partnership admins;
    otherwise those they recorded and those bearing on a referral of the person they may see
    (consent to share with that referral's service; the contact purposes), each within its
    scope. Never consent to share with other services: that would tell where else the person
    went."""
    from linkwell.referrals.models import Consent, ConsentPurpose

    consents = Consent.objects.filter(person=person)
    if sees_everything(user):
        return consents
    if not _signed_in(user):
        return consents.none()
    referrals = list(
        readable_referrals(user).filter(person=person).values_list("service_id", "submission_id")
    )
    services = {service for service, _ in referrals}
    submissions = {submission for _, submission in referrals if submission is not None}
    in_scope = Q(submission=None) | Q(submission_id__in=submissions)
    bearing = (Q(purpose=ConsentPurpose.SHARE_WITH_SERVICE) & Q(service_id__in=services)) | ~Q(
        purpose=ConsentPurpose.SHARE_WITH_SERVICE
    )
    q = Q(recorded_by=user)
    if referrals:
        q |= bearing & in_scope
    return consents.filter(q)
