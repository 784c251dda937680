"""/api/v1/referrals/: make a referral (idempotent), list and read them, move them through
their lifecycle, and a service's capacity."""

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Header, Query, Router, Status
from ninja.errors import HttpError

from linkwell.directory.api.params import PAGE_DOC, PER_PAGE_DOC
from linkwell.directory.models import Service
from linkwell.directory.search.results import MAX_PAGE
from linkwell.referrals import actions, moves, policies
from linkwell.referrals import queries as rq
from linkwell.referrals.api import present
from linkwell.referrals.api.auth import SIGNED_IN, caller
from linkwell.referrals.api.errors import found_or_404
from linkwell.referrals.api.requests import referral_request
from linkwell.referrals.api.schemas import (
    REFUSALS,
    AcceptIn,
    AlternativesOut,
    CapacityIn,
    CapacityOut,
    CompleteIn,
    DeclineIn,
    MovedOut,
    NoteIn,
    ReferralIn,
    ReferralOut,
    ReferralPage,
    ReferralSummary,
    TodayOut,
)
from linkwell.referrals.errors import Refused
from linkwell.referrals.lifecycle import TransitionRefused
from linkwell.referrals.models import Referral
from linkwell.referrals.queries.capacity import capacity_of, places_left

router = Router(auth=SIGNED_IN, tags=["Referrals"])

ONE_SERVICE = Query(None, description="Only this service's.")
STATUS_DOC = "Only referrals with this status (draft, sent, received, accepted, ...)."


def referral_or_404(user: Any, referral_id: uuid.UUID) -> Referral:
    return found_or_404(rq.get_referral(user, referral_id), "referral")


@router.post(
    "/",
    response={201: ReferralSummary, 200: ReferralSummary, **REFUSALS},
    exclude_unset=True,
    summary="Make a referral",
    description="Sent at once unless send is false. Refused (409) without the person's "
    "consent to share with the service, unless a safeguarding referral with its legal basis. "
    "With an Idempotency-Key header, repeating the request returns the referral made first "
    "(200 instead of 201).",
)
def make_referral(
    request: HttpRequest,
    body: ReferralIn,
    idempotency_key: str = Header(
        "", alias="Idempotency-Key", description="Up to 64 characters, unique per submit."
    ),
) -> Status:
    user = caller(request)
    if not policies.may_refer(user):
        raise PermissionDenied("Only practitioners and connectors make referrals.")
    people = rq.people_to_refer(user, [body.person_id])
    services = Service.objects.in_bulk([body.service_id])
    asked = referral_request(user, body, people, services, idempotency_key)
    made = actions.make_referrals([asked], actor=user, via="api:POST /referrals")[0]
    if isinstance(made, Exception):
        raise made
    view = policies.referral_view(user, made.referral)
    row = present.referral_summary(made.referral, view)
    present.audit_listed(user, [made.referral], [row], via="api:POST /referrals")
    return Status(201 if made.created else 200, row)


@router.get(
    "/made",
    response={200: ReferralPage, **REFUSALS},
    exclude_unset=True,
    summary="Referrals I made",
    description="Newest first, with where each stands.",
)
def referrals_made(
    request: HttpRequest,
    status: str = Query("", description=STATUS_DOC),
    page: int = Query(1, ge=1, le=MAX_PAGE, description=PAGE_DOC),
    per_page: int = Query(50, ge=1, description=PER_PAGE_DOC),
) -> dict[str, Any]:
    user = caller(request)
    found = present.paged(
        rq.referrals_made(user, status).select_related("referrer_organisation"), page, per_page
    )
    rows = present.referral_summaries(user, found.items)
    present.audit_listed(user, found.items, rows, via="api:GET /referrals/made")
    return present.envelope(found, rows)


@router.get(
    "/to-answer",
    response={200: ReferralPage, **REFUSALS},
    exclude_unset=True,
    summary="Referrals for my services to answer",
    description="Oldest waiting first; by default those waiting for an answer or on the "
    "waiting list.",
)
def referrals_to_answer(
    request: HttpRequest,
    status: str = Query("", description=STATUS_DOC),
    page: int = Query(1, ge=1, le=MAX_PAGE, description=PAGE_DOC),
    per_page: int = Query(50, ge=1, description=PER_PAGE_DOC),
) -> dict[str, Any]:
    user = caller(request)
    found = present.paged(rq.referrals_to_answer(user, status), page, per_page)
    rows = present.referral_summaries(user, found.items)
    present.audit_listed(user, found.items, rows, via="api:GET /referrals/to-answer")
    return present.envelope(found, rows)


