"""People and their consent: registering (with a duplicate check), reading (audited),
consent given and withdrawn. Audit events name people by id only, never by name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

import nhs_number
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from linkwell.audit.actions import actor_label, record_event, record_events
from linkwell.places.models import GPPractice
from linkwell.places.queries import PostcodeError, find_postcode
from linkwell.referrals import policies
from linkwell.referrals.errors import PossibleDuplicate, Refused
from linkwell.referrals.models import Consent, ConsentPurpose, DuplicateFlag, Person

OLDEST_BIRTH_DATE = dt.date(1900, 1, 1)


@dataclass
class PersonDetails:
    """What a practitioner enters about a person (all text as typed; `clean` checks it)."""

    given_name: str
    family_name: str
    birth_date: dt.date | None
    nhs_number: str = ""
    postcode: str = ""
    preferred_language: str = ""
    interpreter_needed: bool = False
    phone: str = ""
    email: str = ""
    address: str = ""
    accessibility_needs: str = ""
    gp_practice_code: str = ""
    is_demo: bool = False


LIMITS = {
    "given_name": 100,
    "family_name": 100,
    "phone": 32,
    "email": 254,
    "address": 500,
    "accessibility_needs": 500,
    "preferred_language": 16,
}


def clean_nhs_number(text: str) -> str:
    """Digits only, or "" if none given. Raises Refused naming `nhs_number`."""
    digits = "".join(ch for ch in (text or "") if not ch.isspace() and ch != "-")
    if not digits:
        return ""
    if not digits.isdigit() or len(digits) != 10:
        raise Refused("An NHS number has 10 digits.", field="nhs_number")
    if not nhs_number.is_valid(digits):
        raise Refused(
            "This is not a valid NHS number: its check digit is wrong (Modulus 11).",
            field="nhs_number",
        )
    return digits


def clean(details: PersonDetails, *, today: dt.date | None = None) -> dict[str, Any]:
    """The person's fields as they will be stored. Raises Refused for the first bad field."""
    today = today or timezone.localdate()
    values = {f.name: getattr(details, f.name) for f in fields(details)}
    for name, limit in LIMITS.items():
        values[name] = (values[name] or "").strip()
        if len(values[name]) > limit:
            raise Refused(f"At most {limit} characters.", field=name)
    for name in ("given_name", "family_name"):
        if not values[name]:
            raise Refused("This is needed.", field=name)
    birth = values["birth_date"]
    if birth is None:
        raise Refused("The date of birth is needed.", field="birth_date")
    if birth > today:
        raise Refused("A date of birth cannot be in the future.", field="birth_date")
    if birth < OLDEST_BIRTH_DATE:
        raise Refused("A date of birth before 1900 is not possible.", field="birth_date")
    values["nhs_number"] = clean_nhs_number(values["nhs_number"])
    values["small_area"] = values["ward"] = None
    if (values["postcode"] or "").strip():
        try:
            found = find_postcode(values["postcode"])
        except PostcodeError:
            raise Refused("This is not shaped like a UK postcode.", field="postcode") from None
        if found is None:
            raise Refused("This postcode is not known in the place data.", field="postcode")
        values.update(postcode=found.postcode, small_area=found.small_area, ward=found.ward)
    else:
        values["postcode"] = ""
    code = (values.pop("gp_practice_code") or "").strip().upper()
    values["gp_practice"] = GPPractice.objects.filter(code=code).first() if code else None
    if code and values["gp_practice"] is None:
        raise Refused("No GP practice has this code.", field="gp_practice_code")
    return values


def possible_duplicates(values: dict[str, Any], *, exclude: Any = None) -> QuerySet[Person]:
    same = Q(
        family_name__iexact=values["family_name"],
        given_name__iexact=values["given_name"],
        birth_date=values["birth_date"],
    )
    if values.get("nhs_number"):
        same |= Q(nhs_number=values["nhs_number"])
    people = Person.objects.filter(same)
    return people.exclude(pk=exclude.pk) if exclude is not None else people


