"""A Community Connector's caseload and case page: what matters to the person, goals,
sessions (past the programme's limit only with a reason), follow-ups, onward referrals and
discharge. Each form posts to `case_action`, which calls one action and comes back."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from linkwell.accounts.models import Role
from linkwell.accounts.policies import roles_of
from linkwell.directory.models import Service
from linkwell.referrals import actions, policies
from linkwell.referrals import queries as rq
from linkwell.referrals.errors import Refused
from linkwell.referrals.lifecycle import TransitionRefused
from linkwell.referrals.models import Case, CaseStatus, GoalStatus
from linkwell.referrals.models.encounters import NEED_CHOICES
from linkwell.web.work.cases.forms import (
    ClosedSearchForm,
    DischargeForm,
    FollowUpForm,
    SessionForm,
    TextForm,
)
from linkwell.web.work.common import (
    PER_PAGE,
    audit_people,
    days_as,
    found,
    path_for_each,
    put_back,
    refer_message,
    require,
)
from linkwell.web.work.contacts.views import (
    record_verbal_consent,
    refer_from_post,
    referral_offers,
)

VIA = "page:case_detail"


def _connector(user: Any) -> bool:
    return policies.sees_everything(user) or Role.CONNECTOR in roles_of(user)


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    require(_connector(request.user))
    mine_only = request.GET.get("mine") == "1"
    show = request.GET.get("show", "")
    load = rq.caseload_page(request.user, mine_only=mine_only, show=show)
    audit_people(request, load.person_ids, "caseload")
    _add_texts(load)
    return render(
        request,
        "work/cases/caseload.html",
        {"load": load, "mine_only": mine_only, "mine_param": "&mine=1" if mine_only else ""},
    )


@login_required
def closed_cases(request: HttpRequest) -> HttpResponse:
    """The connector's closed (discharged) cases, most recently closed first, searchable by
    the person's name; each person listed is audited (by the query)."""
    require(_connector(request.user))
    form = ClosedSearchForm(request.GET)
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    found_cases = None
    if form.is_valid():
        try:
            found_cases = rq.closed_cases(
                request.user,
                text=form.cleaned_data["q"],
                page=page_number,
                per_page=PER_PAGE,
                via="page:closed_cases",
            )
        except Refused:
            form.add_error("q", _("Enter at least 2 letters of a name"))
    case_path, day = path_for_each("referrals:case_detail"), days_as("j M Y")
    items = found_cases.items if found_cases else []
    programmes = dict(
        Service.objects.filter(pk__in={c.programme.service_id for c in items}).values_list(
            "pk", "name"
        )
    )
    rows = [
        {
            "path": case_path(c.pk),
            "name": c.person.full_name,
            "programme": programmes.get(c.programme.service_id, ""),
            "closed_on": day(c.discharged_at),
            "outcome": c.discharge_outcome,
        }
        for c in items
    ]
    text = form.cleaned_data.get("q", "") if found_cases is not None else ""
    query = f"?q={quote(text)}&" if text else "?"
    return render(
        request,
        "work/cases/closed_cases.html",
        {
            "form": form,
            "rows": rows,
            "found": found_cases,
            "text": text,
            "query_prefix": query,
        },
        status=400 if form.errors else 200,
    )


def _add_texts(load: rq.CaseloadPage) -> None:
    """Each row's link and dates as the page shows them, made here once per page rather than
    by template tags per row (a reverse, a translation and a date format each: half the
    page's time)."""
    referral_path = path_for_each("referrals:referral_detail")
    case_path = path_for_each("referrals:case_detail")
    day, long_day = days_as("j M Y"), days_as("j F Y")
    due, since = _("follow-up was due %(on)s"), _("waiting since %(on)s")
    for row in load.new:
        row["path"], row["made_on"] = referral_path(row["id"]), day(row["created_at"])
    for row in load.waiting:
        row["path"] = referral_path(row["id"])
        row["since"] = since % {"on": day(row["waitlisted_at"])}
    for row in load.active:  # the overdue rows are among these
        row["path"], row["follow_up_on"] = case_path(row["id"]), day(row["next_follow_up"])
        row["due"] = due % {"on": long_day(row["next_follow_up"])} if row["overdue"] else ""


WHAT_MATTERS = _lazy("What matters to them")
NEW_GOAL = _lazy("A new goal")

# verb -> (key of the form on the page, how to build it from posted data or the case)
FORMS: dict[str, tuple[str, Callable[[Any, Case], Any]]] = {
    "what-matters": (
        "what_matters",
        lambda data, case: TextForm(
            data,
            auto_id="id_wm_%s",
            label=WHAT_MATTERS,
            required=False,
            initial={"text": case.what_matters},
        ),
    ),
    "goal": (
        "goal",
        lambda data, case: TextForm(
            data,
            auto_id="id_goal_%s",
            label=NEW_GOAL,
            required=True,
            missing=_lazy("Enter a goal, in the person's words"),
        ),
    ),
    "session": ("session", lambda data, case: SessionForm(data, auto_id="id_session_%s")),
    "follow-up": (
        "follow_up",
        lambda data, case: FollowUpForm(
            data, auto_id="id_fu_%s", initial={"on": case.next_follow_up}
        ),
    ),
    "discharge": (
        "discharge",
        lambda data, case: DischargeForm(data, auto_id="id_discharge_%s"),
    ),
}
# Fields an action names that the page shows as its one text box.
TEXT_FIELDS = {"what_matters", "goal", "outcome"}


