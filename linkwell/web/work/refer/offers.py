"""Services offered to a person for each need, with the facts a link worker reads out
(distance, when it runs, cost, languages, places left), and one consent conversation for
several of them: tick the services, record consent once, then each is one "Refer" click."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from linkwell.directory.models import Service
from linkwell.referrals import actions
from linkwell.referrals import queries as page_queries
from linkwell.referrals.errors import Refused
from linkwell.referrals.models import Person
from linkwell.referrals.queries import Availability, offers_for
from linkwell.web.work.common import need_name, refusal_text
from linkwell.web.work.contacts.forms import ReferForm
from linkwell.web.work.refer.forms import ConsentForServicesForm


class OfferRows(list):
    """The needs' rows, with the page's one consent form and whether any offer still needs
    consent (so the form is drawn only then)."""

    consent_form: ConsentForServicesForm
    to_ask: bool = False
    first_to_ask: str = ""  # the id of the first consent checkbox (the error summary's link)


def offer_rows(
    person: Person,
    needs: list[tuple[str, str]],
    *,
    made: dict[tuple[str, Any], Any],
    bound: tuple[str, Any, ReferForm] | None = None,
    scope: str,
    consent_form: ConsentForServicesForm | None = None,
    matches: dict[str, list[Any]] | None = None,
) -> OfferRows:
    """For each need, the matching services with their facts, a "Refer" form each (a fresh
    key), whether the person agreed to share with it and any referral already made. With
    `matches` (need code: `matching.Match` list, ranked with reasons), those services in that
    order, each offer carrying its match; else the plain search for the need."""
    shared = page_queries.shared_service_ids(person)
    if matches is None:
        matched = [
            (code, urgency, page_queries.services_to_match(code, person)) for code, urgency in needs
        ]
    else:
        ids = {m.service_id for found in matches.values() for m in found}
        by_id = Service.objects.in_bulk(ids)
        matched = [
            (
                code,
                urgency,
                [by_id[m.service_id] for m in matches.get(code, []) if m.service_id in by_id],
            )
            for code, urgency in needs
        ]
    reasons = {m.service_id: m for found in (matches or {}).values() for m in found}
    facts = {
        offer.service_id: offer
        for offer in offers_for([s for _c, _u, found in matched for s in found], person=person)
    }
    consent_form = consent_form or ConsentForServicesForm(auto_id=f"id_{scope}consent_%s")
    ticked = consent_form.ticked()
    rows = OfferRows()
    rows.consent_form = consent_form
    for code, urgency, services in matched:
        offers = []
        for service in services:
            anchor = f"{scope}{code}-{str(service.pk)[:8]}"
            if bound and bound[0] == code and bound[1] == service.pk:
                form = bound[2]
            else:
                form = ReferForm(
                    auto_id=f"id_{scope}{code}_{str(service.pk)[:8]}_%s",
                    initial={
                        "service": service.pk,
                        "need": code,
                        "idempotency_key": ReferForm.new_key(),
                    },
                )
            fact = facts.get(service.pk)
            offer = {
                "service": service,
                "facts": fact,
                "match": reasons.get(service.pk),
                "left": fact.places_left if fact else None,
                "closed": bool(fact and fact.availability == Availability.CLOSED),
                "consented": service.pk in shared,
                "referral": made.get((code, service.pk)),
                "form": form,
                "anchor": anchor,
                "checkbox_id": f"consent-{anchor}",
                "ticked": str(service.pk) in ticked,
            }
            offer["ask"] = not (offer["consented"] or offer["referral"] or offer["closed"])
            if offer["ask"] and not rows.to_ask:
                rows.to_ask, rows.first_to_ask = True, offer["checkbox_id"]
            offers.append(offer)
        rows.append({"code": code, "name": need_name(code), "urgency": urgency, "offers": offers})
    return rows


def consent_errors(rows: OfferRows) -> list[tuple[str, str]]:
    """The consent form's errors for the summary, each linked to what to fix."""
    form = rows.consent_form
    if not form.is_bound or not form.errors:
        return []
    links = {"service": rows.first_to_ask, "how": form["how"].auto_id + "_0"}
    return [
        (links.get(name, ""), str(message))
        for name in ("service", "how", "__all__")
        for message in form.errors.get(name, [])
    ]


def consent_from_post(
    request: HttpRequest, person: Person, *, via: str, prefix: str = ""
) -> tuple[list[Any], ConsentForServicesForm]:
    """Record one consent conversation covering the services ticked (or the one service an
    older page's button sends). Returns (the consents, [] when refused; the bound form)."""
    form = ConsentForServicesForm(request.POST, auto_id=f"id_{prefix}consent_%s")
    if not form.is_valid():
        return [], form
    try:
        consents = actions.record_consent_for_services(
            person,
            form.cleaned_data["service"],
            actor=request.user,
            via=via,
            how=form.how_given(),
        )
    except Refused as refused:
        form.refuse("service", refusal_text(refused))
        return [], form
    names = [consent.service.name for consent in consents]
    messages.success(
        request,
        _("Recorded: %(name)s agreed to share their details with %(services)s. Refer below.")
        % {"name": person.full_name, "services": get_text_list(names, _("and"))},
    )
    return consents, form


def first_error(form: ConsentForServicesForm) -> str:
    for messages_ in form.errors.values():
        return str(messages_[0])
    return ""
