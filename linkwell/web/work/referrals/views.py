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

from linkwell.referrals import actions, lifecycle, moves, policies
from linkwell.referrals import queries as rq
from linkwell.referrals.errors import NoPlaceLeft, Refused
from linkwell.referrals.lifecycle import TransitionRefused
from linkwell.referrals.models import Case, DeclineReason, Referral, ReferralStatus
from linkwell.referrals.submitted import name_for_referrer, person_shown
from linkwell.web.work.common import (
    PER_PAGE,
    audit_people,
    found,
    get_page_number,
    need_name,
    put_back,
    refusal_text,
    require,
)
from linkwell.web.work.referrals.forms import MoveForm

S = ReferralStatus


@dataclass(frozen=True)
class Words:
    """How the referral page shows a move: its button, and whether it looks secondary."""

    button: Any
    secondary: bool = False


WORDS = {
    "send": Words(gettext_lazy("Send the referral")),
    "receive": Words(gettext_lazy("Mark as received")),
    "accept": Words(gettext_lazy("Accept")),
    "waitlist": Words(gettext_lazy("Put on the waiting list")),
    "decline": Words(gettext_lazy("Decline"), secondary=True),
    "start": Words(gettext_lazy("Start")),
    "complete": Words(gettext_lazy("Complete")),
    "did_not_engage": Words(gettext_lazy("Did not engage"), secondary=True),
    "cancel": Words(gettext_lazy("Cancel the referral"), secondary=True),
}
# A connector's case carries these through its own page (sessions, discharge).
CASE_MOVES = frozenset({"start", "complete", "did_not_engage"})
# Notes shown on the page only for these moves (the others are made with a press).
NOTED = frozenset({"cancel", "did_not_engage"})


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
        referral.answer_text = answer_text(referral)
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


def available_moves(user: Any, referral: Referral, view: policies.ReferralView) -> list[moves.Move]:
    """The moves the reader may make now (`referrals.moves`), less those a case carries."""
    found = moves.allowed_now(user, referral, view)
    if any(m.name in CASE_MOVES for m in found) and Case.objects.filter(referral=referral).exists():
        found = [m for m in found if m.name not in CASE_MOVES]
    return found


@dataclass(frozen=True)
class Alternative:
    """Another service for this need, with the page that refers the person there."""

    offer: rq.Offer
    availability: str


AVAILABILITY = {
    rq.Availability.OPEN: gettext_lazy("Taking referrals"),
    rq.Availability.PLACES: gettext_lazy("Taking referrals"),
    rq.Availability.FULL: gettext_lazy("Full: waiting list"),
    rq.Availability.WAITING_LIST: gettext_lazy("Waiting list only"),
    rq.Availability.CLOSED: gettext_lazy("Not taking referrals"),
}


def _alternatives(user: Any, referral: Referral) -> list[Alternative]:
    """Other services for the need, for a referral that ended without help; [] otherwise."""
    if referral.status not in lifecycle.CLOSED:
        return []
    try:
        found = rq.alternatives_for(user, referral) or []
    except Refused:
        return []
    return [Alternative(o, str(AVAILABILITY.get(o.availability, ""))) for o in found]


def _detail(
    request: HttpRequest,
    referral: Referral,
    *,
    problem: str = "",
    bound: MoveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    view = policies.referral_view(user, referral)
    actions.record_person_viewed(referral.person, actor=user, via="page:referral_detail")
    shown = []
    for move in available_moves(user, referral, view):
        form = bound if bound is not None and bound.move.name == move.name else MoveForm(move=move)
        shown.append({"move": move, "form": form, "words": WORDS[move.name]})
    case = Case.objects.filter(referral=referral).first()
    alternatives = _alternatives(user, referral)
    may_open_person = (
        bool(alternatives) and policies.readable_people(user).filter(pk=referral.person_id).exists()
    )
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
            "moves": shown,
            "noted": NOTED,
            "problem": problem,
            "form": bound,
            "case": case if case and policies.may_manage_case(user, case) else None,
            "closed": referral.status in lifecycle.CLOSED,
            "referrer": rq.referrer_of(user, referral),
            "decline_label": _decline_label(referral),
            "alternatives": alternatives,
            "may_refer": policies.may_refer(user),
            "person_param": f"?person={referral.person_id}" if may_open_person else "",
        },
        status=status,
    )


def _decline_label(referral: Referral) -> str:
    code = referral.decline_reason_code
    return str(DeclineReason(code).label) if code in DeclineReason.values else ""


def answer_text(referral: Referral) -> str:
    """What came of a closed referral, in a line: a decline's reason (its label, then the
    service's words), else the outcome."""
    if referral.status == S.DECLINED:
        label, words = _decline_label(referral), referral.decline_reason
        if referral.decline_reason_code == DeclineReason.OTHER and words:
            return words
        return f"{label}: {words}" if label and words else label or words
    return referral.outcome if referral.status in lifecycle.CLOSED else ""


@login_required
def referral_detail(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    referral = found(rq.get_referral(request.user, referral_id))
    return _detail(request, referral)


@login_required
@require_POST
def referral_move(request: HttpRequest, referral_id: uuid.UUID, move: str) -> HttpResponse:
    referral = found(rq.get_referral(request.user, referral_id))
    chosen = moves.MOVES.get(move)
    if chosen is None:
        raise Http404(_("No such action."))
    require(moves.may(request.user, referral, chosen))
    form = MoveForm(request.POST, move=chosen)
    if not form.is_valid():
        return _detail(request, referral, bound=form, status=400)
    try:
        moves.make(
            chosen,
            referral,
            actor=request.user,
            via="page:referral_detail",
            given=form.cleaned_data,
        )
    except (TransitionRefused, NoPlaceLeft) as refused:
        fresh = found(rq.get_referral(request.user, referral_id))
        return _detail(request, fresh, problem=refusal_text(refused), status=409)
    except Refused as refused:
        message = put_back(form, refused)
        problem = "" if refused.field in form.fields else message
        return _detail(request, referral, problem=problem, bound=form, status=400)
    referral.refresh_from_db()
    messages.success(
        request,
        _("Referral %(reference)s is now %(status)s.")
        % {"reference": referral.reference, "status": referral.get_status_display().lower()},
    )
    return redirect("referrals:referral_detail", referral_id=referral.pk)
