"""A referral's whole life: made (with consent), sent, answered, carried out, closed.

Each move is checked against `lifecycle.TRANSITIONS`, applied by a conditional UPDATE on the
status it was read in (so a double-clicked button or two people at once cannot move it twice),
and written with its `ReferralEvent`, its audit event and its notifications in one
transaction. A repeated submit with the same idempotency key returns the referral made first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from linkwell.audit.actions import actor_label, record_each, record_event
from linkwell.core.bulk import insert as insert_rows
from linkwell.directory.models import ServiceStatus
from linkwell.directory.vocabularies import NEED_CODES
from linkwell.referrals import hooks, lifecycle, policies
from linkwell.referrals.actions import programmes
from linkwell.referrals.actions.capacity import give_back_place, take_place
from linkwell.referrals.actions.notifications import Message, notify, notify_many
from linkwell.referrals.actions.people import consents_to_share, has_consent
from linkwell.referrals.errors import NoConsent, NoPlaceLeft, Refused
from linkwell.referrals.lifecycle import TransitionRefused
from linkwell.referrals.models import (
    CapacityMode,
    ConsentPurpose,
    DeclineReason,
    NotificationKind,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from linkwell.referrals.models import ReferralStatus as S
from linkwell.referrals.queries.capacity import capacities_of

MAX_KEY = 64


MAX_BATCH = 100  # referrals made or answered in one call


@dataclass(frozen=True)
class Made:
    referral: Referral
    created: bool  # False: a repeated submit, answered with the referral made first


@dataclass(frozen=True)
class ReferralRequest:
    """One referral to make: `make_referral`'s arguments, for `make_referrals`."""

    person: Any
    service: Any
    need: str = ""
    reason: str = ""
    encounter: Any = None
    from_case: Any = None
    send: bool = True
    safeguarding: bool = False
    legal_basis: str = ""
    idempotency_key: str = ""
    # What the referrer sent about the person (a message's Patient): consent stated in it
    # counts for this referral, and a referrer linked to a person held sees it, not the record.
    submission: Any = None


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
    submission: Any = None,
) -> Made:
    """Make a referral and (by default) send it. Without consent to share with the service
    (or, for safeguarding, a legal basis) it is refused and nothing is written."""
    request = ReferralRequest(
        person,
        service,
        need,
        reason,
        encounter,
        from_case,
        send,
        safeguarding,
        legal_basis,
        idempotency_key,
        submission,
    )
    made = make_referrals([request], actor=actor, via=via, organisation=organisation)[0]
    if isinstance(made, Exception):
        raise made
    return made


def make_referrals(
    requests: list[ReferralRequest], *, actor: Any, via: str, organisation: Any = None
) -> list[Made | Refused]:
    """Make (and send) many referrals: each answered on its own, in order, with its `Made` or
    the refusal that stopped it (which wrote nothing of that one). The rules are
    `make_referral`'s; the checks read once for the batch and the rows are written together,
    in one transaction, so a batch costs a few queries rather than a few per referral."""
    if not policies.may_refer(actor):
        raise PermissionDenied("Only practitioners and connectors make referrals.")
    if len(requests) > MAX_BATCH:
        raise Refused(f"At most {MAX_BATCH} referrals at once.", field="referrals")
    keys = [(r.idempotency_key or "").strip() for r in requests]
    results: list[Made | Refused | None] = [
        _refusal(request, key) for request, key in zip(requests, keys, strict=True)
    ]
    earlier = _made_before(actor, {k for i, k in enumerate(keys) if k and results[i] is None})
    for i, key in enumerate(keys):
        if results[i] is None and key in earlier:
            results[i] = Made(earlier[key], created=False)
    todo = [i for i, done in enumerate(results) if done is None]
    consented = consents_to_share(
        (requests[i].person.pk, requests[i].service.pk, _submission_id(requests[i]))
        for i in todo
        if requests[i].send and not requests[i].safeguarding
    )
    capacities = capacities_of(requests[i].service.pk for i in todo)
    first_of_key: dict[str, int] = {}
    to_make: list[int] = []
    for i in todo:
        results[i] = _refusal_to_send(requests[i], consented, capacities)
        if results[i] is None and keys[i] in first_of_key:
            continue  # the same submit twice in one batch: answered with the first, below
        if results[i] is None:
            if keys[i]:
                first_of_key[keys[i]] = i
            to_make.append(i)
    if to_make:
        organisation = organisation or policies.home_organisation(actor)
        try:
            with transaction.atomic():
                made = _write_referrals(
                    [(requests[i], keys[i]) for i in to_make],
                    actor=actor,
                    via=via,
                    organisation=organisation,
                    capacities=capacities,
                )
        except IntegrityError as clash:
            if len(to_make) > 1:  # find which one: each on its own
                made = [_make_one(requests[i], actor, via, organisation) for i in to_make]
            else:
                made = [_made_meanwhile(actor, keys[to_make[0]], clash)]
        for i, one in zip(to_make, made, strict=True):
            results[i] = one
    for i, key in enumerate(keys):
        if results[i] is None:  # a repeat of an earlier request in this batch
            first = results[first_of_key[key]]
            results[i] = Made(first.referral, created=False) if isinstance(first, Made) else first
    return results  # type: ignore[return-value]


