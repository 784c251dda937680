"""A provider's referrals to answer, and the capacity each of its services publishes."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linkwell.referrals import actions, policies
from linkwell.referrals import queries as page_queries
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


def _capacity_form(row: dict) -> CapacityForm:
    capacity = row["capacity"]
    return CapacityForm(
        auto_id=f"id_cap{str(row['service'].pk)[:8]}_%s",
        initial={
            "mode": capacity.mode,
            "places": capacity.places,
            "unit": capacity.unit,
            "response_days": capacity.response_days,
        },
    )


def _page(
    request: HttpRequest,
    *,
    bound: tuple[uuid.UUID, CapacityForm] | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    state = request.GET.get("status", "")
    if state not in ReferralStatus.values:
        state = ""
    page = Paginator(rq.referrals_to_answer(user, state), PER_PAGE).get_page(
        get_page_number(request)
    )
    audit_people(request, (r.person for r in page.object_list), "provider_referrals")
    rows = page_queries.capacity_rows(user)
    for row in rows:
        is_bound = bound is not None and bound[0] == row["service"].pk
        row["form"] = bound[1] if is_bound else _capacity_form(row)
        row["anchor"] = f"capacity-{str(row['service'].pk)[:8]}"
    return render(
        request,
        "provider/referrals.html",
        {
            "page": page,
            "status": state,
            "statuses": ReferralStatus.choices,
            "query_prefix": f"?status={state}&" if state else "?",
            "rows": rows,
            "problem": problem,
            "form": bound[1] if bound else None,
        },
        status=status,
    )


@login_required
def provider_referrals(request: HttpRequest) -> HttpResponse:
    require(_answers(request.user))
    return _page(request)


@login_required
@require_POST
def capacity_set(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    require(_answers(request.user))
    service = found(policies.answerable_services(request.user).filter(pk=service_id).first())
    form = CapacityForm(request.POST, auto_id=f"id_cap{str(service.pk)[:8]}_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.set_capacity(
                service,
                actor=request.user,
                via="page:provider_referrals",
                mode=data["mode"],
                places=data["places"],
                unit=data["unit"],
                response_days=data["response_days"],
            )
        except Refused as refused:
            put_back(form, refused)
        else:
            messages.success(request, _("%(service)s: capacity saved.") % {"service": service.name})
            return redirect(reverse("referrals:provider_referrals"))
    return _page(
        request,
        bound=(service.pk, form),
        problem=_("%(service)s: check the capacity below.") % {"service": service.name},
        status=400,
    )