@router.get(
    "/{uuid:referral_id}",
    response={200: ReferralOut, **REFUSALS},
    exclude_unset=True,
    summary="A referral",
    description="Only what the caller may see: a referrer from police, fire or housing sees "
    "the person's name and where the referral stands; case notes never reach referrers. "
    "A read showing a person's details is in the audit log.",
)
def get_referral(request: HttpRequest, referral_id: uuid.UUID) -> dict[str, Any]:
    user = caller(request)
    referral = referral_or_404(user, referral_id)
    view = policies.referral_view(user, referral)
    if view.person_fields:
        actions.record_person_viewed(referral.person, actor=user, via="api:GET /referrals/{id}")
    return present.referral(referral, view, referrer_found=rq.referrer_of(user, referral))


def _move(request: HttpRequest, referral_id: uuid.UUID, name: str, body: Any = None) -> Any:
    """Make the move `name` of the table (`referrals.moves`) with the body's fields."""
    user = caller(request)
    referral = found_or_404(rq.referral_to_move(user, referral_id), "referral")
    move = moves.MOVES[name]
    given = body.model_dump() if body is not None else {}
    moved = moves.make(
        move, referral, actor=user, via=f"api:POST /referrals/{{id}}/{move.path}", given=given
    )
    return present.moved(moved)


MOVED = {200: MovedOut, **REFUSALS}


@router.post("/{uuid:referral_id}/send", response=MOVED, summary="Send a draft referral")
def send(request: HttpRequest, referral_id: uuid.UUID) -> Any:
    return _move(request, referral_id, "send")


@router.post("/{uuid:referral_id}/receive", response=MOVED, summary="Acknowledge receipt")
def receive(request: HttpRequest, referral_id: uuid.UUID) -> Any:
    return _move(request, referral_id, "receive")


@router.post(
    "/{uuid:referral_id}/accept",
    response=MOVED,
    summary="Accept",
    description="Takes a place when the service counts them: 409 when none is left, unless "
    "waitlist_if_full, which puts the referral on the waiting list instead.",
)
def accept(request: HttpRequest, referral_id: uuid.UUID, body: AcceptIn) -> Any:
    return _move(request, referral_id, "accept", body)


@router.post(
    "/{uuid:referral_id}/decline",
    response=MOVED,
    summary="Decline, saying why",
    description="With a reason code (reason_code) and, for other, the service's words "
    "(reason). An unknown code: 400 naming reason_code; other without words: 400 naming "
    "reason.",
)
def decline(request: HttpRequest, referral_id: uuid.UUID, body: DeclineIn) -> Any:
    return _move(request, referral_id, "decline", body)


@router.get(
    "/{uuid:referral_id}/alternatives",
    response={200: AlternativesOut, **REFUSALS},
    summary="Other services to offer",
    description="For a referral declined, cancelled or closed: other active services for the "
    "same need(s) near the person, never the one it went to, with distance, when they run, "
    "cost, languages and room. 409 (status) for a referral still open.",
)
def alternatives(
    request: HttpRequest,
    referral_id: uuid.UUID,
    limit: int = Query(5, ge=1, le=20, description="At most this many (1 to 20)."),
) -> dict[str, Any]:
    user = caller(request)
    referral = found_or_404(rq.referral_to_move(user, referral_id), "referral")
    try:
        found = rq.alternatives_for(user, referral, limit=limit)
    except Refused as refused:
        raise TransitionRefused(refused.message) from None
    found = found_or_404(found, "referral")
    return {"contents": [present.offer(o) for o in found]}