def _submission_id(request: ReferralRequest) -> Any:
    return request.submission.pk if request.submission is not None else None


def _refusal(request: ReferralRequest, key: str) -> Refused | None:
    """What is wrong with the request itself (nothing read)."""
    inactive = _not_taking_referrals(request.service)
    if inactive:
        return inactive
    if len(key) > MAX_KEY:
        return Refused(f"At most {MAX_KEY} characters.", field="idempotency_key")
    if request.need and request.need not in NEED_CODES:
        return Refused(
            f"{request.need[:50]!r} is not a need code of the directory: leave it empty or "
            "choose one of the directory's needs.",
            field="need",
        )
    if request.safeguarding and not (request.legal_basis or "").strip():
        return Refused("A safeguarding referral records its legal basis.", field="legal_basis")
    if len(request.reason or "") > 1000:
        return Refused("At most 1,000 characters.", field="reason")
    return None


def _not_taking_referrals(service: Any) -> Refused | None:
    """Only a service active in the directory takes referrals (not one inactive, withdrawn
    or defunct), however the referral is made."""
    if service.status == ServiceStatus.ACTIVE:
        return None
    return Refused(
        f"{service.name} is not taking referrals: it is no longer active in the directory. "
        "Choose another service.",
        field="service",
    )


def _refusal_to_send(
    request: ReferralRequest, consented: set[tuple[Any, Any, Any]], capacities: dict[Any, Any]
) -> Refused | None:
    if not request.send:
        return None
    person, service = request.person, request.service
    if not request.safeguarding and (person.pk, service.pk, _submission_id(request)) not in (
        consented
    ):
        return NoConsent(
            "The person has not agreed to their details being shared with "
            f"{service.name}: record their consent first.",
            field="consent",
        )
    if capacities[service.pk].mode == CapacityMode.CLOSED:
        return Refused(f"{service.name} is closed to referrals.", field="service")
    return None


def _made_before(actor: Any, keys: set[str]) -> dict[str, Referral]:
    if not keys or not getattr(actor, "pk", None):
        return {}
    found = Referral.objects.filter(referrer=actor, idempotency_key__in=keys)
    return {r.idempotency_key: r for r in found}


def _made_meanwhile(actor: Any, key: str, clash: IntegrityError) -> Made:
    """After a unique-key clash: the same submit, twice at once, and the other one won."""
    earlier = _made_before(actor, {key}).get(key) if key else None
    if earlier is None:
        raise clash
    return Made(earlier, created=False)


def _make_one(request: ReferralRequest, actor: Any, via: str, organisation: Any) -> Made | Refused:
    try:
        return make_referral(
            actor=actor,
            via=via,
            organisation=organisation,
            **{f: getattr(request, f) for f in ReferralRequest.__dataclass_fields__},
        )
    except Refused as refused:
        return refused


