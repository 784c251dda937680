"""A referral's whole life: made (with consent), sent, answered, carried out, closed.

Each move is checked against `lifecycle.TRANSITIONS`, applied by a conditional UPDATE on the
status it was read in (so a double-clicked button or two people at once cannot move it twice),
and written with its `ReferralEvent`, its audit event and its notifications in one
transaction. A repeated submit with the same idempotency key returns the referral made first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from linkwell.audit.actions import actor_label, record_event
from linkwell.referrals import lifecycle, policies
from linkwell.referrals.actions import programmes
from linkwell.referrals.actions.capacity import capacity_of, give_back_place, take_place
from linkwell.referrals.actions.notifications import notify
from linkwell.referrals.actions.people import has_consent
from linkwell.referrals.errors import NoConsent, NoPlaceLeft, Refused
from linkwell.referrals.lifecycle import TransitionRefused
from linkwell.referrals.models import (
    CapacityMode,
    ConsentPurpose,
    NotificationKind,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from linkwell.referrals.models import ReferralStatus as S

MAX_KEY = 64


@dataclass(frozen=True)
class Made:
    referral: Referral
    created: bool  # False: a repeated submit, answered with the referral made first


def make_referral(
    *,
    actor: Any,
    via: str,
    person: Any,
    service: Any,
    need: str = "",
    reason: str = "",
    encounter: Any = None,
    from_case: Any = None,
    send: bool = True,
    safeguarding: bool = False,
    legal_basis: str = "",
    idempotency_key: str = "",
    organisation: Any = None,
) -> Made:
    """Make a referral and (by default) send it. Without consent to share with the service
    (or, for safeguarding, a legal basis) it is refused and nothing is written."""
    if not policies.may_refer(actor):
        raise PermissionDenied("Only practitioners and connectors make referrals.")
    key = (idempotency_key or "").strip()
    if len(key) > MAX_KEY:
        raise Refused(f"At most {MAX_KEY} characters.", field="idempotency_key")
    if key:
        earlier = Referral.objects.filter(referrer=actor, idempotency_key=key).first()
        if earlier is not None:
            return Made(earlier, created=False)
    legal_basis = (legal_basis or "").strip()
    if safeguarding and not legal_basis:
        raise Refused("A safeguarding referral records its legal basis.", field="legal_basis")
    if len(reason or "") > 1000:
        raise Refused("At most 1,000 characters.", field="reason")
    if (
        send
        and not safeguarding
        and not has_consent(person, ConsentPurpose.SHARE_WITH_SERVICE, service)
    ):
        raise NoConsent(
            f"{person.full_name} has not agreed to their details being shared with "
            f"{service.name}: record their consent first.",
            field="consent",
        )
    capacity = capacity_of(service)
    if send and capacity.mode == CapacityMode.CLOSED:
        raise Refused(f"{service.name} is closed to referrals.", field="service")
    organisation = organisation or policies.home_organisation(actor)
    now = timezone.now()
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                person=person,
                service=service,
                need=need or "",
                reason=(reason or "").strip(),
                encounter=encounter,
                from_case=from_case,
                status=S.DRAFT,
                status_changed_at=now,
                referrer=actor if getattr(actor, "pk", None) else None,
                referrer_label=actor_label(actor),
                referrer_organisation=organisation,
                gp_practice=programmes.referring_practice(organisation),
                safeguarding=safeguarding,
                legal_basis=legal_basis,
                idempotency_key=key,
                created_at=now,
            )
            ReferralEvent.objects.create(
                referral=referral,
                to_status=S.DRAFT,
                at=now,
                actor=_user(actor),
                actor_label=actor_label(actor),
            )
            record_event(
                actor=actor,
                action="referrals.referral.created",
                target=referral,
                via=via,
                details={"service": str(service.pk), "need": need, "safeguarding": safeguarding},
            )
            if send:
                _send(referral, actor=actor, via=via, capacity=capacity)
    except IntegrityError:
        if key:  # the same submit, twice at once: the other one won
            earlier = Referral.objects.filter(referrer=actor, idempotency_key=key).first()
            if earlier is not None:
                return Made(earlier, created=False)
        raise
    return Made(referral, created=True)


def send_referral(referral: Referral, *, actor: Any, via: str) -> Referral:
    if not policies.may_cancel(actor, referral):  # whoever may withdraw it may send it
        raise PermissionDenied("Only the referrer sends their referral.")
    if not referral.safeguarding and not has_consent(
        referral.person, ConsentPurpose.SHARE_WITH_SERVICE, referral.service
    ):
        raise NoConsent("Record the person's consent to share first.", field="consent")
    with transaction.atomic():
        _send(referral, actor=actor, via=via)
    return referral


def _send(referral: Referral, *, actor: Any, via: str, capacity: Any = None) -> None:
    now = timezone.now()
    capacity = capacity or capacity_of(referral.service)
    fields: dict[str, Any] = {
        "sent_at": now,
        "due_at": now + dt.timedelta(days=capacity.response_days),
    }
    programme = programmes.programme_of(referral.service)
    if programme is not None:
        fields["snomed_code"] = lifecycle.SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING
    _move(
        referral, S.SENT, actor=actor, via=via, fields=fields, snomed=fields.get("snomed_code", "")
    )
    waiting_why = ""
    if capacity.mode == CapacityMode.WAITING_LIST:
        waiting_why = f"{referral.service.name} takes referrals onto its waiting list only."
    elif programme is not None and not programmes.admit(referral, programme):
        waiting_why = programmes.why_full(referral, programme)
    if waiting_why:
        _move(
            referral,
            S.WAITLISTED,
            actor=None,
            via=via,
            note=waiting_why,
            fields={"waitlisted_at": now},
        )
    notify(
        policies.answerers_of(referral.service),
        NotificationKind.NEW_REFERRAL,
        referral,
        f"New referral {referral.reference} to {referral.service.name}"
        + (" (on the waiting list)" if waiting_why else ""),
    )


def receive_referral(referral: Referral, *, actor: Any, via: str) -> Referral:
    return _answer(referral, S.RECEIVED, actor=actor, via=via)


def accept_referral(
    referral: Referral, *, actor: Any, via: str, note: str = "", waitlist_if_full: bool = False
) -> Referral:
    """Accept, taking a place if the service counts them. When none is left: NoPlaceLeft, or
    with `waitlist_if_full` the referral joins the waiting list instead."""
    _check_answer(actor, referral)
    lifecycle.check_move(referral.status, S.ACCEPTED)
    try:
        with transaction.atomic():
            period = take_place(referral.service)
            _move(
                referral,
                S.ACCEPTED,
                actor=actor,
                via=via,
                note=note,
                fields={"answered_at": timezone.now(), "capacity_period": period},
            )
            programmes.open_case_if_programme(referral, actor=actor, via=via)
            _tell_referrer(referral, NotificationKind.DECISION, "accepted")
    except NoPlaceLeft as full:
        if not waitlist_if_full or referral.status == S.WAITLISTED:
            raise
        return waitlist_referral(referral, actor=actor, via=via, note=full.message)
    return referral


def decline_referral(referral: Referral, *, actor: Any, via: str, reason: str) -> Referral:
    reason = (reason or "").strip()
    if not reason:
        raise Refused("Say why the referral is declined.", field="reason")
    if len(reason) > 1000:
        raise Refused("At most 1,000 characters.", field="reason")
    snomed = (
        lifecycle.SNOMED_SOCIAL_PRESCRIBING_DECLINED
        if programmes.programme_of(referral.service) is not None
        else ""
    )
    _answer(
        referral,
        S.DECLINED,
        actor=actor,
        via=via,
        note=reason,
        snomed=snomed,
        fields={"decline_reason": reason, "answered_at": timezone.now()},
        after=lambda: (
            programmes.release(referral, actor=actor, via=via),
            _tell_referrer(referral, NotificationKind.DECISION, "declined: " + reason),
        ),
    )
    return referral


def waitlist_referral(referral: Referral, *, actor: Any, via: str, note: str = "") -> Referral:
    _answer(
        referral,
        S.WAITLISTED,
        actor=actor,
        via=via,
        note=note,
        fields={"waitlisted_at": timezone.now(), "answered_at": timezone.now()},
        after=lambda: _tell_referrer(
            referral, NotificationKind.DECISION, "put on the waiting list"
        ),
    )
    return referral


def start_referral(referral: Referral, *, actor: Any, via: str, note: str = "") -> Referral:
    return _answer(referral, S.IN_PROGRESS, actor=actor, via=via, note=note)


def complete_referral(referral: Referral, *, actor: Any, via: str, outcome: str) -> Referral:
    """Completed with what was offered and what happened: told to the referrer and, if the
    person agreed, to their GP practice."""
    outcome = (outcome or "").strip()
    if not outcome:
        raise Refused("Say what was offered and what happened.", field="outcome")
    if len(outcome) > 2000:
        raise Refused("At most 2,000 characters.", field="outcome")
    _answer(
        referral,
        S.COMPLETED,
        actor=actor,
        via=via,
        note=outcome,
        fields={"outcome": outcome, "completed_at": timezone.now()},
        after=lambda: _tell_outcome(referral),
    )
    return referral


def did_not_engage(referral: Referral, *, actor: Any, via: str, note: str = "") -> Referral:
    _answer(
        referral,
        S.DID_NOT_ENGAGE,
        actor=actor,
        via=via,
        note=note,
        fields={"outcome": note or "The person did not take up the service."},
        after=lambda: _tell_outcome(referral),
    )
    return referral


def cancel_referral(referral: Referral, *, actor: Any, via: str, note: str = "") -> Referral:
    if not (policies.may_cancel(actor, referral) or policies.may_answer(actor, referral)):
        raise PermissionDenied("Only the referrer or the service cancels a referral.")
    lifecycle.check_move(referral.status, S.CANCELLED)
    with transaction.atomic():
        held = referral.status in lifecycle.HOLDING_A_PLACE
        period_id = referral.capacity_period_id
        _move(referral, S.CANCELLED, actor=actor, via=via, note=note)
        if held:
            give_back_place(period_id)
        programmes.release(referral, actor=actor, via=via)
    return referral


def escalate_overdue(*, now: dt.datetime | None = None, via: str = "escalate_referrals") -> int:
    """Referrals not answered by their due time: told to the referrer and the partnership
    (once each). Returns how many were escalated."""
    now = now or timezone.now()
    overdue = Referral.objects.filter(
        status__in=lifecycle.AWAITING_ANSWER, due_at__lte=now, escalated_at=None
    ).select_related("service", "referrer")
    count = 0
    for referral in overdue.iterator(chunk_size=500):
        with transaction.atomic():
            claimed = Referral.objects.filter(pk=referral.pk, escalated_at=None).update(
                escalated_at=now
            )
            if not claimed:
                continue  # another run took it
            record_event(
                actor=None,
                action="referrals.referral.escalated",
                target=referral,
                via=via,
                details={"due_at": referral.due_at.isoformat() if referral.due_at else None},
            )
            message = (
                f"Referral {referral.reference} to {referral.service.name} has not been "
                f"answered since {referral.sent_at:%d %B %Y}."
            )
            notify(
                [referral.referrer, *policies.partnership_admins()],
                NotificationKind.ESCALATION,
                referral,
                message,
            )
            count += 1
    return count


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _check_answer(actor: Any, referral: Referral) -> None:
    if not policies.may_answer(actor, referral):
        raise PermissionDenied("Only the service referred to answers a referral.")


def _answer(
    referral: Referral,
    target: str,
    *,
    actor: Any,
    via: str,
    note: str = "",
    snomed: str = "",
    fields: dict[str, Any] | None = None,
    after: Any = None,
) -> Referral:
    _check_answer(actor, referral)
    lifecycle.check_move(referral.status, target)
    with transaction.atomic():
        _move(referral, target, actor=actor, via=via, note=note, snomed=snomed, fields=fields)
        if after is not None:
            after()
    return referral


def _move(
    referral: Referral,
    target: str,
    *,
    actor: Any,
    via: str,
    note: str = "",
    snomed: str = "",
    fields: dict[str, Any] | None = None,
) -> None:
    """Apply one move: conditional on the status it was read in. Inside a transaction."""
    current = referral.status
    lifecycle.check_move(current, target)
    now = timezone.now()
    values = {"status": target, "status_changed_at": now, **(fields or {})}
    moved = Referral.objects.filter(pk=referral.pk, status=current).update(**values)
    if not moved:
        fresh = Referral.objects.only("status").get(pk=referral.pk)
        raise TransitionRefused(
            f"The referral was changed meanwhile: it is now {S(fresh.status).label.lower()}."
        )
    for name, value in values.items():
        setattr(referral, name, value)
    ReferralEvent.objects.create(
        referral=referral,
        from_status=current,
        to_status=target,
        at=now,
        actor=_user(actor),
        actor_label=actor_label(actor),
        note=(note or "")[:2000],
        snomed_code=snomed,
    )
    record_event(
        actor=actor,
        action=f"referrals.referral.{target}",
        target=referral,
        via=via,
        details={"from": current, **({"snomed": snomed} if snomed else {})},
    )


def _tell_referrer(referral: Referral, kind: str, what: str) -> None:
    notify(
        [referral.referrer],
        kind,
        referral,
        f"Referral {referral.reference} to {referral.service.name}: {what}.",
    )


def _tell_outcome(referral: Referral) -> None:
    """The PRSB-style message back: what was offered, what happened. The referrer always;
    the person's GP practice only with their consent."""
    summary = (
        f"Referral {referral.reference} to {referral.service.name} is "
        f"{ReferralStatus(referral.status).label.lower()}.\n"
        f"What was offered: {referral.service.name}"
        + (f" (for {referral.need.replace('_', ' ')})" if referral.need else "")
        + f".\nWhat happened: {referral.outcome}"
    )
    notify([referral.referrer], NotificationKind.COMPLETION, referral, summary)
    if has_consent(referral.person, ConsentPurpose.TELL_GP_AND_REFERRER):
        notify(
            programmes.gp_practice_users(referral.person),
            NotificationKind.COMPLETION,
            referral,
            summary,
        )
