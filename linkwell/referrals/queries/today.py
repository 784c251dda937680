"""What needs a member of staff today, on one screen: referrals to answer, answers overdue,
the waiting list, connectors' follow-ups due and unread notifications. Each list is short
(the first few, with the whole count); everything through the policies, and the people
named audited as a list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from linkwell.referrals import policies
from linkwell.referrals.lifecycle import AWAITING_ANSWER
from linkwell.referrals.models import Case, CaseStatus, Referral, ReferralStatus
from linkwell.referrals.queries.referrals import count_unread

FIRST_FEW = 5


@dataclass
class Today:
    """Each list holds its first FIRST_FEW rows; `counts` are whole."""

    to_answer: list[Referral] = field(default_factory=list)
    overdue: list[Referral] = field(default_factory=list)
    waiting: list[Referral] = field(default_factory=list)
    follow_ups: list[Case] = field(default_factory=list)
    unread: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def what_needs_me(
    user: Any, *, now: dt.datetime | None = None, few: int = FIRST_FEW, via: str = ""
) -> Today:
    """The staff home's answer for `user`. Overdue: referrals they sent, or must answer,
    still unanswered past their due time (the time the escalation uses)."""
    from linkwell.referrals.actions.people import record_people_listed

    now = now or timezone.now()
    today = timezone.localdate(now)
    few = max(1, min(few, 20))
    answerable = policies.answerable_services(user)
    answering = Referral.objects.filter(service__in=answerable).select_related("service", "person")
    to_answer = answering.filter(status__in=AWAITING_ANSWER).order_by("created_at", "id")
    waiting = answering.filter(status=ReferralStatus.WAITLISTED).order_by(
        "waitlisted_at", "created_at", "id"
    )
    mine = Q(service__in=answerable)
    if getattr(user, "pk", None):
        mine |= Q(referrer=user)
    overdue = (
        policies.readable_referrals(user)
        .filter(mine, status__in=AWAITING_ANSWER, due_at__lte=now)
        .select_related("service", "person", "submission", "referrer_organisation")
        .order_by("due_at", "id")
    )
    cases = policies.caseload_cases(user).filter(
        status=CaseStatus.ACTIVE, next_follow_up__lte=today
    )
    if not policies.sees_everything(user):
        cases = cases.filter(Q(connector=user) | Q(connector=None))
    cases = cases.select_related("person", "programme").order_by("next_follow_up", "id")
    result = Today(
        to_answer=list(to_answer[:few]),
        overdue=list(overdue[:few]),
        waiting=list(waiting[:few]),
        follow_ups=list(cases[:few]),
        unread=count_unread(user),
    )
    result.counts = {
        "to_answer": to_answer.count(),
        "overdue": overdue.count(),
        "waiting": waiting.count(),
        "follow_ups": cases.count(),
    }
    named = [r.person_id for r in result.to_answer + result.waiting]
    named += [c.person_id for c in result.follow_ups]
    named += [r.person_id for r in result.overdue if _shows_name(user, r)]
    record_people_listed(named, actor=user, via=via or "what_needs_me")
    return result


def _shows_name(user: Any, referral: Referral) -> bool:
    """Whether the reader sees a name on this referral: the record's, or (a referrer who sees
    only what they sent) the name they sent. Either is a read of that person's referral."""
    view = policies.referral_view(user, referral)
    if "name" not in view.person_fields:
        return False
    return not view.as_submitted or referral.submission_id is not None
