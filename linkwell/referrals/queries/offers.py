"""What a service offers a person, in facts a link worker can read out (distance, when it
runs, cost, languages, whether it has room), and other services to offer when a referral
ended without help (declined, cancelled or closed)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from linkwell.directory import models as dm
from linkwell.directory import presentation
from linkwell.directory.models import ServiceStatus
from linkwell.directory.search.proximity import haversine_m
from linkwell.places.queries import PostcodeError, find_postcode
from linkwell.referrals import policies
from linkwell.referrals.errors import Refused
from linkwell.referrals.models import CapacityMode, EncounterNeed, Referral
from linkwell.referrals.models import ReferralStatus as S
from linkwell.referrals.queries.capacity import capacities_of, places_left_of
from linkwell.referrals.queries.referrals import matching_services
from linkwell.referrals.submitted import person_shown

MAX_OFFERS = 50
ENDED_WITHOUT_HELP = frozenset({S.DECLINED, S.CANCELLED, S.COMPLETED, S.DID_NOT_ENGAGE})


class Availability:
    OPEN = "open"  # takes referrals, places not counted
    PLACES = "places"  # places counted: see places_left
    FULL = "full"  # places counted, none left this period: the waiting list
    WAITING_LIST = "waiting_list"
    CLOSED = "closed"


@dataclass(frozen=True)
class Offer:
    """One service as offered to one person (or near one postcode)."""

    service_id: uuid.UUID
    name: str
    distance_km: float | None  # from the person's postcode to the nearest location
    runs: str  # a short summary of its schedules ("" when none is published)
    free: bool
    cost: str  # "Free", the cost options or fees, or "" when nothing is recorded
    languages: list[str]
    availability: str  # one of Availability
    places_left: int | None  # when places are counted


def _point(postcode: str) -> tuple[float, float] | None:
    if not (postcode or "").strip():
        return None
    try:
        found = find_postcode(postcode)
    except PostcodeError:
        return None
    if found is None or found.latitude is None or found.longitude is None:
        return None
    return found.latitude, found.longitude


def offers_for(
    services: Iterable[Any],
    *,
    person: Any = None,
    postcode: str = "",
    on: dt.date | None = None,
) -> list[Offer]:
    """Each service's offer, in the order given. Distance from the person's postcode (or
    `postcode` when there is no person); none when neither places them. At most MAX_OFFERS."""
    ids = list(dict.fromkeys(getattr(s, "pk", s) for s in services))[:MAX_OFFERS]
    found = dm.Service.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("schedules", queryset=dm.Schedule.objects.order_by("id")),
        Prefetch("cost_options", queryset=dm.CostOption.objects.order_by("id")),
        Prefetch("languages", queryset=dm.Language.objects.order_by("name", "code", "id")),
        Prefetch(
            "service_at_locations",
            queryset=dm.ServiceAtLocation.objects.select_related("location"),
        ),
    )
    by_id = {s.pk: s for s in found}
    point = _point(getattr(person, "postcode", "") if person is not None else postcode)
    capacities = capacities_of(by_id)
    left = places_left_of(capacities, on)
    offers = []
    for pk in ids:
        service = by_id.get(pk)
        if service is None:
            continue
        cost = presentation.cost_text(service)
        runs = [presentation.describe_schedule(s) for s in list(service.schedules.all())[:2]]
        offers.append(
            Offer(
                service_id=service.pk,
                name=service.name,
                distance_km=_distance_km(service, point),
                runs="; ".join(r for r in runs if r),
                free=_is_free(service),
                cost=str(cost or ""),
                languages=[presentation.language_name(lang) for lang in service.languages.all()],
                availability=availability(capacities[pk].mode, left[pk]),
                places_left=left[pk],
            )
        )
    return offers


def _is_free(service: Any) -> bool:
    """Free as `presentation.cost_text` reads it: a cost option named free or of amount 0."""
    return any(
        (c.option or "").strip().lower() == "free" or c.amount == 0
        for c in service.cost_options.all()
    )


def _distance_km(service: Any, point: tuple[float, float] | None) -> float | None:
    if point is None:
        return None
    metres = [
        haversine_m(point[0], point[1], link.location.latitude, link.location.longitude)
        for link in service.service_at_locations.all()
        if link.location.latitude is not None and link.location.longitude is not None
    ]
    return round(min(metres) / 1000, 1) if metres else None


def availability(mode: str, left: int | None) -> str:
    """A service's availability from its capacity mode and places left this period."""
    if mode == CapacityMode.OPEN:
        return Availability.OPEN
    if mode == CapacityMode.WAITING_LIST:
        return Availability.WAITING_LIST
    if mode == CapacityMode.CLOSED:
        return Availability.CLOSED
    return Availability.PLACES if (left or 0) > 0 else Availability.FULL


@dataclass(frozen=True)
class _Seen:
    """What the reader may see of the person, enough to match near them."""

    postcode: str
    birth_date: dt.date | None


def alternatives_for(user: Any, referral: Referral, limit: int = 5) -> list[Offer] | None:
    """Other active services for the referral's need(s), near the person, for a referral that
    ended without help (declined, cancelled, completed or did not engage): never the service
    it went to, nor one the person is referred to already. None alike for a referral `user`
    may not read and one that does not exist. The person's postcode and age count only as
    far as the reader may see them (a referrer linked to a record by identifiers matches on
    what they sent)."""
    if referral is None:
        return None
    readable = (
        policies.readable_referrals(user)
        .select_related("person", "submission", "referrer_organisation", "service", "encounter")
        .filter(pk=referral.pk)
        .first()
    )
    if readable is None:
        return None
    referral = readable
    if referral.status not in ENDED_WITHOUT_HELP:
        raise Refused(
            "Alternatives are for a referral declined, cancelled or closed; this one is "
            f"{S(referral.status).label.lower()}.",
            field="status",
        )
    limit = max(1, min(limit, 20))
    view = policies.referral_view(user, referral)
    shown = person_shown(referral, view)
    seen = _Seen(
        postcode=(shown.postcode or "") if shown and "postcode" in view.person_fields else "",
        birth_date=shown.birth_date if shown and "birth_date" in view.person_fields else None,
    )
    needs = _needs_of(referral)
    open_elsewhere = set(
        Referral.objects.filter(person_id=referral.person_id)
        .exclude(status__in=ENDED_WITHOUT_HELP)
        .values_list("service_id", flat=True)
    )
    excluded = {referral.service_id} | open_elsewhere
    chosen: list[Any] = []
    for need in needs:
        for service in matching_services(need, seen, limit=min(50, limit + len(excluded))):
            if service.pk not in excluded and service.status == ServiceStatus.ACTIVE:
                excluded.add(service.pk)
                chosen.append(service)
        if len(chosen) >= limit:
            break
    return offers_for(chosen[:limit], postcode=seen.postcode)


def _needs_of(referral: Referral) -> list[str]:
    """The referral's need, else the needs noticed at its contact, else its service's."""
    if referral.need:
        return [referral.need]
    if referral.encounter_id:
        noticed = EncounterNeed.objects.filter(encounter_id=referral.encounter_id)
        needs = list(dict.fromkeys(noticed.values_list("need", flat=True)))
        if needs:
            return needs
    service = (
        dm.Service.objects.filter(pk=referral.service_id)
        .prefetch_related("attributes__taxonomy_term__taxonomy")
        .first()
    )
    return [term.code for term in presentation.needs(service)] if service else []