def _write_referrals(
    items: list[tuple[ReferralRequest, str]],
    *,
    actor: Any,
    via: str,
    organisation: Any,
    capacities: dict[Any, Any],
) -> list[Made]:
    """Insert the referrals, each as made then (if asked) sent, with their events, audit
    events and the services' notifications; then the sent ones that must wait (a waiting-list
    service, a full programme) move to the waiting list one by one."""
    now = timezone.now()
    practice = programmes.referring_practice(organisation)
    programme_of = programmes.programmes_of(request.service.pk for request, _ in items)
    user, label = _user(actor), actor_label(actor)
    referrals = []
    for request, key in items:
        service = request.service
        referral = Referral(
            person=request.person,
            service=service,
            need=request.need or "",
            reason=(request.reason or "").strip(),
            encounter=request.encounter,
            from_case=request.from_case,
            status=S.DRAFT,
            status_changed_at=now,
            referrer=user,
            referrer_label=label,
            referrer_organisation=organisation,
            gp_practice=practice,
            safeguarding=request.safeguarding,
            legal_basis=(request.legal_basis or "").strip(),
            idempotency_key=key,
            submission=request.submission,
            created_at=now,
        )
        if request.send:
            referral.status = S.SENT
            referral.sent_at = now
            referral.due_at = now + dt.timedelta(days=capacities[service.pk].response_days)
            if service.pk in programme_of:
                referral.snomed_code = lifecycle.SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING
        referrals.append(referral)
    Referral.objects.bulk_create(referrals)
    events, audit = [], []
    for (request, _), referral in zip(items, referrals, strict=True):
        events.append(
            ReferralEvent(
                referral=referral, to_status=S.DRAFT, at=now, actor=user, actor_label=label
            )
        )
        details = {
            "service": str(request.service.pk),
            "need": request.need,
            "safeguarding": request.safeguarding,
        }
        audit.append(("referrals.referral.created", referral, details))
        if referral.status == S.SENT:
            snomed = referral.snomed_code
            events.append(
                ReferralEvent(
                    referral=referral,
                    from_status=S.DRAFT,
                    to_status=S.SENT,
                    at=now,
                    actor=user,
                    actor_label=label,
                    snomed_code=snomed,
                )
            )
            details = {"from": S.DRAFT, **({"snomed": snomed} if snomed else {})}
            audit.append(("referrals.referral.sent", referral, details))
    insert_rows(ReferralEvent, events)
    record_each(actor=actor, via=via, events=audit)
    sent = [r for r in referrals if r.status == S.SENT]
    answerers = policies.answerers_by_service({r.service_id for r in sent})
    messages = []
    for referral in sent:
        waiting_why = _why_waiting(referral, capacities, programme_of, via)
        messages.append(
            (
                answerers[referral.service_id],
                NotificationKind.NEW_REFERRAL,
                referral,
                _new_referral_message(referral, waiting_why),
            )
        )
    notify_many(messages, sender=_user(actor))
    return [Made(referral, created=True) for referral in referrals]


def _why_waiting(referral: Referral, capacities: dict, programme_of: dict, via: str) -> str:
    """Put a sent referral on the waiting list if its service says so: why, or ""."""
    waiting_why = ""
    programme = programme_of.get(referral.service_id)
    if capacities[referral.service_id].mode == CapacityMode.WAITING_LIST:
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
            fields={"waitlisted_at": referral.sent_at},
        )
    return waiting_why


def send_referral(referral: Referral, *, actor: Any, via: str) -> Referral:
    if not policies.may_cancel(actor, referral):  # whoever may withdraw it may send it
        raise PermissionDenied("Only the referrer sends their referral.")
    inactive = _not_taking_referrals(referral.service)
    if inactive:
        raise inactive
    if not referral.safeguarding and not has_consent(
        referral.person,
        ConsentPurpose.SHARE_WITH_SERVICE,
        referral.service,
        submission_id=referral.submission_id,
    ):
        raise NoConsent("Record the person's consent to share first.", field="consent")
    with transaction.atomic():
        _send(referral, actor=actor, via=via)
    return referral


def _send(referral: Referral, *, actor: Any, via: str) -> None:
    """Send a draft: the same moves and messages as a referral made and sent at once."""
    now = timezone.now()
    capacities = capacities_of([referral.service_id])
    programme_of = programmes.programmes_of([referral.service_id])
    fields: dict[str, Any] = {
        "sent_at": now,
        "due_at": now + dt.timedelta(days=capacities[referral.service_id].response_days),
    }
    if referral.service_id in programme_of:
        fields["snomed_code"] = lifecycle.SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING
    _move(
        referral, S.SENT, actor=actor, via=via, fields=fields, snomed=fields.get("snomed_code", "")
    )
    waiting_why = _why_waiting(referral, capacities, programme_of, via)
    notify(
        policies.answerers_of(referral.service),
        NotificationKind.NEW_REFERRAL,
        referral,
        _new_referral_message(referral, waiting_why),
        sender=_user(actor),
    )


