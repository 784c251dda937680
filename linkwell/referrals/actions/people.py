"""People and their consent: registering (with a duplicate check), matching a submitted
identity to a person held, reading (audited), consent given and withdrawn. Audit events name
people by id only, never by name.

Knowing identifiers is never authorisation: a duplicate warning names only the people the
caller may open, and a submitted identity is linked to a person held only when NHS number,
birth date and family name all agree (the idea of a PDS trace); the sender then sees what they
sent (`PersonSubmission`), not the record.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
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
from linkwell.referrals.models import (
    Consent,
    ConsentPurpose,
    ConsentSource,
    DuplicateFlag,
    EthnicGroup,
    Person,
    PersonSubmission,
    Sex,
)

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
    sex: str = ""  # a `Sex` value, or ""
    ethnic_group: str = ""  # an `EthnicGroup` value, or ""
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
    for name, choices in (("sex", Sex), ("ethnic_group", EthnicGroup)):
        values[name] = (values[name] or "").strip()
        if values[name] and values[name] not in choices.values:
            raise Refused(f"Choose one of: {', '.join(choices.values)}.", field=name)
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


def family_name_key(name: str) -> str:
    """A family name as compared for a match: case, accents, spaces, hyphens and apostrophes
    do not count ("O'Brien-Smith" is "obriensmith"); anything else does."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


def identity_matches(values: dict[str, Any], person: Person) -> bool:
    """NHS number, birth date and family name all agree: the only match that links a
    submitted identity to a person held. A partial match (the NHS number alone, say) is not
    one: it is held for a person to resolve (`DuplicateFlag`), never silently linked."""
    return bool(
        values.get("nhs_number")
        and person.nhs_number == values["nhs_number"]
        and person.birth_date == values["birth_date"]
        and family_name_key(person.family_name) == family_name_key(values["family_name"])
    )


def _possible_duplicate(actor: Any, candidates: list[Person]) -> PossibleDuplicate:
    """The refusal, naming only the candidates `actor` may open; others are only said to be
    possibly known to another organisation (their ids never leave)."""
    readable = set(
        policies.readable_people(actor)
        .filter(pk__in=[c.pk for c in candidates])
        .values_list("pk", flat=True)
    )
    shown = [c for c in candidates if c.pk in readable]
    return PossibleDuplicate(shown, known_elsewhere=len(shown) < len(candidates))


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
    return _register(
        clean(details), actor=actor, via=via, organisation=organisation, confirm_new=confirm_new
    )


def _register(
    values: dict[str, Any],
    *,
    actor: Any,
    via: str,
    organisation: Any = None,
    confirm_new: bool = False,
) -> Person:
    with transaction.atomic():
        candidates = list(possible_duplicates(values))
        if candidates and not confirm_new:
            raise _possible_duplicate(actor, candidates)
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


@dataclass(frozen=True)
class Matched:
    """A submitted identity, matched or registered, and what was sent about it."""

    person: Person
    submission: PersonSubmission
    linked: bool  # matched to a person held already (not registered now)


SUBMITTED_FIELDS = (
    "given_name",
    "family_name",
    "nhs_number",
    "postcode",
    "preferred_language",
    "interpreter_needed",
    "phone",
    "email",
    "address",
    "accessibility_needs",
)


def _as_sent(values: dict[str, Any]) -> dict[str, Any]:
    """The cleaned fields as JSON: what the sender said, to show them back."""
    sent = {name: values[name] for name in SUBMITTED_FIELDS}
    sent["birth_date"] = values["birth_date"].isoformat()
    sent["ward"] = values["ward"].name if values.get("ward") else ""
    sent["gp_practice_code"] = values["gp_practice"].code if values.get("gp_practice") else ""
    return sent


def match_or_register(
    details: PersonDetails, *, actor: Any, via: str, organisation: Any = None
) -> Matched:
    """A submitted identity (a GP system's Patient): linked to the one person held whose NHS
    number, birth date and family name all agree; otherwise registered, flagged for review
    against anyone it partly matches. The record held is never changed by what was sent;
    what was sent is kept as a `PersonSubmission` either way."""
    if not policies.may_record_people(actor):
        raise PermissionDenied("Only practitioners and connectors record people.")
    values = clean(details)
    with transaction.atomic():
        same = [p for p in possible_duplicates(values) if identity_matches(values, p)]
        linked = len(same) == 1
        if linked:
            person = same[0]
        else:
            person = _register(
                values, actor=actor, via=via, organisation=organisation, confirm_new=True
            )
        submission = PersonSubmission.objects.create(
            person=person,
            submitted_by=actor if getattr(actor, "pk", None) else None,
            submitted_by_label=actor_label(actor),
            organisation=organisation or policies.home_organisation(actor),
            submitted_at=timezone.now(),
            via=via[:255],
            linked=linked,
            details=_as_sent(values),
        )
        if linked:
            record_event(
                actor=actor,
                action="referrals.person.linked",
                target=person,
                via=via,
                details={
                    "submission": str(submission.pk),
                    "matched_on": ["nhs_number", "birth_date", "family_name"],
                },
            )
    return Matched(person, submission, linked)


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