def _forms(case: Case) -> dict[str, Any]:
    return {key: build(None, case) for key, build in FORMS.values()}


def _case_page(
    request: HttpRequest,
    case: Case,
    *,
    bound: dict[str, Any] | None = None,
    refer_bound: Any = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    actions.record_person_viewed(case.person, actor=request.user, via=VIA)
    forms = {**_forms(case), **(bound or {})}
    need = request.POST.get("need") or request.GET.get("need", "")
    need = need if need in dict(NEED_CHOICES) else ""
    onward = case.onward_referrals.select_related("service").order_by("-created_at")
    made = {(r.need, r.service_id): r for r in onward}
    offers = (
        referral_offers(
            request, case.person, [(need, "")], made=made, bound=refer_bound, scope="onward-"
        )
        if need
        else []
    )
    next_number = case.sessions_held + 1
    return render(
        request,
        "work/cases/case_detail.html",
        {
            "case": case,
            "person": case.person,
            "forms": forms,
            "form": next((f for f in (bound or {}).values()), None),
            "problem": problem,
            "open": case.status != CaseStatus.DISCHARGED,
            "past_limit": next_number > case.programme.max_sessions,
            "next_number": next_number,
            "sessions_left": case.programme.max_sessions - case.sessions_held,
            "needs": NEED_CHOICES,
            "need": need,
            "offers": offers,
            "onward": onward,
            "goal_statuses": GoalStatus,
        },
        status=status,
    )


@login_required
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = found(rq.get_case(request.user, case_id))
    return _case_page(request, case)


def _apply(verb: str, request: HttpRequest, case: Case, data: dict) -> str:
    """Call the verb's action; returns what to tell the person."""
    kw = {"actor": request.user, "via": VIA}
    if verb == "what-matters":
        actions.set_what_matters(case, data["text"], **kw)
        return _("Saved what matters to them.")
    if verb == "goal":
        actions.add_goal(case, data["text"], **kw)
        return _("Goal added.")
    if verb == "session":
        session = actions.record_session(
            case,
            held_on=data["held_on"],
            notes=data["notes"],
            over_limit_reason=data["over_limit_reason"],
            **kw,
        )
        return _("Session %(number)s recorded.") % {"number": session.number}
    if verb == "follow-up":
        actions.set_follow_up(case, data["on"], **kw)
        return _("Next follow-up saved.")
    actions.discharge_case(
        case,
        outcome=data["text"],
        outcome_code=data["outcome_code"],
        outcome_reasons=data["outcome_reasons"],
        **kw,
    )
    return _("The case is closed and the referrer has been told the outcome.")


def _goal_status(request: HttpRequest, case: Case) -> str:
    try:
        goal = found(case.goals.filter(pk=int(request.POST.get("goal", ""))).first())
    except ValueError:
        raise Http404 from None
    actions.set_goal_status(goal, request.POST.get("status", ""), actor=request.user, via=VIA)
    return _("Goal updated: %(goal)s.") % {"goal": goal.text}


@login_required
@require_POST
def case_action(request: HttpRequest, case_id: uuid.UUID, verb: str) -> HttpResponse:
    case = found(rq.get_case(request.user, case_id))
    back = reverse("referrals:case_detail", args=[case.pk])
    if verb == "refer":
        made, problem, bound = refer_from_post(
            request, case.person, scope="onward-", via=VIA, from_case=case
        )
        if made is None:
            return _case_page(request, case, refer_bound=bound, problem=problem, status=400)
        refer_message(request, made)
        return redirect(f"{back}#onward")
    if verb == "consent":
        require(policies.may_record_people(request.user))
        problem = record_verbal_consent(request, case.person, VIA)
        if problem:
            return _case_page(request, case, problem=problem, status=400)
        need = request.POST.get("need", "")
        return redirect(f"{back}?need={need}#onward" if need in dict(NEED_CHOICES) else back)
    if verb == "goal-status":
        try:
            messages.success(request, _goal_status(request, case))
        except Refused as refused:
            return _case_page(request, case, problem=refused.message, status=400)
        return redirect(f"{back}#goals")
    if verb not in FORMS:
        raise Http404(_("No such action."))
    key, build = FORMS[verb]
    form = build(request.POST, case)
    if not form.is_valid():
        return _case_page(request, case, bound={key: form}, status=400)
    try:
        done = _apply(verb, request, case, form.cleaned_data)
    except (Refused, TransitionRefused) as refused:
        message = put_back(form, refused)
        if getattr(refused, "field", "") in TEXT_FIELDS:
            form.refuse("text", message)
        return _case_page(request, case, bound={key: form}, problem=message, status=400)
    messages.success(request, done)
    return redirect(back)
