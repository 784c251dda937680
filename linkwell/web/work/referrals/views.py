"""Where each referral stands: the referrer's list, and one referral's page with its history
and the moves the reader may make (as its service, or as its referrer)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linkwell.referrals import actions, lifecycle, policies
from linkwell.referrals import queries as rq
from linkwell.referrals.errors import NoPlaceLeft, Refused
from linkwell.referrals.lifecycle import TransitionRefused
from linkwell.referrals.models import Case, Referral, ReferralStatus
from linkwell.referrals.submitted import name_for_referrer, person_shown
from linkwell.web.work.common import (
    PER_PAGE,
    audit_people,
    found,
    get_page_number,
    need_name,
    refusal_text,
    require,
)
from linkwell.web.work.referrals.forms import MoveForm

S = ReferralStatus
NOTE = gettext_lazy("Note (optional)")


@dataclass(frozen=True)
class Move:
    """A button on the referral page: the status it leads to, who may press it, its words."""

    name: str
    target: str
    button: Any
    label: Any = NOTE
    required: bool = False
    as_referrer: bool = False  # pressed by the referrer (else by the service)


MOVES = {
    m.name: m
    for m in [
        Move("send", S.SENT, gettext_lazy("Send the referral"), as_referrer=True),
        Move("receive", S.RECEIVED, gettext_lazy("Mark as received")),
        Move("accept", S.ACCEPTED, gettext_lazy("Accept")),
        Move("waitlist", S.WAITLISTED, gettext_lazy("Put on the waiting list")),
        Move(
            "decline",
            S.DECLINED,
            gettext_lazy("Decline"),
            gettext_lazy("Why it is declined"),
            required=True,
        ),
        Move("start", S.IN_PROGRESS, gettext_lazy("Start")),
        Move(
            "complete",
            S.COMPLETED,
            gettext_lazy("Complete"),
            gettext_lazy("What was offered and what happened"),
            required=True,
        ),
        Move("did_not_engage", S.DID_NOT_ENGAGE, gettext_lazy("Did not engage")),
        Move("cancel", S.CANCELLED, gettext_lazy("Cancel the referral"), as_referrer=True),
    ]
}
# A connector's case carries these through its own page (sessions, discharge).
CASE_MOVES = frozenset({"start", "complete", "did_not_engage"})


@login_required
def my_referrals(request: HttpRequest) -> HttpResponse:
    require(policies.may_refer(request.user))
    status = request.GET.get("status", "")
    if status not in S.values:
        status = ""
    referrals = rq.referrals_made(request.user, status)
    page = Paginator(referrals, PER_PAGE).get_page(get_page_number(request))
    for referral in page.object_list:
        referral.shown_name = name_for_referrer(request.user, referral)
    audit_people(request, (r.person for r in page.object_list), "my_referrals")
    return render(
        request,
        "work/referrals/my_referrals.html",
        {
            "page": page,
            "status": status,
            "statuses": S.choices,
            "query_prefix": f"?status={status}&" if status else "?",
            "closed": lifecycle.CLOSED,
        },
    )


def available_moves(user: Any, referral: Referral, view: policies.ReferralView) -> list[Move]:
    allowed = lifecycle.TRANSITIONS.get(referral.status, frozenset())
    has_case = Case.objects.filter(referral=referral).exists()
    moves = []
    for move in MOVES.values():
        if move.target not in allowed or (has_case and move.name in CASE_MOVES):
            continue
        if move.name == "send":
            if view.cancel:
                moves.append(move)
        elif move.name == "cancel":
            if view.cancel or view.answer:
                moves.append(move)
        elif view.answer:
            moves.append(move)
    return moves


def _move_form(move: Move, data: Any = None) -> MoveForm:
    return MoveForm(data, auto_id=f"id_{move.name}_%s", label=move.label, required=move.required)


def _detail(
    request: HttpRequest,
    referral: Referral,
    *,
    problem: str = "",
    bound: MoveForm | None = None,
    bound_name: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    view = policies.referral_view(user, referral)
    actions.record_person_viewed(referral.person, actor=user, via="page:referral_detail")
    moves = []
    for move in available_moves(user, referral, view):
        form = (
            bound if move.name == bound_name and bound else MoveForm(auto_id=f"id_{move.name}_%s")
        )
        form.fields["text"].label = move.label
        moves.append({"move": move, "form": form})
    case = Case.objects.filter(referral=referral).first()
    return render(
        request,
        "work/referrals/referral_detail.html",
        {
            "referral": referral,
            "view": view,
            "fields": view.person_fields,
            "person": person_shown(referral, view),
            "need": need_name(referral.need) if referral.need else "",
            "events": referral.events.all(),
            "moves": moves,
            "problem": problem,
            "form": bound,
            "case": case if case and policies.may_manage_case(user, case) else None,
            "closed": referral.status in lifecycle.CLOSED,
        },
        status=status,
    )


@login_required
def referral_detail(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    referral = found(rq.get_referral(request.user, referral_id))
    return _detail(request, referral)


@login_required
@require_POST
def referral_move(request: HttpRequest, referral_id: uuid.UUID, move: str) -> HttpResponse:
    referral = found(rq.get_referral(request.user, referral_id))
    if move not in MOVES:
        raise Http404(_("No such action."))
    chosen = MOVES[move]
    view = policies.referral_view(request.user, referral)
    require(
        view.cancel or view.answer
        if chosen.name == "cancel"
        else view.cancel
        if chosen.as_referrer
        else view.answer
    )
    form = _move_form(chosen, request.POST)
    if not form.is_valid():
        return _detail(request, referral, bound=form, bound_name=move, status=400, problem="")
    try:
        _apply(chosen, referral, request, form.cleaned_data)
    except (TransitionRefused, NoPlaceLeft) as refused:
        fresh = found(rq.get_referral(request.user, referral_id))
        return _detail(request, fresh, problem=refusal_text(refused), status=409)
    except Refused as refused:
        form.refuse("text", refused.message)
        return _detail(
            request, referral, problem=refused.message, bound=form, bound_name=move, status=400
        )
    referral.refresh_from_db()
    messages.success(
        request,
        _("Referral %(reference)s is now %(status)s.")
        % {"reference": referral.reference, "status": referral.get_status_display().lower()},
    )
    return redirect("referrals:referral_detail", referral_id=referral.pk)


def _apply(move: Move, referral: Referral, request: HttpRequest, data: dict) -> None:
    kw = {"actor": request.user, "via": "page:referral_detail"}
    text = data.get("text", "")
    match move.name:
        case "send":
            actions.send_referral(referral, **kw)
        case "receive":
            actions.receive_referral(referral, **kw)
        case "accept":
            actions.accept_referral(
                referral, note=text, waitlist_if_full=data.get("waitlist_if_full", False), **kw
            )
        case "waitlist":
            actions.waitlist_referral(referral, note=text, **kw)
        case "decline":
            actions.decline_referral(referral, reason=text, **kw)
        case "start":
            actions.start_referral(referral, note=text, **kw)
        case "complete":
            actions.complete_referral(referral, outcome=text, **kw)
        case "did_not_engage":
            actions.did_not_engage(referral, note=text, **kw)
        case "cancel":
            actions.cancel_referral(referral, note=text, **kw)
