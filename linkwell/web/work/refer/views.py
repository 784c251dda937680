"""Refer someone to one service, from wherever the service is seen: its page ("Refer
someone"), a declined or closed referral ("other services for this need"). Without a person,
find them (or register them and come back); with one, the service as offered to them, the
consent question if they have not agreed yet, then one "Refer" click."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from linkwell.directory.models import Service
from linkwell.directory.vocabularies import NEED_CODES
from linkwell.referrals import actions, policies
from linkwell.referrals import queries as rq
from linkwell.referrals.errors import NoConsent, Refused
from linkwell.referrals.models import Person
from linkwell.referrals.queries.offers import ENDED_WITHOUT_HELP
from linkwell.web.work.common import (
    found,
    need_name,
    put_back,
    refer_message,
    refusal_text,
    require,
)
from linkwell.web.work.contacts.forms import ReferForm
from linkwell.web.work.refer.forms import HowForm, PersonSearchForm

VIA = "page:refer_to_service"


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        return None


def refer_url(service: Any, person: Any = None, need: str = "") -> str:
    """The refer page for `service` (and a person, and a need to refer for)."""
    url = reverse("referrals:refer_to_service", args=[service.pk])
    query = {k: v for k, v in (("person", getattr(person, "pk", "")), ("need", need)) if v}
    return f"{url}?{urlencode(query)}" if query else url


def refer_page(url: str) -> str:
    """`url` if it is this site's refer page without a person (where "Register a person"
    comes from, to come back to), else "": never another site or page."""
    parts = urlsplit(url or "")
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return ""
    try:
        match = resolve(parts.path)
    except Resolver404:
        return ""
    if match.view_name != "referrals:refer_to_service":
        return ""
    need = parse_qs(parts.query).get("need", [""])[0]
    need = need if need in NEED_CODES else ""
    return refer_url(Service(pk=match.kwargs["service_id"]), need=need)


@login_required
def refer_to_service(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    require(policies.may_refer(request.user))
    service = found(rq.get_referable_service(service_id))
    need = request.GET.get("need", "")
    need = need if need in NEED_CODES else ""
    if "person" not in request.GET:
        return _find_person(request, service, need)
    person_id = _uuid(request.GET.get("person", ""))
    person = found(rq.get_person(request.user, person_id) if person_id else None)
    if request.method != "POST":
        return _refer_page(request, service, person, need)
    if request.POST.get("action") == "consent":
        return _consent(request, service, person, need)
    return _refer(request, service, person, need)


def _find_person(request: HttpRequest, service: Service, need: str) -> HttpResponse:
    asked = PersonSearchForm.asked(request.GET)
    form = PersonSearchForm(request.GET if asked else None)
    people: list[Person] = []
    status = 200
    if asked and form.is_valid():
        data = form.cleaned_data
        try:
            people = rq.find_people(
                request.user,
                text=data["text"],
                nhs_number=data["nhs_number"],
                birth_date=data["birth_date"],
                postcode=data["postcode"],
                via=VIA,
            )
        except Refused as refused:
            field = refused.field if refused.field in form.fields else None
            form.add_error(field, refusal_text(refused))
    if form.errors:
        status = 400
    here = refer_url(service, need=need)
    return render(
        request,
        "work/refer/find_person.html",
        {
            "service": service,
            "form": form,
            "asked": asked and not form.errors,
            "people": [{"person": p, "url": refer_url(service, p, need)} for p in people],
            "register_url": f"{reverse('referrals:person_new')}?{urlencode({'next': here})}",
        },
        status=status,
    )


def _refer_page(
    request: HttpRequest,
    service: Service,
    person: Person,
    need: str,
    *,
    how_form: HowForm | None = None,
    refer_form: ReferForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    actions.record_person_viewed(person, actor=user, via=VIA)
    (facts,) = rq.offers_for([service], person=person)
    consented = service.pk in rq.shared_service_ids(person)
    open_referrals = (
        rq.person_referrals(user, person)
        .filter(service=service)
        .exclude(status__in=ENDED_WITHOUT_HELP)
    )
    refer_form = refer_form or ReferForm(
        initial={"service": service.pk, "need": need, "idempotency_key": ReferForm.new_key()}
    )
    how_form = how_form or HowForm(auto_id="id_consent_%s")
    errors: list[tuple[str, str]] = []
    if how_form.is_bound:
        errors += [("id_consent_how_0", str(m)) for ms in how_form.errors.values() for m in ms]
    if refer_form.is_bound:
        errors += [
            (refer_form["reason"].auto_id if name == "reason" else "", str(m))
            for name, ms in refer_form.errors.items()
            for m in ms
        ]
    if problem and problem not in [m for _i, m in errors]:
        errors.insert(0, ("", problem))
    return render(
        request,
        "work/refer/refer_to_service.html",
        {
            "service": service,
            "person": person,
            "fields": rq.person_fields(user, person),
            "facts": facts,
            "need": need,
            "need_name": need_name(need) if need else "",
            "consented": consented,
            "open_referrals": list(open_referrals),
            "how_form": how_form,
            "refer_form": refer_form,
            "errors": errors,
            "post_url": refer_url(service, person, need),
            "search_url": refer_url(service, need=need),
        },
        status=status,
    )


def _consent(request: HttpRequest, service: Service, person: Person, need: str) -> HttpResponse:
    form = HowForm(request.POST, auto_id="id_consent_%s")
    if form.is_valid():
        try:
            actions.record_consent_for_services(
                person, [service], actor=request.user, via=VIA, how=form.how_given()
            )
        except Refused as refused:
            form.refuse("how", refusal_text(refused))
        else:
            messages.success(
                request,
                _("Recorded: %(name)s agreed to share their details with %(service)s.")
                % {"name": person.full_name, "service": service.name},
            )
            return redirect(refer_url(service, person, need))
    return _refer_page(request, service, person, need, how_form=form, status=400)


def _refer(request: HttpRequest, service: Service, person: Person, need: str) -> HttpResponse:
    data = request.POST.copy()  # the service and need are the page's, whatever was sent
    data["service"], data["need"] = str(service.pk), need
    form = ReferForm(data)
    if form.is_valid():
        try:
            made = actions.make_referral(
                actor=request.user,
                via=VIA,
                person=person,
                service=service,
                need=need,
                reason=form.cleaned_data["reason"],
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except NoConsent:
            problem = _(
                "%(name)s has not agreed to their details being shared with %(service)s. Ask "
                "them and record their consent, then refer again: your reason is kept."
            ) % {"name": person.full_name, "service": service.name}
        except Refused as refused:
            problem = put_back(form, refused)
        else:
            refer_message(request, made)
            return redirect("referrals:referral_detail", referral_id=made.referral.pk)
    else:
        problem = ""
    return _refer_page(request, service, person, need, refer_form=form, problem=problem, status=400)
