"""/api/v1/referrals/batch: make, and accept, up to 100 referrals in one request.

For GP systems and providers that send or answer many at a time. Each item is answered on its
own, in order, with the status a single request would have given (201 made, 200 made before
with the same key, 400/403/404/409 refused with the same words), like a FHIR `batch`: one
refused item writes nothing of itself and does not stop the others. The whole request is
refused only when the caller may not do this at all.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router

from linkwell.directory.models import Service
from linkwell.referrals import actions, policies
from linkwell.referrals import queries as rq
from linkwell.referrals.actions import Made
from linkwell.referrals.api import present
from linkwell.referrals.api.auth import SIGNED_IN, caller
from linkwell.referrals.api.errors import refusal, refusal_of
from linkwell.referrals.api.requests import referral_request
from linkwell.referrals.api.schemas import REFUSALS, AcceptBatchIn, BatchOut, ReferralBatchIn
from linkwell.referrals.errors import Refused
from linkwell.referrals.models import Referral

router = Router(auth=SIGNED_IN, tags=["Referrals"])


@router.post(
    "/batch",
    response={200: BatchOut, **REFUSALS},
    exclude_unset=True,
    summary="Make many referrals",
    description="Up to 100 referrals, each as `POST /referrals/` would make it (with its own "
    "idempotency_key instead of the header), answered item by item in order. 403 for the "
    "whole request when the caller makes no referrals.",
)
def make_referrals(request: HttpRequest, body: ReferralBatchIn) -> dict[str, Any]:
    user = caller(request)
    if not policies.may_refer(user):
        raise PermissionDenied("Only practitioners and connectors make referrals.")
    items = body.referrals
    people = rq.people_to_refer(user, {item.person_id for item in items})
    services = Service.objects.in_bulk({item.service_id for item in items})
    answers: list[Any] = [None] * len(items)
    asked: list[tuple[int, actions.ReferralRequest]] = []
    for index, item in enumerate(items):
        try:
            asked.append(
                (index, referral_request(user, item, people, services, item.idempotency_key))
            )
        except Refused as refused:
            answers[index] = refused
    made = actions.make_referrals(
        [one for _, one in asked], actor=user, via="api:POST /referrals/batch"
    )
    for (index, _), answer in zip(asked, made, strict=True):
        answers[index] = answer
    return _results(answers)


@router.post(
    "/batch/accept",
    response={200: BatchOut, **REFUSALS},
    exclude_unset=True,
    summary="Accept many referrals",
    description="Up to 100 referrals to the caller's services, each as "
    "`POST /referrals/{id}/accept` would (404 for one the caller may not see, 409 when no "
    "place is left unless waitlist_if_full), answered item by item in order.",
)
def accept_referrals(request: HttpRequest, body: AcceptBatchIn) -> dict[str, Any]:
    user = caller(request)
    found = rq.referrals_to_move(user, body.referral_ids)
    answers: list[Any] = [None] * len(body.referral_ids)
    asked: list[tuple[int, Referral]] = []
    seen: set[Any] = set()
    for index, referral_id in enumerate(body.referral_ids):
        if referral_id in seen:
            answers[index] = Refused("Listed twice in this batch.", field="referral_ids")
        elif referral_id not in found:
            answers[index] = LookupError("No referral you may see has this id.")
        else:
            asked.append((index, found[referral_id]))
        seen.add(referral_id)
    accepted = actions.accept_referrals(
        [referral for _, referral in asked],
        actor=user,
        via="api:POST /referrals/batch/accept",
        note=body.note,
        waitlist_if_full=body.waitlist_if_full,
    )
    for (index, _), answer in zip(asked, accepted, strict=True):
        answers[index] = answer
    return _results(answers, done_status=200)


def _results(answers: list[Any], done_status: int = 201) -> dict[str, Any]:
    results = []
    for index, answer in enumerate(answers):
        if isinstance(answer, Made | Referral):
            referral = answer.referral if isinstance(answer, Made) else answer
            again = isinstance(answer, Made) and not answer.created
            status, body = (200 if again else done_status), {"referral": present.moved(referral)}
        elif isinstance(answer, LookupError):
            status, body = 404, refusal("referral_ids", str(answer))
        else:
            status, body = refusal_of(answer)
        results.append({"index": index, "status": status, **body})
    succeeded = sum(1 for r in results if r["status"] < 300)
    return {"results": results, "succeeded": succeeded, "refused": len(results) - succeeded}