def _new_referral_message(referral: Referral, waiting_why: str) -> str:
    """The whole message, read on its own (the inbox and the e-mail subject): the kind of
    notification is not repeated before it."""
    return f"New referral {referral.reference} for {referral.service.name}" + (
        " (on the waiting list)" if waiting_why else ""
    )


def receive_referral(referral: Referral, *, actor: Any, via: str) -> Referral:
    return _answer(referral, S.RECEIVED, actor=actor, via=via)


def accept_referral(
    referral: Referral, *, actor: Any, via: str, note: str = "", waitlist_if_full: bool = False
) -> Referral:
    """Accept, taking a place if the service counts them. When none is left: NoPlaceLeft, or
    with `waitlist_if_full` the referral joins the waiting list instead."""
    accepted = accept_referrals(
        [referral], actor=actor, via=via, note=note, waitlist_if_full=waitlist_if_full
    )[0]
    if isinstance(accepted, Exception):
        raise accepted
    return accepted


Answer = Referral | Refused | TransitionRefused | PermissionDenied


def accept_referrals(
    referrals: list[Referral],
    *,
    actor: Any,
    via: str,
    note: str = "",
    waitlist_if_full: bool = False,
) -> list[Answer]:
    """Accept many referrals: each answered on its own, in order, with the referral moved or
    the refusal that stopped it. Referrals to services that neither count places nor run a
    programme are moved together (one conditional UPDATE per status they were read in);
    the others one by one, as places and caps are taken in order."""
    if len(referrals) > MAX_BATCH:
        raise Refused(f"At most {MAX_BATCH} referrals at once.", field="referral_ids")
    results: list[Answer | None] = [None] * len(referrals)
    answerable = policies.answerable_service_ids(actor, {r.service_id for r in referrals})
    for i, referral in enumerate(referrals):
        if referral.service_id not in answerable:
            results[i] = PermissionDenied("Only the service referred to answers a referral.")
        else:
            try:
                lifecycle.check_move(referral.status, S.ACCEPTED)
            except TransitionRefused as refused:
                results[i] = refused
    todo = [i for i, done in enumerate(results) if done is None]
    capacities = capacities_of(referrals[i].service_id for i in todo)
    programme_of = programmes.programmes_of(referrals[i].service_id for i in todo)
    together = [
        i
        for i in todo
        if capacities[referrals[i].service_id].mode == CapacityMode.OPEN
        and referrals[i].service_id not in programme_of
    ]
    if together:
        with transaction.atomic():
            moved = _move_many(
                [referrals[i] for i in together],
                S.ACCEPTED,
                actor=actor,
                via=via,
                note=note,
                fields={"answered_at": timezone.now(), "capacity_period": None},
            )
            notify_many(
                (_referrer_message(r, NotificationKind.DECISION, "accepted") for r in moved),
                sender=_user(actor),
            )
        for i in together:
            results[i] = referrals[i] if referrals[i] in moved else _changed(referrals[i])
    for i in todo:
        if results[i] is None:
            try:
                results[i] = _accept_one(referrals[i], actor, via, note, waitlist_if_full)
            except (Refused, TransitionRefused) as refused:
                results[i] = refused
    return results  # type: ignore[return-value]


def _accept_one(
    referral: Referral, actor: Any, via: str, note: str, waitlist_if_full: bool
) -> Referral:
    """Accepting one referral to a service that counts places or runs a programme."""
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
            _tell_referrer(referral, NotificationKind.DECISION, "accepted", actor)
    except NoPlaceLeft as full:
        if not waitlist_if_full or referral.status == S.WAITLISTED:
            raise
        return waitlist_referral(referral, actor=actor, via=via, note=full.message)
    return referral


def decline_referral(
    referral: Referral,
    *,
    actor: Any,
    via: str,
    reason: str = "",
    reason_code: str = "",
) -> Referral:
    """Decline with a reason code (`DeclineReason`) and, for `other`, the service's words.
    A caller giving only `reason` (the pages before codes) declines as `other`."""
    code, reason = clean_decline_reason(reason_code, reason)
    snomed = (
        lifecycle.SNOMED_SOCIAL_PRESCRIBING_DECLINED
        if programmes.programme_of(referral.service) is not None
        else ""
    )
    label = str(DeclineReason(code).label)
    told = f"declined ({label.lower()})" + (f": {reason}" if reason else "")
    _answer(
        referral,
        S.DECLINED,
        actor=actor,
        via=via,
        note=reason or label,
        snomed=snomed,
        fields={
            "decline_reason": reason,
            "decline_reason_code": code,
            "answered_at": timezone.now(),
        },
        details={"reason_code": code},
        after=lambda: (
            programmes.release(referral, actor=actor, via=via),
            _tell_referrer(referral, NotificationKind.DECISION, told, actor),
        ),
    )
    return referral


