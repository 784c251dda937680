"""A provider's referrals to answer; what each of its services can take (the capacity list);
and one service's capacity, set on its own page."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from linkwell.referrals import actions, policies
from linkwell.referrals import queries as rq
from linkwell.referrals.errors import Refused
from linkwell.referrals.models import ReferralStatus
from linkwell.web.provider.forms import CapacityForm
from linkwell.web.work.common import (
    PER_PAGE,
    audit_people,
    found,
    get_page_number,
    put_back,
    require,
)


def _answers(user) -> bool:
    return policies.answerable_services(user).exists()


@login_required
def provider_referrals(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(_answers(user))
    state = request.GET.get("status", "")
    if state not in ReferralStatus.values:
        state = ""
    page = Paginator(rq.referrals_to_answer(user, state), PER_PAGE).get_page(
        get_page_number(request)
    )
    audit_people(request, (r.person for r in page.object_list), "provider_referrals")
    return render(
        request,
        "provider/referrals.html",
        {
            "page": page,
            "status": state,
            "statuses": ReferralStatus.choices,
            "query_prefix": f"?status={state}&" if state else "?",
        },
    )


@login_required
def provider_capacity(request: HttpRequest) -> HttpResponse:
    """Each service the provider answers for: what it publishes and places left, linked to
    the page that sets it."""
    require(_answers(request.user))
    return render(request, "provider/capacity.html", {"rows": rq.capacity_rows(request.user)})


@login_required
def capacity_set(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """One service's capacity: shown, and set (by its own provider)."""
    require(_answers(request.user))
    service = found(policies.answerable_services(request.user).filter(pk=service_id).first())
    capacity = rq.capacity_of(service)
    problem = ""
    if request.method == "POST":
        form = CapacityForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.set_capacity(
                    service,
                    actor=request.user,
                    via="page:capacity_set",
                    mode=data["mode"],
                    places=data["places"],
                    unit=data["unit"],
                    response_days=data["response_days"],
                )
            except Refused as refused:
                message = put_back(form, refused)
                problem = "" if refused.field in form.fields else message
            else:
                messages.success(
                    request, _("%(service)s: capacity saved.") % {"service": service.name}
                )
                return redirect("referrals:provider_capacity")
    else:
        form = CapacityForm(
            initial={
                "mode": capacity.mode,
                "places": capacity.places,
                "unit": capacity.unit,
                "response_days": capacity.response_days,
            }
        )
    return render(
        request,
        "provider/capacity_set.html",
        {
            "service": service,
            "form": form,
            "problem": problem,
            "left": rq.places_left(service, capacity=capacity),
        },
        status=400 if form.is_bound else 200,
    )
