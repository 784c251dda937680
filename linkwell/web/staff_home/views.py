"""The staff home: where staff land after signing in. What needs them today (referrals to
answer, answers overdue, the waiting list, follow-ups due, unread notifications) and finding
a person, with registering one beside it. Everything through the policies; every person
shown audited (by `what_needs_me` and `find_people`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from linkwell.accounts.models import Role
from linkwell.accounts.policies import ANSWERING_ROLES, roles_of
from linkwell.intelligence.policies import may_view_hub
from linkwell.referrals import policies
from linkwell.referrals import queries as rq
from linkwell.referrals.errors import Refused
from linkwell.referrals.models import Person, Referral
from linkwell.referrals.submitted import SubmittedPerson
from linkwell.web.staff_home.forms import PersonSearchForm, was_searched
from linkwell.web.staff_home.landing import may_use_staff_home
from linkwell.web.work.common import refusal_text, require

PAGE = "staff_home"
SEARCH_LIMIT = 20
# A refusal of `find_people` names its own field; the page has one box for two of them.
SEARCH_FIELDS = {"text": "q", "nhs_number": "q", "birth_date": "birth_date", "postcode": "postcode"}


@dataclass(frozen=True)
class Found:
    """A person found, as the results list shows them."""

    id: Any
    name: str
    birth_date: Any
    district: str


@login_required
@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_use_staff_home(user) and may_view_hub(user):
        return redirect("hub:home")  # an analyst's work is the hub
    require(may_use_staff_home(user))
    today = rq.what_needs_me(user, via=f"page:{PAGE}")
    form, found = _search(request)
    roles = roles_of(user)
    everything = policies.sees_everything(user)
    context = {
        "today": today,
        "overdue": [(referral, _name_on(user, referral)) for referral in today.overdue],
        "answers": everything or bool(roles & ANSWERING_ROLES),
        "has_caseload": everything or Role.CONNECTOR in roles,
        "may_record": policies.may_record_people(user),
        "may_refer": policies.may_refer(user),
        "form": form,
        "searched": found is not None,
        "found": found or [],
        "search_limit": SEARCH_LIMIT,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "staff_home/home.html", context, status=status)


def _search(request: HttpRequest) -> tuple[PersonSearchForm, list[Found] | None]:
    """The search form, and the people found (None when nothing was searched for)."""
    if not was_searched(request.GET):
        return PersonSearchForm(), None
    form = PersonSearchForm(request.GET)
    if not form.is_valid():
        return form, None
    try:
        people = rq.find_people(
            request.user, **form.criteria(), limit=SEARCH_LIMIT, via=f"page:{PAGE}"
        )
    except Refused as refused:
        form.add_error(SEARCH_FIELDS.get(refused.field, "q"), refusal_text(refused))
        return form, None
    return form, [_found(person) for person in people]


def _found(person: Person) -> Found:
    district = person.postcode.split(" ")[0] if person.postcode else ""
    return Found(person.pk, person.full_name, person.birth_date, district)


def _name_on(user: Any, referral: Referral) -> str:
    """The person's name on an overdue referral as the reader may see it: the record's, what
    they sent as a referrer who did not record the person, or nothing."""
    view = policies.referral_view(user, referral)
    if "name" not in view.person_fields:
        return ""
    if not view.as_submitted:
        return referral.person.full_name
    if referral.submission_id is None:
        return ""
    return SubmittedPerson.of(referral.submission).full_name
