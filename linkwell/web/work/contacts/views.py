"""Every Contact Counts: record a contact with the needs noticed, then refer each need to a
matching service: one consent conversation for the services ticked, then one "Refer" click
each (a double-clicked submit makes one referral)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linkwell.directory.vocabularies import NEED_CODES
from linkwell.matching.queries import match
from linkwell.matching.requests import MatchRefused, MatchRequest
from linkwell.matching.results import Match
from linkwell.referrals import actions, policies
from linkwell.referrals import queries as page_queries
from linkwell.referrals import queries as rq
from linkwell.referrals.errors import NoConsent, Refused
from linkwell.referrals.models import Encounter, Person
from linkwell.web.work.common import found, put_back, refer_message, require
from linkwell.web.work.contacts.forms import ContactForm, ReferForm
from linkwell.web.work.refer.forms import ConsentForServicesForm
from linkwell.web.work.refer.offers import (
    OfferRows,
    consent_errors,
    consent_from_post,
    first_error,
    offer_rows,
)

OFFERS_PER_NEED = 5


def age_of(birth: dt.date, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@login_required
def contact_new(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person = found(rq.get_person(request.user, person_id))
    require(policies.may_record_people(request.user))
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                encounter = actions.record_encounter(
                    person,
                    actor=request.user,
                    via="page:contact_new",
                    kind=form.cleaned_data["kind"],
                    needs=form.needs(),
                    note=form.cleaned_data["note"],
                )
            except Refused as refused:
                put_back(form, refused)
            else:
                messages.success(request, _("The contact is recorded. Refer each need below."))
                return redirect("referrals:contact_detail", encounter_id=encounter.pk)
    actions.record_person_viewed(person, actor=request.user, via="page:contact_new")
    return render(
        request,
        "work/contacts/contact_new.html",
        {"person": person, "form": form},
        status=status,
    )


def referral_offers(
    request: HttpRequest,
    person: Person,
    needs: list[tuple[str, str]],
    *,
    made: dict[tuple[str, Any], Any],
    bound: tuple[str, Any, ReferForm] | None = None,
    scope: str,
    consent_form: ConsentForServicesForm | None = None,
) -> OfferRows:
    """For each need, the matching services as offers (`refer.offers.offer_rows`), ranked by
    `matching` with their reasons (distance or "covers your area", places, language...)."""
    return offer_rows(
        person,
        needs,
        made=made,
        bound=bound,
        scope=scope,
        consent_form=consent_form,
        matches=matches_for(person, [code for code, _urgency in needs]),
    )


def matches_for(person: Person, needs: list[str]) -> dict[str, list[Match]]:
    """Up to OFFERS_PER_NEED services for each need, near the person and open to their age,
    in their language first. A postcode the place data cannot place matches any area (as
    the plain search did) rather than nothing."""
    codes = [code for code in dict.fromkeys(needs) if code in NEED_CODES]
    if not codes:
        return {}
    asked = MatchRequest(
        needs=tuple(codes),
        place=person.postcode or "",
        age=age_of(person.birth_date) if person.birth_date else None,
        language=person.preferred_language or "",
        limit=min(50, OFFERS_PER_NEED * len(codes)),
    )
    try:
        result = match(asked)
    except MatchRefused as refused:
        if refused.field != "place":
            raise
        result = match(dataclasses.replace(asked, place=""))
    return {code: found[:OFFERS_PER_NEED] for code, found in result.by_need()}


def _contact_page(
    request: HttpRequest,
    encounter: Encounter,
    *,
    problem: str = "",
    bound: tuple[str, Any, ReferForm] | None = None,
    consent_form: ConsentForServicesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    person = encounter.person
    actions.record_person_viewed(person, actor=request.user, via="page:contact_detail")
    referrals = policies.readable_referrals(request.user).filter(encounter=encounter)
    made = {(r.need, r.service_id): r for r in referrals.select_related("service")}
    needs = [(n.need, n.get_urgency_display()) for n in encounter.needs.all()]
    rows = referral_offers(
        request, person, needs, made=made, bound=bound, scope="", consent_form=consent_form
    )
    errors = consent_errors(rows)
    if problem:
        errors.insert(0, (_refer_error_target(bound), problem))
    return render(
        request,
        "work/contacts/contact_detail.html",
        {
            "encounter": encounter,
            "person": person,
            "rows": rows,
            "errors": errors,
            "problem": problem,
            "refer_url": reverse("referrals:contact_refer", args=[encounter.pk]),
            "consent_url": reverse("referrals:contact_consent", args=[encounter.pk]),
        },
        status=status,
    )


@login_required
def contact_detail(request: HttpRequest, encounter_id: uuid.UUID) -> HttpResponse:
    encounter = found(page_queries.get_encounter(request.user, encounter_id))
    return _contact_page(request, encounter)


def refer_from_post(
    request: HttpRequest, person: Person, *, scope: str, via: str, **extra: Any
) -> tuple[Any, str, tuple[str, Any, ReferForm] | None]:
    """Make the referral a "Refer" form asks for. Returns (made, problem, bound form)."""
    service_id = _uuid(request.POST.get("service", ""))
    need = request.POST.get("need", "")
    auto_id = f"id_{scope}{need}_{str(service_id)[:8]}_%s"
    form = ReferForm(request.POST, auto_id=auto_id)
    service = page_queries.get_referable_service(service_id) if service_id else None
    if service is None or not form.is_valid():
        problem = _("Check the referral below.") if service else _("Choose a service to refer to.")
        return None, problem, (need, service_id, form)
    try:
        made = actions.make_referral(
            actor=request.user,
            via=via,
            person=person,
            service=service,
            need=need,
            reason=form.cleaned_data["reason"],
            idempotency_key=form.cleaned_data["idempotency_key"],
            **extra,
        )
    except NoConsent:
        problem = _(
            "%(name)s has not agreed to their details being shared with %(service)s. Ask them, "
            "tick the service and record their consent, then refer again: your reason is kept."
        ) % {"name": person.full_name, "service": service.name}
        return None, problem, (need, service.pk, form)
    except Refused as refused:
        return None, put_back(form, refused), (need, service.pk, form)
    return made, "", None


@login_required
@require_POST
def contact_refer(request: HttpRequest, encounter_id: uuid.UUID) -> HttpResponse:
    encounter = found(page_queries.get_encounter(request.user, encounter_id))
    require(policies.may_refer(request.user))
    made, problem, bound = refer_from_post(
        request, encounter.person, scope="", via="page:contact_detail", encounter=encounter
    )
    if made is None:
        return _contact_page(request, encounter, problem=problem, bound=bound, status=400)
    refer_message(request, made)
    return redirect(reverse("referrals:contact_detail", args=[encounter.pk]))


def record_verbal_consent(request: HttpRequest, person: Person, via: str) -> str:
    """Consent to share with the services the form ticks (one, from an older page's button,
    or several from one conversation). Returns a problem or ""."""
    consents, form = consent_from_post(request, person, via=via)
    return "" if consents else first_error(form)


@login_required
@require_POST
def contact_consent(request: HttpRequest, encounter_id: uuid.UUID) -> HttpResponse:
    encounter = found(page_queries.get_encounter(request.user, encounter_id))
    require(policies.may_record_people(request.user))
    consents, form = consent_from_post(request, encounter.person, via="page:contact_detail")
    if not consents:
        return _contact_page(request, encounter, consent_form=form, status=400)
    return redirect(reverse("referrals:contact_detail", args=[encounter.pk]))


def _refer_error_target(bound: tuple[str, Any, ReferForm] | None) -> str:
    """Where a refused "Refer" is fixed: its reason box (kept as typed)."""
    if bound is None or bound[1] is None:
        return ""
    return bound[2]["reason"].auto_id or ""


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError):
        return None
