"""/api/v1/people/: register a person, read their record (audited), consent, contacts."""

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError

from linkwell.directory.models import Service
from linkwell.referrals import actions, policies
from linkwell.referrals import queries as rq
from linkwell.referrals.api import present
from linkwell.referrals.api.auth import SIGNED_IN, caller
from linkwell.referrals.api.errors import found_or_404
from linkwell.referrals.api.schemas import (
    REFUSALS,
    ConsentIn,
    ConsentOut,
    ContactIn,
    ContactOut,
    PersonIn,
    PersonOut,
)
from linkwell.referrals.errors import Refused
from linkwell.referrals.models import Person
from linkwell.referrals.policies.referrals import EVERY_PERSON_FIELD

router = Router(auth=SIGNED_IN, tags=["People"])


def person_or_404(user: Any, person_id: uuid.UUID) -> Person:
    return found_or_404(rq.get_person(user, person_id), "person")


@router.post(
    "/",
    response={201: PersonOut, **REFUSALS},
    exclude_unset=True,
    summary="Register a person",
    description="409 when someone with the same NHS number, or the same name and date of "
    "birth, is held already: `candidates` lists those of them the caller may open (their "
    "ids), `known_elsewhere` says others are possibly known to another organisation (never "
    "named). Send confirm_new to register anyway (flagged for review).",
)
def register_person(request: HttpRequest, body: PersonIn) -> Status:
    user = caller(request)
    if not policies.may_record_people(user):
        raise PermissionDenied("Only practitioners and connectors record people.")
    details = actions.PersonDetails(**body.dict(exclude={"confirm_new"}))
    person = actions.register_person(
        details, actor=user, via="api:POST /people", confirm_new=body.confirm_new
    )
    return Status(201, present.person(person, EVERY_PERSON_FIELD, consents=person.consents.all()))


@router.get(
    "/{uuid:person_id}",
    response={200: PersonOut, **REFUSALS},
    exclude_unset=True,
    summary="A person's record",
    description="Only the fields the caller may see. Every read is in the audit log.",
)
def get_person(request: HttpRequest, person_id: uuid.UUID) -> dict[str, Any]:
    user = caller(request)
    person = person_or_404(user, person_id)
    actions.record_person_viewed(person, actor=user, via="api:GET /people/{id}")
    return present.person(
        person,
        present.person_fields(user, person),
        consents=policies.visible_consents(user, person).order_by("recorded_at", "id"),
    )


@router.post(
    "/{uuid:person_id}/consents",
    response={201: ConsentOut, **REFUSALS},
    summary="Record consent",
    description="For one purpose; consent to share names the service (service_id).",
)
def record_consent(request: HttpRequest, person_id: uuid.UUID, body: ConsentIn) -> Status:
    user = caller(request)
    person = person_or_404(user, person_id)
    service = None
    if body.service_id is not None:
        service = Service.objects.filter(pk=body.service_id).first()
        if service is None:
            raise Refused("No service has this id.", field="service_id")
    consent = actions.record_consent(
        person,
        body.purpose,
        actor=user,
        via="api:POST /people/{id}/consents",
        service=service,
        how=body.how,
    )
    return Status(201, present.consent(consent))


@router.post(
    "/{uuid:person_id}/consents/{uuid:consent_id}/withdraw",
    response={200: ConsentOut, **REFUSALS},
    summary="Withdraw consent",
)
def withdraw_consent(
    request: HttpRequest, person_id: uuid.UUID, consent_id: uuid.UUID
) -> dict[str, Any]:
    user = caller(request)
    person = person_or_404(user, person_id)
    consent = policies.visible_consents(user, person).filter(pk=consent_id).first()
    if consent is None:
        raise HttpError(404, "This person has no consent with this id.")
    consent = actions.withdraw_consent(
        consent, actor=user, via="api:POST /people/{id}/consents/{id}/withdraw"
    )
    return present.consent(consent)


@router.post(
    "/{uuid:person_id}/contacts",
    response={201: ContactOut, **REFUSALS},
    summary="Record a contact (Every Contact Counts)",
    description="Who was seen, how, and the needs noticed (each with how pressing it is).",
)
def record_contact(request: HttpRequest, person_id: uuid.UUID, body: ContactIn) -> Status:
    user = caller(request)
    person = person_or_404(user, person_id)
    encounter = actions.record_encounter(
        person,
        actor=user,
        via="api:POST /people/{id}/contacts",
        kind=body.kind,
        needs=[(n.need, n.urgency) for n in body.needs],
        note=body.note,
        occurred_at=body.occurred_at,
    )
    return Status(201, present.contact(encounter))
