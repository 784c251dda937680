"""/api/v1/notifications/: the caller's own inbox (new referrals, decisions, escalations,
completions) and marking it read."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from linkwell.directory.api.params import PAGE_DOC, PER_PAGE_DOC
from linkwell.directory.search.results import MAX_PAGE
from linkwell.referrals import actions
from linkwell.referrals import queries as rq
from linkwell.referrals.api import present
from linkwell.referrals.api.auth import SIGNED_IN, caller
from linkwell.referrals.api.schemas import MarkedOut, MarkReadIn, NotificationPage, Problem

router = Router(auth=SIGNED_IN, tags=["Notifications"])


@router.get(
    "/",
    response={200: NotificationPage, 400: Problem, 401: Problem},
    summary="My notifications",
    description="Newest first.",
)
def notifications(
    request: HttpRequest,
    unread_only: bool = Query(False),
    page: int = Query(1, ge=1, le=MAX_PAGE, description=PAGE_DOC),
    per_page: int = Query(50, ge=1, description=PER_PAGE_DOC),
) -> dict[str, Any]:
    user = caller(request)
    found = present.paged(rq.notifications_for(user, unread_only=unread_only), page, per_page)
    body = present.envelope(
        found,
        [
            {
                "id": n.pk,
                "kind": n.kind,
                "message": n.message,
                "referral_id": n.referral_id,
                "created_at": n.created_at,
                "read_at": n.read_at,
            }
            for n in found.items
        ],
    )
    body["unread"] = rq.count_unread(user)
    return body


@router.post(
    "/read",
    response={200: MarkedOut, 400: Problem, 401: Problem},
    summary="Mark notifications read",
    description="Only the caller's own: another's ids are ignored. An id no notification can "
    "have (below 1, or past 2^63 - 1) is refused, 400 naming it (ids.N).",
)
def mark_read(request: HttpRequest, body: MarkReadIn) -> dict[str, int]:
    return {"marked": actions.mark_read(caller(request), body.ids)}
