"""A connector's work on a case: the "what matters to me" conversation, goals, sessions (up to
the programme's limit; past it only with a recorded reason), follow-ups and discharge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from linkwell.audit.actions import record_event
from linkwell.referrals import hooks, policies
from linkwell.referrals.actions.referrals import (
    coded_outcome,
    complete_referral,
    start_referral,
)
from linkwell.referrals.errors import Refused
from linkwell.referrals.models import Case, CaseStatus, Goal, GoalStatus, ReferralStatus, Session


def _check(actor: Any, case: Case) -> None:
    if not policies.may_manage_case(actor, case):
        raise PermissionDenied("Only the programme's connectors work on its cases.")
    if case.status == CaseStatus.DISCHARGED:
        raise Refused(
            "This case is closed: make a new referral to work with the person again.", field="case"
        )


def set_what_matters(case: Case, text: str, *, actor: Any, via: str) -> Case:
    text = (text or "").strip()
    if len(text) > 4000:
        raise Refused(
            "Enter what matters to them in 4,000 characters or fewer.", field="what_matters"
        )
    _check(actor, case)
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(what_matters=text)
        case.what_matters = text
        record_event(actor=actor, action="referrals.case.what_matters", target=case, via=via)
    return case


def add_goal(case: Case, text: str, *, actor: Any, via: str) -> Goal:
    text = (text or "").strip()
    if not text:
        raise Refused("Enter a goal, in the person's words.", field="goal")
    if len(text) > 500:
        raise Refused("Enter a goal of 500 characters or fewer.", field="goal")
    _check(actor, case)
    with transaction.atomic():
        goal = Goal.objects.create(case=case, text=text)
        record_event(actor=actor, action="referrals.case.goal_added", target=case, via=via)
    return goal


def set_goal_status(goal: Goal, status: str, *, actor: Any, via: str) -> Goal:
    if status not in GoalStatus.values:
        raise Refused(f"Unknown goal status {status!r}.", field="status")
    _check(actor, goal.case)
    with transaction.atomic():
        Goal.objects.filter(pk=goal.pk).update(status=status)
        goal.status = status
        record_event(
            actor=actor,
            action="referrals.case.goal_status",
            target=goal.case,
            via=via,
            details={"status": status},
        )
    return goal


def record_session(
    case: Case,
    *,
    actor: Any,
    via: str,
    held_on: dt.date,
    notes: str = "",
    over_limit_reason: str = "",
    next_follow_up: dt.date | None = None,
) -> Session:
    """The next session. Past the programme's limit it needs `over_limit_reason`. A session
    number is taken once (a double-clicked submit records one session, not two)."""
    _check(actor, case)
    if held_on > timezone.localdate():
        raise Refused("Enter the date the session was held: today or earlier.", field="held_on")
    if len(notes or "") > 4000:
        raise Refused("Enter session notes of 4,000 characters or fewer.", field="notes")
    limit = case.programme.max_sessions
    number = Case.objects.values_list("sessions_held", flat=True).get(pk=case.pk) + 1
    reason = (over_limit_reason or "").strip()
    if number > limit and not reason:
        raise Refused(
            f"The programme offers up to {limit} sessions: record why this person needs "
            f"session {number}.",
            field="over_limit_reason",
        )
    try:
        with transaction.atomic():
            claimed = Case.objects.filter(pk=case.pk, sessions_held=number - 1).update(
                sessions_held=F("sessions_held") + 1,
                next_follow_up=_follow_up_after(case, held_on, next_follow_up),
            )
            if not claimed:
                raise IntegrityError("session number taken")
            session = Session.objects.create(
                case=case,
                number=number,
                held_on=held_on,
                notes=(notes or "").strip(),
                over_limit_reason=reason if number > limit else "",
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
            if case.referral.status == ReferralStatus.ACCEPTED:
                start_referral(case.referral, actor=actor, via=via)
            record_event(
                actor=actor,
                action="referrals.case.session",
                target=case,
                via=via,
                details={"number": number, "over_limit": number > limit},
            )
    except IntegrityError:
        raise Refused(
            f"Session {number} was recorded meanwhile (a second submit?).", field="held_on"
        ) from None
    case.sessions_held = number
    return session


def _follow_up_after(case: Case, held_on: dt.date, asked: dt.date | None) -> dt.date:
    """The follow-up asked for; else one already set after this session; else in 14 days."""
    if asked is not None:
        return asked
    if case.next_follow_up is not None and case.next_follow_up > held_on:
        return case.next_follow_up
    return held_on + dt.timedelta(days=14)


def set_follow_up(case: Case, on: dt.date | None, *, actor: Any, via: str) -> Case:
    _check(actor, case)
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(next_follow_up=on)
        case.next_follow_up = on
        record_event(actor=actor, action="referrals.case.follow_up", target=case, via=via)
    return case


def discharge_case(
    case: Case,
    *,
    actor: Any,
    via: str,
    outcome: str,
    outcome_code: str = "",
    outcome_reasons: Iterable[str] = (),
) -> Case:
    """Close the case with its outcome (coded too, where an app asks for it through
    `hooks`); the referral completes and its referrer (and the GP, with consent) is told."""
    outcome = (outcome or "").strip()
    if not outcome:
        raise Refused("Say how the person was helped and where they go next.", field="outcome")
    reasons = list(outcome_reasons or ())
    _check(actor, case)
    hooks.check_completion(
        case.referral, ReferralStatus.COMPLETED, coded_outcome(outcome_code, reasons, outcome)
    )
    with transaction.atomic():
        closed = (
            Case.objects.filter(pk=case.pk)
            .exclude(status=CaseStatus.DISCHARGED)
            .update(
                status=CaseStatus.DISCHARGED,
                discharged_at=timezone.now(),
                discharge_outcome=outcome,
                next_follow_up=None,
            )
        )
        if not closed:
            raise Refused("The case is closed already.", field="case")
        referral = case.referral
        if referral.status == ReferralStatus.ACCEPTED:
            start_referral(referral, actor=actor, via=via)
        complete_referral(
            referral,
            actor=actor,
            via=via,
            outcome=outcome,
            outcome_code=outcome_code,
            outcome_reasons=reasons,
        )
        record_event(actor=actor, action="referrals.case.discharged", target=case, via=via)
    case.refresh_from_db()
    return case