def clean_decline_reason(reason_code: str, reason: str) -> tuple[str, str]:
    """(code, words) as stored, or Refused naming `reason_code` or `reason`. No code given
    is `other` (which needs words); an unknown code is refused, never stored."""
    code = (reason_code or "").strip() or DeclineReason.OTHER
    reason = (reason or "").strip()
    if code not in DeclineReason.values:
        raise Refused(
            f"{code[:40]!r} is not a decline reason: choose one of "
            + ", ".join(DeclineReason.values)
            + ".",
            field="reason_code",
        )
    if code == DeclineReason.OTHER and not reason:
        raise Refused("Say why the referral is declined.", field="reason")
    if len(reason) > 1000:
        raise Refused("Enter a reason for declining of 1,000 characters or fewer.", field="reason")
    return code, reason


def waitlist_referral(referral: Referral, *, actor: Any, via: str, note: str = "") -> Referral:
    _answer(
        referral,
        S.WAITLISTED,
        actor=actor,
        via=via,
        note=note,
        fields={"waitlisted_at": timezone.now(), "answered_at": timezone.now()},
        after=lambda: _tell_referrer(
            referral, NotificationKind.DECISION, "put on the waiting list", actor
        ),
    )
    return referral


def start_referral(referral: Referral, *, actor: Any, via: str, note: str = "") -> Referral:
    return _answer(referral, S.IN_PROGRESS, actor=actor, via=via, note=note)


def complete_referral(
    referral: Referral,
    *,
    actor: Any,
    via: str,
    outcome: str,
    outcome_code: str = "",
    outcome_reasons: Iterable[str] = (),
) -> Referral:
    """Completed with what was offered and what happened (and, where an app asks for it
    through `hooks`, the outcome coded): told to the referrer and, if the person agreed, to
    their GP practice."""
    outcome = (outcome or "").strip()
    if not outcome:
        raise Refused("Say what was offered and what happened.", field="outcome")
    if len(outcome) > 2000:
        raise Refused("Enter an outcome of 2,000 characters or fewer.", field="outcome")
    coded = coded_outcome(outcome_code, outcome_reasons, outcome)
    _answer(
        referral,
        S.COMPLETED,
        actor=actor,
        via=via,
        note=outcome,
        check=lambda: hooks.check_completion(referral, S.COMPLETED, coded),
        fields={"outcome": outcome, "completed_at": timezone.now()},
        after=lambda: _ended(referral, S.COMPLETED, coded, actor=actor, via=via),
    )
    return referral


def coded_outcome(code: str, reasons: Iterable[str], note: str) -> dict[str, Any]:
    """What a caller gave beside the free text, as the completion hooks receive it."""
    return {"code": (code or "").strip(), "reasons": list(reasons or ()), "note": note}


def did_not_engage(
    referral: Referral, *, actor: Any, via: str, note: str = "", outcome_reasons: Iterable[str] = ()
) -> Referral:
    coded = coded_outcome(S.DID_NOT_ENGAGE, outcome_reasons, note)
    _answer(
        referral,
        S.DID_NOT_ENGAGE,
        actor=actor,
        via=via,
        note=note,
        check=lambda: hooks.check_completion(referral, S.DID_NOT_ENGAGE, coded),
        fields={"outcome": note or "The person did not take up the service."},
        after=lambda: _ended(referral, S.DID_NOT_ENGAGE, coded, actor=actor, via=via),
    )
    return referral