def record_people_searched(
    criteria: Iterable[str], found: Iterable[Any], *, actor: Any, via: str
) -> None:
    """A staff search for people: one event naming the kinds of criteria used (never their
    values: no NHS number, name or postcode in the log) and the ids found, plus one
    `referrals.person.viewed` for each person shown."""
    ids = sorted({str(getattr(p, "pk", p)) for p in found})
    with transaction.atomic():
        record_event(
            actor=actor,
            action="referrals.people.searched",
            target_type="referrals.person",
            target_label="Staff search",
            via=via,
            details={"criteria": sorted(set(criteria)), "found": ids},
        )
        record_people_listed(ids, actor=actor, via=via)


def record_consent(
    person: Person,
    purpose: str,
    *,
    actor: Any,
    via: str,
    service: Any = None,
    how: str = "",
    stated_in: PersonSubmission | None = None,
    provenance: str = "",
    scoped: bool = False,
) -> Consent:
    """Consent for one purpose (sharing: with one named service), recorded with who took it.

    `stated_in`: the consent was not taken with the person but stated by the sender of a
    message (a FHIR bundle), with its `provenance`; `scoped` makes it count only for the
    referrals resting on that submission (a sender linked to a person held cannot widen the
    consent the person gave elsewhere)."""
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
            source=ConsentSource.STATED_BY_SENDER if stated_in else ConsentSource.RECORDED,
            provenance=(provenance or "")[:500],
            submission=stated_in if scoped else None,
        )
        record_event(
            actor=actor,
            action="referrals.consent.stated" if stated_in else "referrals.consent.given",
            target=person,
            via=via,
            details={
                "purpose": purpose.value,
                "service": str(service.pk) if service else None,
                **({"submission": str(stated_in.pk), "scoped": scoped} if stated_in else {}),
            },
        )
    return consent


def withdraw_consent(consent: Consent, *, actor: Any, via: str) -> Consent:
    """Withdraw a consent the actor may see (`policies.visible_consents`)."""
    if not policies.may_record_people(actor):
        raise PermissionDenied("Only practitioners and connectors record consent.")
    if not policies.visible_consents(actor, consent.person).filter(pk=consent.pk).exists():
        raise PermissionDenied("Only a consent you can see can be withdrawn by you.")
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


def consents_to_share(
    items: Iterable[tuple[Any, Any, Any]],
) -> set[tuple[Any, Any, Any]]:
    """Which (person id, service id, submission id or None) have consent to share with the
    service, standing: consent given with the person, or stated in that very submission
    (`has_consent` for many, in one query)."""
    items = set(items)
    if not items:
        return set()
    found = set(
        Consent.objects.filter(
            purpose=ConsentPurpose.SHARE_WITH_SERVICE,
            withdrawn_at=None,
            person_id__in={person for person, _, _ in items},
            service_id__in={service for _, service, _ in items},
        ).values_list("person_id", "service_id", "submission_id")
    )
    return {
        (person, service, submission)
        for person, service, submission in items
        if (person, service, None) in found
        or (submission is not None and (person, service, submission) in found)
    }


def in_scope(consents: QuerySet[Consent], submission_id: Any = None) -> QuerySet[Consent]:
    """The consents that count for a referral resting on `submission_id` (or on none)."""
    scope = Q(submission=None)
    if submission_id is not None:
        scope |= Q(submission_id=submission_id)
    return consents.filter(scope)


def has_consent(
    person: Person, purpose: str, service: Any = None, *, submission_id: Any = None
) -> bool:
    consents = Consent.objects.filter(person=person, purpose=purpose, withdrawn_at=None)
    if purpose == ConsentPurpose.SHARE_WITH_SERVICE:
        consents = consents.filter(service=service)
    return in_scope(consents, submission_id).exists()
