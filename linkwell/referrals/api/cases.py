"""/api/v1/cases/: a connector's caseload and their work on each case."""

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Status
from ninja.errors import HttpError

from linkwell.core.api_input import DATABASE_ID_MAX
from linkwell.directory.api.params import PAGE_DOC
from linkwell.directory.search.results import MAX_PAGE
from linkwell.referrals import actions
from linkwell.referrals import queries as rq
from linkwell.referrals.api import present
from linkwell.referrals.api.auth import SIGNED_IN, caller
from linkwell.referrals.api.errors import found_or_404
from linkwell.referrals.api.schemas import (
    REFUSALS,
    CaseloadOut,
    CaseOut,
    ClosedCasePage,
    DischargeIn,
    FollowUpIn,
    GoalOut,
    GoalStatusIn,
    SessionIn,
    SessionOut,
    TextIn,
)
from linkwell.referrals.models import Case

router = Router(auth=SIGNED_IN, tags=["Cases"])


def case_or_404(user: Any, case_id: uuid.UUID) -> Case:
    return found_or_404(rq.get_case(user, case_id), "case")


def _case(request: HttpRequest, case_id: uuid.UUID) -> dict[str, Any]:
    """The case as a change left it: the answer shows the person, so it is a read too."""
    user = caller(request)
    case = case_or_404(user, case_id)
    via = f"api:{request.method} /cases/{{id}}/{request.path.rstrip('/').rsplit('/', 1)[-1]}"
    actions.record_person_viewed(case.person, actor=user, via=via)
    return present.case(case)


@router.get(
    "/closed",
    response={200: ClosedCasePage, **REFUSALS},
    exclude_unset=True,
    summary="My closed cases",
    description="Cases the caller held that are discharged, most recently closed first, "
    "optionally those whose person's name holds `text` (2 characters or more, without case "
    "or accents). The people shown are in the audit log.",
)
def closed_cases(
    request: HttpRequest,
    text: str = Query("", max_length=100, description="Part of the person's name."),
    page: int = Query(1, ge=1, le=MAX_PAGE, description=PAGE_DOC),
    per_page: int = Query(20, ge=1, le=50, description="1 to 50."),
) -> dict[str, Any]:
    user = caller(request)
    found = rq.closed_cases(
        user, text=text, page=page, per_page=per_page, via="api:GET /cases/closed"
    )
    return present.envelope(found, [present.case_summary(c) for c in found.items])


@router.get(
    "/",
    response={200: CaseloadOut, **REFUSALS},
    exclude_unset=True,
    summary="My caseload",
    description="New referrals, the waiting list in order, active cases (with sessions "
    "left) and overdue follow-ups of the programmes the caller works in. Each list holds at "
    "most 50; the counts are whole.",
)
def caseload(
    request: HttpRequest,
    mine_only: bool = Query(False, description="Only cases I am the connector of."),
) -> dict[str, Any]:
    user = caller(request)
    load = rq.caseload(user, mine_only=mine_only)
    new = present.referral_summaries(user, load.new)
    waiting = present.referral_summaries(user, load.waiting)
    shown = [r.person_id for r, row in zip(load.new + load.waiting, new + waiting, strict=True)]
    shown += [c.person_id for c in load.active + load.overdue]  # case rows show the name
    actions.record_people_listed(shown, actor=user, via="api:GET /cases/")
    return {
        "counts": load.counts,
        "new": new,
        "waiting": waiting,
        "active": [present.case_summary(c) for c in load.active],
        "overdue": [present.case_summary(c) for c in load.overdue],
    }


@router.get(
    "/{uuid:case_id}",
    response={200: CaseOut, **REFUSALS},
    exclude_unset=True,
    summary="A case",
    description="What matters to the person, goals, sessions. Read by the programme's "
    "connectors only; in the audit log.",
)
def get_case(request: HttpRequest, case_id: uuid.UUID) -> dict[str, Any]:
    user = caller(request)
    case = case_or_404(user, case_id)
    actions.record_person_viewed(case.person, actor=user, via="api:GET /cases/{id}")
    return present.case(case)