def _ended(referral: Referral, ending: str, coded: dict[str, Any], *, actor: Any, via: str) -> None:
    """After the move, in its transaction: what other apps record, then the message back."""
    hooks.record_completion(referral, ending, coded, actor=actor, via=via)
    _tell_outcome(referral, actor)


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
    details: dict[str, Any] | None = None,
    check: Any = None,
    after: Any = None,
) -> Referral:
    """Check who and whether (then `check`: what other apps require), then move and run
    `after` in the move's transaction."""
    _check_answer(actor, referral)
    lifecycle.check_move(referral.status, target)
    if check is not None:
        check()
    with transaction.atomic():
        _move(
            referral,
            target,
            actor=actor,
            via=via,
            note=note,
            snomed=snomed,
            fields=fields,
            details=details,
        )
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
    details: dict[str, Any] | None = None,
) -> None:
    """Apply one move: conditional on the status it was read in. Inside a transaction."""
    lifecycle.check_move(referral.status, target)
    if not _move_many(
        [referral],
        target,
        actor=actor,
        via=via,
        note=note,
        snomed=snomed,
        fields=fields,
        details=details,
    ):
        raise _changed(referral)


def _move_many(
    referrals: list[Referral],
    target: str,
    *,
    actor: Any,
    via: str,
    note: str = "",
    snomed: str = "",
    fields: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
) -> list[Referral]:
    """Apply one move to referrals whose moves were checked: one UPDATE per status they were
    read in, conditional on it, then their events and audit events in one insert each.
    Returns those moved (the others were changed meanwhile). Inside a transaction."""
    now = timezone.now()
    values = {"status": target, "status_changed_at": now, **(fields or {})}
    by_status: dict[str, list[Referral]] = {}
    for referral in referrals:
        by_status.setdefault(referral.status, []).append(referral)
    moved: list[tuple[str, Referral]] = []
    for current, group in by_status.items():
        ids = [r.pk for r in group]
        count = Referral.objects.filter(pk__in=ids, status=current).update(**values)
        if count < len(group):  # some changed meanwhile: which were moved here?
            mine = set(
                Referral.objects.filter(
                    pk__in=ids, status=target, status_changed_at=now
                ).values_list("pk", flat=True)
            )
            group = [r for r in group if r.pk in mine]
        moved.extend((current, r) for r in group)
    user, label = _user(actor), actor_label(actor)
    insert_rows(
        ReferralEvent,
        [
            ReferralEvent(
                referral=referral,
                from_status=current,
                to_status=target,
                at=now,
                actor=user,
                actor_label=label,
                note=(note or "")[:2000],
                snomed_code=snomed,
            )
            for current, referral in moved
        ],
    )
    record_each(
        actor=actor,
        via=via,
        events=[
            (
                f"referrals.referral.{target}",
                referral,
                {"from": current, **({"snomed": snomed} if snomed else {}), **(details or {})},
            )
            for current, referral in moved
        ],
    )
    for _, referral in moved:
        for name, value in values.items():
            setattr(referral, name, value)
    return [referral for _, referral in moved]


def _changed(referral: Referral) -> TransitionRefused:
    fresh = Referral.objects.only("status").get(pk=referral.pk)
    return TransitionRefused(
        f"The referral was changed meanwhile: it is now {S(fresh.status).label.lower()}."
    )


def _tell_referrer(referral: Referral, kind: str, what: str, actor: Any) -> None:
    notify_many([_referrer_message(referral, kind, what)], sender=_user(actor))


def _referrer_message(referral: Referral, kind: str, what: str) -> Message:
    return (
        [referral.referrer],
        kind,
        referral,
        f"Referral {referral.reference} to {referral.service.name}: {what}.",
    )


def _tell_outcome(referral: Referral, actor: Any) -> None:
    """The PRSB-style message back: what was offered, what happened. The referrer always;
    the person's GP practice only with their consent."""
    summary = (
        f"Referral {referral.reference} to {referral.service.name} is "
        f"{ReferralStatus(referral.status).label.lower()}.\n"
        f"What was offered: {referral.service.name}"
        + (f" (for {referral.need.replace('_', ' ')})" if referral.need else "")
        + f".\nWhat happened: {referral.outcome}"
        + "".join(f"\n{line}" for line in hooks.message_back_lines(referral))
    )
    notify([referral.referrer], NotificationKind.COMPLETION, referral, summary, sender=_user(actor))
    if has_consent(
        referral.person,
        ConsentPurpose.TELL_GP_AND_REFERRER,
        submission_id=referral.submission_id,
    ):
        notify(
            programmes.gp_practice_users(referral.person),
            NotificationKind.COMPLETION,
            referral,
            summary,
            sender=_user(actor),
        )
