"""A citizen's own request to a service (a contact request in the provider's inbox) becomes a
person, their consent and a referral in one step, or nothing at all.

The person is registered by the usual rules (a possible duplicate is refused naming only
those the provider may open, or registered anew and flagged with `confirm_new`; never linked
by identifiers alone, ADR 0018), or is someone the provider may open already. Their consent
to share with the service is the one they gave in the request itself (`own_request`, with
the request's reference and the statement they agreed to). The request is claimed by a
conditional UPDATE, so two people converting it at once make one referral.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from linkwell.audit.actions import actor_label, record_event
from linkwell.referrals import policies
from linkwell.referrals.actions import people
from linkwell.referrals.actions import referrals as referral_actions
from linkwell.referrals.actions.consents import _write as write_consents
from linkwell.referrals.actions.people import PersonDetails
from linkwell.referrals.errors import Refused
from linkwell.referrals.lifecycle import TransitionRefused
from linkwell.referrals.models import (
    Consent,
    ConsentPurpose,
    ConsentSource,
    ContactMethod,
    ContactRequest,
    ContactRequestStatus,
    ContactRequestUpdate,
    Person,
    Referral,
    ReferralStatus,
)
from linkwell.referrals.queries.capacity import capacities_of

# What the provider may make of the referral at once.
ANSWERS = (ReferralStatus.SENT, ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED)
OPEN = (ContactRequestStatus.NEW, ContactRequestStatus.CONTACTED)


@dataclass(frozen=True)
class Converted:
    person: Person
    referral: Referral
    consents: list[Consent]
    person_created: bool


def details_from_request(request: ContactRequest) -> PersonDetails:
    """What the request says about the person, as a start for the provider's form: the
    name split at its last space, phone and e-mail. The date of birth is not asked of
    citizens, so it is left for the provider to fill."""
    given, _, family = (request.name or "").strip().rpartition(" ")
    if not given:
        given, family = family, ""
    return PersonDetails(
        given_name=given,
        family_name=family,
        birth_date=None,
        phone=request.phone,
        email=request.email,
    )


def convert_contact_request(
    request: ContactRequest,
    *,
    actor: Any,
    via: str,
    details: PersonDetails | None = None,
    person: Person | None = None,
    confirm_new: bool = False,
    answer: str = ReferralStatus.ACCEPTED,
    waitlist_if_full: bool = True,
    need: str = "",
    reason: str = "",
) -> Converted:
    """Register the person (`details`) or take one the actor may open (`person`), record the
    consent the request carries, make the referral to the request's service and answer it
    (`answer`: sent, received or accepted; accepted joins the waiting list when no place is
    left, unless `waitlist_if_full` is False), then close the request, linked to the
    referral. Only those who may read the request may do it; a request closed or converted
    already is refused (409), and nothing is written on any refusal."""
    if not policies.may_read(actor, request):
        raise PermissionDenied("Only those who read this request may convert it.")
    if answer not in ANSWERS:
        raise Refused("Answer sent, received or accepted.", field="answer")
    if person is None and details is None:
        raise Refused("Give the person's details, or choose someone you may open.", field="person")
    if person is not None and not policies.readable_people(actor).filter(pk=person.pk).exists():
        raise Refused("No person you may open has this id.", field="person_id")
    service = request.service
    with transaction.atomic():
        now = timezone.now()
        claimed = ContactRequest.objects.filter(
            pk=request.pk, status__in=OPEN, referral=None
        ).update(status=ContactRequestStatus.CLOSED, status_changed_at=now, closed_at=now)
        if not claimed:
            raise TransitionRefused(
                "This request is closed already (or was converted meanwhile): it cannot be "
                "converted."
            )
        created = person is None
        if person is None:
            person = people._register(
                people.clean(details),
                actor=actor,
                via=via,
                confirm_new=confirm_new,
            )
        consents = write_consents(
            person,
            [service],
            actor=actor,
            via=via,
            how="In their own request to the service",
            source=ConsentSource.OWN_REQUEST,
            provenance=f"Contact request {request.reference}: {request.consent_text}",
            at=request.consent_given_at,
        )
        contact = _contact_purpose(request)
        if contact:
            consents.append(
                Consent.objects.create(
                    person=person,
                    purpose=contact,
                    recorded_by=actor if getattr(actor, "pk", None) else None,
                    recorded_by_label=actor_label(actor),
                    recorded_at=request.consent_given_at,
                    how="In their own request to the service",
                    source=ConsentSource.OWN_REQUEST,
                    provenance=f"Contact request {request.reference}",
                    conversation=consents[0].conversation,
                )
            )
        referral = _refer(request, person, actor=actor, via=via, need=need, reason=reason)
        if answer == ReferralStatus.RECEIVED:
            referral_actions.receive_referral(referral, actor=actor, via=via)
        elif answer == ReferralStatus.ACCEPTED:
            referral_actions.accept_referral(
                referral, actor=actor, via=via, waitlist_if_full=waitlist_if_full
            )
        ContactRequest.objects.filter(pk=request.pk).update(referral=referral)
        ContactRequestUpdate.objects.create(
            contact_request=request,
            status=ContactRequestStatus.CLOSED,
            note=f"Converted to referral {referral.reference}.",
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=actor_label(actor),
        )
        record_event(
            actor=actor,
            action="referrals.contact_request.converted",
            target=request,
            via=via,
            details={
                "referral": str(referral.pk),
                "person": str(person.pk),
                "person_created": created,
                "answer": referral.status,
            },
        )
    request.refresh_from_db()
    return Converted(person, referral, consents, created)


def _contact_purpose(request: ContactRequest) -> str:
    """The person asked to be contacted this way: consent to it (e-mail has no purpose)."""
    return {
        ContactMethod.PHONE: ConsentPurpose.CONTACT_PHONE,
        ContactMethod.TEXT: ConsentPurpose.CONTACT_TEXT,
    }.get(request.contact_method, "")


def _refer(
    request: ContactRequest, person: Person, *, actor: Any, via: str, need: str, reason: str
) -> Referral:
    """The referral to the request's service, sent (the provider refers on the person's own
    behalf: no referring role is needed). The rules of `make_referrals` on the request
    itself (an active service, a need of the directory, a service not closed) apply."""
    asked = referral_actions.ReferralRequest(
        person=person,
        service=request.service,
        need=need,
        reason=reason or (request.message or ""),
    )
    refused = referral_actions._refusal(asked, "")
    capacities = capacities_of([request.service_id])
    refused = refused or referral_actions._refusal_to_send(
        asked, {(person.pk, request.service_id, None)}, capacities
    )
    if refused is not None:
        raise refused
    (made,) = referral_actions._write_referrals(
        [(asked, "")],
        actor=actor,
        via=via,
        organisation=policies.home_organisation(actor),
        capacities=capacities,
    )
    return made.referral
