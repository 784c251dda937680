"""Reads of people, referrals, cases and notifications, always through what the reader may
see (policies). "Not yours" and "does not exist" both read as None, so a page answers 404
alike and nobody learns that a record exists."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from linkwell.directory import queries as directory_queries
from linkwell.directory.models import ServiceStatus
from linkwell.notifications import queries as notification_queries
from linkwell.referrals import policies
from linkwell.referrals.lifecycle import AWAITING_ANSWER
from linkwell.referrals.models import (
    Case,
    CaseStatus,
    Person,
    Programme,
    Referral,
    ReferralEvent,
    ReferralNotification,
    ReferralStatus,
)

LIST_LIMIT = 50


def referrals_made(user: Any, status: str = "") -> QuerySet[Referral]:
    """The referrals `user` made, newest first (where each stands: its status)."""
    referrals = policies.readable_referrals(user).filter(referrer=user)
    if status in ReferralStatus.values:
        referrals = referrals.filter(status=status)
    return referrals.select_related("service", "person", "submission").order_by(
        "-created_at", "-id"
    )


def referrals_to_answer(user: Any, status: str = "") -> QuerySet[Referral]:
    """Referrals to the services `user` answers for, oldest waiting first."""
    referrals = Referral.objects.filter(service__in=policies.answerable_services(user))
    if status in ReferralStatus.values:
        referrals = referrals.filter(status=status)
    else:
        referrals = referrals.filter(status__in=[*AWAITING_ANSWER, ReferralStatus.WAITLISTED])
    return referrals.select_related("service", "person").order_by("created_at", "id")


def get_referral(user: Any, referral_id: uuid.UUID) -> Referral | None:
    return (
        policies.readable_referrals(user)
        .select_related(
            "service__organization",
            "person__gp_practice",
            "referrer_organisation",
            "encounter",
            "submission",
        )
        .prefetch_related(Prefetch("events", queryset=ReferralEvent.objects.order_by("at", "id")))
        .filter(pk=referral_id)
        .first()
    )


def referral_to_move(user: Any, referral_id: uuid.UUID) -> Referral | None:
    """A referral the reader may see, with only what a move needs (no history, no joins
    beyond the service and the person): the API's move endpoints."""
    return referrals_to_move(user, [referral_id]).get(referral_id)


def referrals_to_move(user: Any, referral_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Referral]:
    """`referral_to_move` for many, by id (those the reader may not see are left out)."""
    found = policies.readable_referrals(user).select_related("service", "person", "referrer")
    return {r.pk: r for r in found.filter(pk__in=set(referral_ids))}


def person_to_refer(user: Any, person_id: uuid.UUID) -> Person | None:
    """A person the reader may see, checked with EXISTS rather than read through the
    policy's DISTINCT join (making a referral reads nothing else of them)."""
    return people_to_refer(user, [person_id]).get(person_id)


def people_to_refer(user: Any, person_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Person]:
    """`person_to_refer` for many, by id: the policy asked for ids only, then the people."""
    ids = set(person_ids)
    if len(ids) == 1:  # the usual case: EXISTS, not the policy's DISTINCT join
        (one,) = ids
        person = Person.objects.filter(pk=one).first()
        if person is None or not policies.readable_people(user).filter(pk=one).exists():
            return {}
        return {one: person}
    readable = policies.readable_people(user).filter(pk__in=ids).values_list("pk", flat=True)
    return Person.objects.in_bulk(set(readable))


def get_person(user: Any, person_id: uuid.UUID) -> Person | None:
    return (
        policies.readable_people(user)
        .select_related("ward", "gp_practice")
        .filter(pk=person_id)
        .first()
    )


def get_case(user: Any, case_id: uuid.UUID) -> Case | None:
    return (
        policies.caseload_cases(user)
        .select_related("person", "referral__service", "programme", "connector")
        .prefetch_related("sessions", "goals")
        .filter(pk=case_id)
        .first()
    )