@router.get(
    "/today",
    response={200: TodayOut, **REFUSALS},
    exclude_unset=True,
    summary="What needs me today",
    description="Referrals to answer, answers overdue (sent by me or mine to answer, past "
    "their due time), my services' waiting list and my follow-ups due: the first few of "
    "each (few, up to 20) with whole counts, and my unread notifications. People named are "
    "in the audit log.",
)
def today(
    request: HttpRequest, few: int = Query(5, ge=1, le=20, description="Rows per list.")
) -> dict[str, Any]:
    user = caller(request)
    found = rq.what_needs_me(user, few=few, via="api:GET /referrals/today")
    return {
        "counts": found.counts,
        "to_answer": present.referral_summaries(user, found.to_answer),
        "overdue": present.referral_summaries(user, found.overdue),
        "waiting": present.referral_summaries(user, found.waiting),
        "follow_ups": [present.case_summary(c) for c in found.follow_ups],
        "unread": found.unread,
    }


@router.get(
    "/declines",
    response={200: dict[str, int], **REFUSALS},
    summary="Declines by reason",
    description="How many referrals the caller may read were declined, by reason code "
    "(an empty code counts declines from before codes). No one is named.",
)
def declines(
    request: HttpRequest,
    service_id: uuid.UUID | None = ONE_SERVICE,
) -> dict[str, int]:
    return rq.declines_by_reason(caller(request), service=service_id)


@router.post("/{uuid:referral_id}/waitlist", response=MOVED, summary="Put on the waiting list")
def waitlist(request: HttpRequest, referral_id: uuid.UUID, body: NoteIn) -> Any:
    return _move(request, referral_id, "waitlist", body)


@router.post("/{uuid:referral_id}/start", response=MOVED, summary="Start (in progress)")
def start(request: HttpRequest, referral_id: uuid.UUID, body: NoteIn) -> Any:
    return _move(request, referral_id, "start", body)


@router.post(
    "/{uuid:referral_id}/complete",
    response=MOVED,
    summary="Complete, with the outcome",
    description="The referrer (and, with the person's consent, their GP practice) is told "
    "what was offered and what happened.",
)
def complete(request: HttpRequest, referral_id: uuid.UUID, body: CompleteIn) -> Any:
    return _move(request, referral_id, "complete", body)


@router.post(
    "/{uuid:referral_id}/did-not-engage", response=MOVED, summary="The person did not engage"
)
def did_not_engage(request: HttpRequest, referral_id: uuid.UUID, body: NoteIn) -> Any:
    return _move(request, referral_id, "did_not_engage", body)


@router.post(
    "/{uuid:referral_id}/cancel",
    response=MOVED,
    summary="Cancel",
    description="By the referrer or the service; a place held is given back.",
)
def cancel(request: HttpRequest, referral_id: uuid.UUID, body: NoteIn) -> Any:
    return _move(request, referral_id, "cancel", body)


def _capacity(service: Service) -> dict[str, Any]:
    capacity = capacity_of(service)
    return {
        "service_id": service.pk,
        "mode": capacity.mode,
        "places": capacity.places,
        "unit": capacity.unit,
        "response_days": capacity.response_days,
        "places_left": places_left(service, capacity=capacity),
    }


def _service_or_404(service_id: uuid.UUID) -> Service:
    service = Service.objects.filter(pk=service_id).first()
    if service is None:
        raise HttpError(404, "No service has this id.")
    return service


@router.get(
    "/services/{uuid:service_id}/capacity",
    response={200: CapacityOut, **REFUSALS},
    summary="A service's capacity",
    description="For those who refer or answer referrals: places left this period, or open, "
    "waiting list only, closed.",
)
def get_capacity(request: HttpRequest, service_id: uuid.UUID) -> dict[str, Any]:
    user = caller(request)
    if not (policies.may_refer(user) or policies.answerable_services(user).exists()):
        raise PermissionDenied("Only those who refer or answer referrals see capacity.")
    return _capacity(_service_or_404(service_id))


@router.put(
    "/services/{uuid:service_id}/capacity",
    response={200: CapacityOut, **REFUSALS},
    summary="Set a service's capacity",
    description="By the service's own provider.",
)
def set_capacity(request: HttpRequest, service_id: uuid.UUID, body: CapacityIn) -> dict[str, Any]:
    service = _service_or_404(service_id)
    actions.set_capacity(
        service,
        actor=caller(request),
        via="api:PUT /referrals/services/{id}/capacity",
        mode=body.mode,
        places=body.places,
        unit=body.unit,
        response_days=body.response_days,
    )
    return _capacity(service)
