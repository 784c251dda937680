"""Small reads the referral pages need beyond `queries.referrals`, always through policies:
"not yours" and "does not exist" both read as None."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from linkwell.directory.models import Service, ServiceStatus
from linkwell.referrals import policies
from linkwell.referrals.models import (
    Consent,
    ConsentPurpose,
    Encounter,
    Person,
    Referral,
    ServiceCapacity,
)
from linkwell.referrals.queries import referrals as rq
from linkwell.referrals.queries.capacity import capacity_of, places_left

CAPACITY_LIST_LIMIT = 50


def person_fields(user: Any, person: Person) -> frozenset[str]:
    """The person's fields `user` may see (the policies' answer)."""
    return policies.person_fields(user, person)


def person_referrals(user: Any, person: Person) -> QuerySet[Referral]:
    return (
        policies.readable_referrals(user)
        .filter(person=person)
        .select_related("service")
        .order_by("-created_at", "-id")
    )


def encounters_of(user: Any, person: Person) -> QuerySet[Encounter]:
    """The contacts with the person `user` recorded (every contact, for admins)."""
    encounters = Encounter.objects.filter(person=person).prefetch_related("needs")
    if not policies.sees_everything(user):
        encounters = encounters.filter(practitioner=user)
    return encounters.order_by("-occurred_at", "-id")


def get_encounter(user: Any, encounter_id: uuid.UUID) -> Encounter | None:
    if not getattr(user, "is_authenticated", False):
        return None
    encounters = Encounter.objects.filter(
        pk=encounter_id, person__in=policies.readable_people(user)
    )
    if not policies.sees_everything(user):
        encounters = encounters.filter(practitioner=user)
    return encounters.select_related("person").prefetch_related("needs").first()


def consents_of(user: Any, person: Person) -> QuerySet[Consent]:
    """The person's consents `user` may see (never another service's consent to share)."""
    return (
        policies.visible_consents(user, person)
        .select_related("service")
        .order_by("-recorded_at", "-id")
    )


def shared_service_ids(person: Person) -> set[uuid.UUID]:
    """Services the person has agreed (and not withdrawn) their details go to."""
    return set(
        Consent.objects.filter(
            person=person,
            purpose=ConsentPurpose.SHARE_WITH_SERVICE,
            withdrawn_at=None,
            submission=None,  # a sender's statement counts for their own referral only
        ).values_list("service_id", flat=True)
    )


def get_referable_service(service_id: uuid.UUID) -> Service | None:
    return Service.objects.filter(pk=service_id, status=ServiceStatus.ACTIVE).first()


def services_to_match(need: str, person: Person) -> list[Service]:
    """Matching services for one need (an unplaceable postcode matches any area)."""
    return rq.matching_services(need, person)


def consent_service_choices(user: Any, person: Person) -> list[tuple[str, str]]:
    """Services offered when recording consent to share: those the person is referred to or
    the matches of their contacts' needs, so the list stays short."""
    readable = policies.readable_referrals(user).filter(person=person)
    ids = set(readable.values_list("service_id", flat=True))
    ids |= {
        c.service_id
        for c in consents_of(user, person)
        if c.purpose == ConsentPurpose.SHARE_WITH_SERVICE and c.active
    }
    for encounter in encounters_of(user, person)[:5]:
        for need in encounter.needs.all():
            ids |= {s.pk for s in services_to_match(need.need, person)}
    services = Service.objects.filter(pk__in=ids).order_by("name")
    return [(str(s.pk), s.name) for s in services]


def capacity_rows(user: Any) -> list[dict[str, Any]]:
    """The services whose capacity `user` sets, with what they publish and places left.
    Admins (who may set any) see the services with a capacity or referrals only."""
    services = policies.answerable_services(user)
    if policies.sees_everything(user):
        with_capacity = ServiceCapacity.objects.values("service_id")
        with_referrals = Referral.objects.values("service_id")
        services = services.filter(pk__in=with_capacity) | services.filter(pk__in=with_referrals)
    rows = []
    for service in services.order_by("name")[:CAPACITY_LIST_LIMIT]:
        capacity = capacity_of(service)
        left = places_left(service, capacity=capacity)
        rows.append({"service": service, "capacity": capacity, "left": left})
    return rows