@dataclass
class Caseload:
    """A link worker's page: new referrals, the waiting list, active cases, overdue follow-ups.
    Each list holds at most LIST_LIMIT rows; the counts are whole."""

    programmes: list[Programme]
    new: list[Referral] = field(default_factory=list)
    waiting: list[Referral] = field(default_factory=list)
    active: list[Case] = field(default_factory=list)
    overdue: list[Case] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def caseload(user: Any, *, mine_only: bool = False, today: dt.date | None = None) -> Caseload:
    """What a connector works on. Bounded queries on indexed columns (the page must stay
    fast with a million referrals): each list is cut at LIST_LIMIT."""
    today = today or timezone.localdate()
    services = policies.answerable_services(user)
    programmes = list(Programme.objects.filter(service__in=services).select_related("service"))
    result = Caseload(programmes=programmes)
    if not programmes:
        return result
    service_ids = [p.service_id for p in programmes]
    referrals = Referral.objects.filter(service_id__in=service_ids).select_related(
        "person", "service", "gp_practice"
    )
    new = referrals.filter(status__in=AWAITING_ANSWER).order_by("created_at", "id")
    waiting = referrals.filter(status=ReferralStatus.WAITLISTED).order_by(
        "waitlisted_at", "created_at", "id"
    )
    cases = Case.objects.filter(programme_id__in=service_ids, status=CaseStatus.ACTIVE)
    if mine_only:
        cases = cases.filter(connector=user)
    cases = cases.select_related("person", "programme").annotate(
        sessions_left=F("programme__max_sessions") - F("sessions_held")
    )
    overdue = cases.filter(next_follow_up__lt=today).order_by("next_follow_up", "id")
    active = cases.order_by(F("next_follow_up").asc(nulls_last=True), "id")
    result.new = list(new[:LIST_LIMIT])
    result.waiting = list(waiting[:LIST_LIMIT])
    result.active = list(active[:LIST_LIMIT])
    result.overdue = list(overdue[:LIST_LIMIT])
    result.counts = {name: len(getattr(result, name)) for name in COUNTED}
    cut = {name for name, shown in result.counts.items() if shown >= LIST_LIMIT}
    result.counts |= _counts(referrals, cases, today, cut)
    return result


COUNTED = ("new", "waiting", "active", "overdue")


def _counts(referrals: QuerySet, cases: QuerySet, today: dt.date, cut: set[str]) -> dict:
    """How many rows each cut list has in all ("new", "waiting" referrals; "active",
    "overdue" cases): one query per table at most, none for a list shown whole."""
    found: dict[str, int] = {}
    asks = {
        "new": Count("id", filter=Q(status__in=AWAITING_ANSWER)),
        "waiting": Count("id", filter=Q(status=ReferralStatus.WAITLISTED)),
    }
    if asks.keys() & cut:
        wanted = [*AWAITING_ANSWER, ReferralStatus.WAITLISTED]
        found |= (
            referrals.filter(status__in=wanted)
            .order_by()
            .aggregate(**{k: v for k, v in asks.items() if k in cut})
        )
    asks = {"active": Count("id"), "overdue": Count("id", filter=Q(next_follow_up__lt=today))}
    if asks.keys() & cut:
        found |= cases.order_by().aggregate(**{k: v for k, v in asks.items() if k in cut})
    return found


PAGE_LIMIT = 20
SHOW_ALL_LIMIT = 500


@dataclass
class CaseloadPage:
    """The caseload page's rows: plain dicts of the columns shown (a full model per row,
    with its service, person and programme, cost the page most of its time at scale)."""

    programmes: list[str]
    new: list[dict[str, Any]] = field(default_factory=list)
    waiting: list[dict[str, Any]] = field(default_factory=list)
    active: list[dict[str, Any]] = field(default_factory=list)
    overdue: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    limits: dict[str, int] = field(default_factory=dict)

    @property
    def person_ids(self) -> list[uuid.UUID]:
        rows = self.new + self.waiting + self.active
        return list(dict.fromkeys(row["person_id"] for row in rows))


