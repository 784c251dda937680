"""/api/v1/people/: register a person, read their record (audited), consent, contacts."""

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Status
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
    ConsentsOut,
    ContactIn,
    ContactOut,
    PeopleFound,
    PersonIn,
    PersonOut,
)
from linkwell.referrals.errors import Refused
from linkwell.referrals.models import Person
from linkwell.referrals.policies.referrals import EVERY_PERSON_FIELD

router = Router(auth=SIGNED_IN, tags=["People"])
BIRTH_DATE = Query(None, description="YYYY-MM-DD.")


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


SEARCH_SHOWS = frozenset({"name", "birth_date", "nhs_number", "postcode"})


@router.get(
    "/search",
    response={200: PeopleFound, **REFUSALS},
    exclude_unset=True,
    summary="Find a person",
    description="Among the people the caller may open only: by name (at least 2 characters, "
    "without case or accents, within given or family name), NHS number (Modulus 11 checked), "
    "date of birth and postcode; every criterion given must match. Someone the caller may "
    "not open is never found. Each search is in the audit log (the kinds of criteria and "
    "who was found, never the values). 400 naming the field for a bad criterion.",
)
def search_people(
    request: HttpRequest,
    text: str = Query("", max_length=100, description="Part of a name."),
    nhs_number: str = Query("", max_length=20, description="10 digits (spaces allowed)."),
    birth_date: dt.date | None = BIRTH_DATE,
    postcode: str = Query("", max_length=10, description="A UK postcode."),
    limit: int = Query(20, ge=1, le=50, description="At most this many (1 to 50)."),
) -> dict[str, Any]:
    user = caller(request)
    found = rq.find_people(
        user,
        text=text,
        nhs_number=nhs_number,
        birth_date=birth_date,
        postcode=postcode,
        limit=limit + 1,
        via="api:GET /people/search",
    )
    return {
        "contents": [
            present.person(p, present.person_fields(user, p) & SEARCH_SHOWS) for p in found[:limit]
        ],
        "more": len(found) > limit,
    }


@router.post(
    "/{uuid:person_id}/consents",
    response={201: ConsentOut | ConsentsOut, **REFUSALS},
    summary="Record consent",
    description="For one purpose; consent to share names the service (service_id), or "
    "several given in one conversation (service_ids, answered with `consents`, one each).",
)
def record_consent(request: HttpRequest, person_id: uuid.UUID, body: ConsentIn) -> Status:
    user = caller(request)
    person = person_or_404(user, person_id)
    if body.service_ids is not None:
        if body.service_id is not None:
            raise Refused("Give service_id or service_ids, not both.", field="service_ids")
        consents = actions.record_consent_for_services(
            person,
            body.service_ids,
            purpose=body.purpose,
            actor=user,
            via="api:POST /people/{id}/consents",
            how=body.how,
        )
        return Status(201, {"consents": [present.consent(c) for c in consents]})
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