@router.put(
    "/{uuid:case_id}/what-matters",
    response={200: CaseOut, **REFUSALS},
    exclude_unset=True,
    summary="Record what matters to the person",
)
def set_what_matters(request: HttpRequest, case_id: uuid.UUID, body: TextIn) -> dict[str, Any]:
    user = caller(request)
    case = case_or_404(user, case_id)
    actions.set_what_matters(case, body.text, actor=user, via="api:PUT /cases/{id}/what-matters")
    return _case(request, case_id)


@router.post("/{uuid:case_id}/goals", response={201: GoalOut, **REFUSALS}, summary="Add a goal")
def add_goal(request: HttpRequest, case_id: uuid.UUID, body: TextIn) -> Status:
    user = caller(request)
    case = case_or_404(user, case_id)
    goal = actions.add_goal(case, body.text, actor=user, via="api:POST /cases/{id}/goals")
    return Status(201, {"id": goal.pk, "text": goal.text, "status": goal.status})


@router.put(
    "/{uuid:case_id}/goals/{int:goal_id}/status",
    response={200: GoalOut, **REFUSALS},
    summary="Set a goal's status",
)
def set_goal_status(
    request: HttpRequest,
    case_id: uuid.UUID,
    body: GoalStatusIn,
    goal_id: int = Path(..., ge=1, le=DATABASE_ID_MAX),
) -> Any:
    user = caller(request)
    case = case_or_404(user, case_id)
    goal = case.goals.filter(pk=goal_id).first()
    if goal is None:
        raise HttpError(404, "This case has no goal with this id.")
    goal.case = case
    actions.set_goal_status(
        goal, body.status, actor=user, via="api:PUT /cases/{id}/goals/{id}/status"
    )
    return {"id": goal.pk, "text": goal.text, "status": goal.status}


@router.post(
    "/{uuid:case_id}/sessions",
    response={201: SessionOut, **REFUSALS},
    summary="Record a session",
    description="Past the programme's number of sessions, over_limit_reason is needed.",
)
def record_session(request: HttpRequest, case_id: uuid.UUID, body: SessionIn) -> Status:
    user = caller(request)
    case = case_or_404(user, case_id)
    session = actions.record_session(
        case,
        actor=user,
        via="api:POST /cases/{id}/sessions",
        held_on=body.held_on,
        notes=body.notes,
        over_limit_reason=body.over_limit_reason,
        next_follow_up=body.next_follow_up,
    )
    return Status(
        201,
        {
            "number": session.number,
            "held_on": session.held_on,
            "notes": session.notes,
            "over_limit_reason": session.over_limit_reason,
        },
    )


@router.put(
    "/{uuid:case_id}/follow-up",
    response={200: CaseOut, **REFUSALS},
    exclude_unset=True,
    summary="Set the next follow-up",
)
def set_follow_up(request: HttpRequest, case_id: uuid.UUID, body: FollowUpIn) -> dict[str, Any]:
    user = caller(request)
    case = case_or_404(user, case_id)
    actions.set_follow_up(case, body.on, actor=user, via="api:PUT /cases/{id}/follow-up")
    return _case(request, case_id)


@router.post(
    "/{uuid:case_id}/discharge",
    response={200: CaseOut, **REFUSALS},
    exclude_unset=True,
    summary="Discharge, with the outcome",
    description="Closes the case and completes its referral; the referrer (and, with "
    "consent, the GP practice) is told.",
)
def discharge(request: HttpRequest, case_id: uuid.UUID, body: DischargeIn) -> dict[str, Any]:
    user = caller(request)
    case = case_or_404(user, case_id)
    actions.discharge_case(
        case,
        actor=user,
        via="api:POST /cases/{id}/discharge",
        outcome=body.outcome,
        outcome_code=body.outcome_code,
        outcome_reasons=body.outcome_reasons,
    )
    return _case(request, case_id)