def caseload_page(
    user: Any,
    *,
    mine_only: bool = False,
    show: str = "",
    today: dt.date | None = None,
) -> CaseloadPage:
    """`caseload` for the page: the first PAGE_LIMIT rows of each list (SHOW_ALL_LIMIT of the
    one named by `show`), overdue follow-ups being the first active cases by follow-up date."""
    today = today or timezone.localdate()
    owners = ("service__partner_id", "service__department_id", "service__organization__partner_id")
    programmes = [
        (service_id, name, most)
        for service_id, name, most, *owned_by in Programme.objects.values_list(
            "service_id", "service__name", "max_sessions", *owners
        ).order_by("service__name")
        if policies.answers_for_owners(user, owned_by)
    ]
    limits = {k: SHOW_ALL_LIMIT if show == k else PAGE_LIMIT for k in ("new", "waiting", "active")}
    result = CaseloadPage(programmes=[name for _id, name, _max in programmes], limits=limits)
    if not programmes:
        return result
    service_ids = [service_id for service_id, _name, _max in programmes]
    max_sessions = {service_id: most for service_id, _name, most in programmes}
    referrals = Referral.objects.filter(service_id__in=service_ids)
    person = ("person_id", "person__given_name", "person__family_name")
    new = referrals.filter(status__in=AWAITING_ANSWER).order_by("created_at", "id")
    waiting = referrals.filter(status=ReferralStatus.WAITLISTED).order_by(
        "waitlisted_at", "created_at", "id"
    )
    cases = Case.objects.filter(programme_id__in=service_ids, status=CaseStatus.ACTIVE)
    if mine_only:
        cases = cases.filter(connector=user)
    active = cases.order_by(F("next_follow_up").asc(nulls_last=True), "id")
    result.new = list(
        new.values("id", "reference", "created_at", "referrer_label", "gp_practice__name", *person)[
            : limits["new"]
        ]
    )
    result.waiting = list(
        waiting.values("id", "reference", "waitlisted_at", *person)[: limits["waiting"]]
    )
    result.active = list(
        active.values("id", "programme_id", "sessions_held", "next_follow_up", *person)[
            : limits["active"]
        ]
    )
    for row in result.new + result.waiting + result.active:
        row["person_name"] = f"{row['person__given_name']} {row['person__family_name']}".strip()
    for row in result.active:
        row["sessions_left"] = max_sessions[row["programme_id"]] - row["sessions_held"]
        row["overdue"] = row["next_follow_up"] is not None and row["next_follow_up"] < today
    result.overdue = [row for row in result.active if row["overdue"]]
    result.counts = {name: len(getattr(result, name)) for name in limits} | {
        "overdue": len(result.overdue)
    }
    cut = {name for name in limits if result.counts[name] >= limits[name]}
    if "active" in cut and len(result.overdue) == len(result.active):
        cut.add("overdue")  # every active case shown is overdue: there may be more
    result.counts |= _counts(referrals, cases, today, cut)
    return result


def notifications_for(user: Any, *, unread_only: bool = False) -> QuerySet[ReferralNotification]:
    """The person's own notices, as referrals read them (with the referral each is about)."""
    notes = ReferralNotification.objects.filter(user=user)
    if unread_only:
        notes = notes.filter(read_at=None)
    return notes.order_by("-created_at", "-id")


def count_unread(user: Any) -> int:
    return notification_queries.count_unread(user)


def matching_services(
    need: str, person: Person, *, limit: int = 5, proximity_m: float = 10_000
) -> list[Any]:
    """Services for one need near the person, open to their age and serving their area
    (the simple match of issue 4; the matching app will rank better). A postcode the place
    data cannot place matches as if none were given (any area), rather than nothing; no
    birth date (a person known only partly) matches any age. `person` needs only `postcode`
    and `birth_date`."""
    filters = directory_queries.ServiceFilters(
        need=need,
        age=_age(person.birth_date) if person.birth_date else None,
        statuses=(ServiceStatus.ACTIVE,),
        postcode=person.postcode,
        proximity=proximity_m if person.postcode else None,
    )
    try:
        results = directory_queries.search_services(filters)
    except (directory_queries.PostcodeError, directory_queries.UnknownPostcode):
        anywhere = dataclasses.replace(filters, postcode="", proximity=None)
        results = directory_queries.search_services(anywhere)
    return directory_queries.paginate(results, 1, limit).items


def _age(birth: dt.date, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