def register_person(
    details: PersonDetails,
    *,
    actor: Any,
    via: str,
    organisation: Any = None,
    confirm_new: bool = False,
) -> Person:
    """Create a person. With possible duplicates, refuses (PossibleDuplicate) unless
    `confirm_new`, which creates them flagged for review against each candidate."""
    if not policies.may_record_people(actor):
        raise PermissionDenied("Only practitioners and connectors record people.")
    values = clean(details)
    with transaction.atomic():
        candidates = list(possible_duplicates(values))
        if candidates and not confirm_new:
            raise PossibleDuplicate(candidates)
        person = Person.objects.create(
            **values,
            created_by=actor if getattr(actor, "pk", None) else None,
            organisation=organisation or policies.home_organisation(actor),
        )
        for other in candidates:
            DuplicateFlag.objects.create(
                person=person,
                other=other,
                reason="same NHS number"
                if values["nhs_number"] and other.nhs_number == values["nhs_number"]
                else "same name and date of birth",
            )
        record_event(
            actor=actor,
            action="referrals.person.created",
            target=person,
            via=via,
            details={"flagged_duplicates": len(candidates)} if candidates else None,
        )
    return person


def record_person_viewed(person: Person, *, actor: Any, via: str) -> None:
    """Every read of a person's record is audited (who, which record, through what)."""
    with transaction.atomic():
        record_event(actor=actor, action="referrals.person.viewed", target=person, via=via)


def record_people_listed(people: Iterable[Any], *, actor: Any, via: str) -> int:
    """A list page showed these people's details (people, or their ids): one audit event
    each, written in bulk (a caseload shows up to ~60 people and must stay fast). The label
    is the one `Person.__str__` gives, without building a model per person."""
    ids = sorted({str(getattr(p, "pk", p)) for p in people if p is not None})
    targets = {pk: ("referrals.person", pk, f"Person {pk[:8]}") for pk in ids}
    if not targets:
        return 0
    with transaction.atomic():
        return record_events(
            actor=actor, action="referrals.person.viewed", targets=targets.values(), via=via
        )


def record_consent(
    person: Person,
    purpose: str,
    *,
    actor: Any,
    via: str,
    service: Any = None,
    how: str = "",
) -> Consent:
    """Consent for one purpose (sharing: with one named service), recorded with who took it."""
    try:
        purpose = ConsentPurpose(purpose)
    except ValueError:
        raise Refused(f"Unknown consent purpose {purpose!r}.", field="purpose") from None
    if purpose == ConsentPurpose.SHARE_WITH_SERVICE and service is None:
        raise Refused("Consent to share names the service shared with.", field="service")
    if not policies.may_record_people(actor):
        raise PermissionDenied("Only practitioners and connectors record consent.")
    with transaction.atomic():
        consent = Consent.objects.create(
            person=person,
            purpose=purpose,
            service=service if purpose == ConsentPurpose.SHARE_WITH_SERVICE else None,
            recorded_by=actor if getattr(actor, "pk", None) else None,
            recorded_by_label=actor_label(actor),
            recorded_at=timezone.now(),
            how=(how or "")[:100],
        )
        record_event(
            actor=actor,
            action="referrals.consent.given",
            target=person,
            via=via,
            details={"purpose": purpose.value, "service": str(service.pk) if service else None},
        )
    return consent


def withdraw_consent(consent: Consent, *, actor: Any, via: str) -> Consent:
    if not policies.may_record_people(actor):
        raise PermissionDenied("Only practitioners and connectors record consent.")
    with transaction.atomic():
        updated = Consent.objects.filter(pk=consent.pk, withdrawn_at=None).update(
            withdrawn_at=timezone.now(), withdrawn_by_label=actor_label(actor)
        )
        if updated:
            record_event(
                actor=actor,
                action="referrals.consent.withdrawn",
                target=consent.person,
                via=via,
                details={"purpose": consent.purpose},
            )
    consent.refresh_from_db()
    return consent


def consents_to_share(pairs: Iterable[tuple[Any, Any]]) -> set[tuple[Any, Any]]:
    """Which (person id, service id) pairs have consent to share with the service, standing
    (`has_consent` for many, in one query)."""
    pairs = set(pairs)
    if not pairs:
        return set()
    found = Consent.objects.filter(
        purpose=ConsentPurpose.SHARE_WITH_SERVICE,
        withdrawn_at=None,
        person_id__in={person for person, _ in pairs},
        service_id__in={service for _, service in pairs},
    ).values_list("person_id", "service_id")
    return pairs & set(found)


def has_consent(person: Person, purpose: str, service: Any = None) -> bool:
    consents = Consent.objects.filter(person=person, purpose=purpose, withdrawn_at=None)
    if purpose == ConsentPurpose.SHARE_WITH_SERVICE:
        consents = consents.filter(service=service)
    return consents.exists()
