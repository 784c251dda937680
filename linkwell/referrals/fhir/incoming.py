"""A referral arriving from a GP system as a FHIR R4 Bundle: a ServiceRequest, its Patient
and the Consent to share with the service.

Read through the R4B models (a bad element is refused with its path, e.g.
"Bundle.entry[1].resource.birthDate"), then done through the actions, all in one transaction
(nothing is half-written): the patient matched or registered (the action checks the NHS
number's Modulus 11 and the birth date), consent recorded from a Consent whose provision
permits sharing with the service, then the referral made and sent. The service is the
ServiceRequest's performer, "HealthcareService/<our service id>".

Matching (knowing identifiers is never authorisation): someone held with the same NHS
number, birth date and family name is the patient, and the sender sees of them only what they
sent; a partial match (the NHS number alone, say) is registered anew, flagged for review.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Any

import pydantic
from django.core.exceptions import PermissionDenied
from django.db import transaction
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.resource import Resource

from linkwell.audit.actions import actor_label
from linkwell.core import untrusted_json
from linkwell.directory.models import Service
from linkwell.directory.vocabularies import NEED_CODES
from linkwell.referrals import actions, policies
from linkwell.referrals.errors import NoConsent, Refused
from linkwell.referrals.fhir import codes
from linkwell.referrals.models import ConsentPurpose

MAX_ENTRIES = 50
MAX_DEPTH = 32  # a referral bundle needs about 10 levels (extensions within extensions)
# ServiceRequest.status (FHIR R4 request-status) a new referral may have: the GP system has
# sent it, so it is active; draft, on-hold, completed and the rest are not referrals to make.
ACCEPTED_REQUEST_STATUSES = ("active",)
REQUEST_STATUSES = (
    "draft",
    "active",
    "on-hold",
    "revoked",
    "completed",
    "entered-in-error",
    "unknown",
)


class BundleRefused(Exception):
    """The bundle is not one we can take: each error names the element (a FHIRPath-like
    path from "Bundle") and why."""

    def __init__(self, errors: list[tuple[str, str]], status: int = 400) -> None:
        super().__init__("; ".join(f"{path}: {why}" for path, why in errors))
        self.errors = errors
        self.status = status

    @property
    def path(self) -> str:
        return self.errors[0][0]

    @property
    def message(self) -> str:
        return self.errors[0][1]


def refused(path: str, why: str) -> BundleRefused:
    return BundleRefused([(path, why)])


@dataclass
class Found:
    """Where each resource sits in the bundle, for paths in refusals."""

    index: int
    resource: Any

    @property
    def path(self) -> str:
        return f"Bundle.entry[{self.index}].resource"


@dataclass
class Incoming:
    request: Found
    patient: Found
    service: Service
    consents: list[tuple[str, Found]] = field(default_factory=list)  # (purpose, Consent)


# --- reading --------------------------------------------------------------------------


def parse(body: bytes | str | dict[str, Any]) -> Bundle:
    """The bundle, validated by the R4B models; BundleRefused naming every bad element.

    Read as untrusted JSON first: nesting too deep for the validators, NaN and NUL characters
    (which the database cannot store) are refused with their path, not met later as a crash."""
    try:
        if isinstance(body, bytes | str):
            body = untrusted_json.loads(body, max_depth=MAX_DEPTH)
        else:
            untrusted_json.check(body, max_depth=MAX_DEPTH)
    except untrusted_json.UntrustedJSONError as exc:
        raise refused(_path(exc.where), exc.reason) from None
    if not isinstance(body, dict) or body.get("resourceType") != "Bundle":
        raise refused("Bundle.resourceType", "must be Bundle")
    entries = body.get("entry")
    if not isinstance(entries, list) or not entries:
        raise refused("Bundle.entry", "is empty: send the ServiceRequest, Patient and Consent")
    if len(entries) > MAX_ENTRIES:
        raise refused("Bundle.entry", f"holds more than {MAX_ENTRIES} entries")
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise refused(f"Bundle.entry[{i}]", "must be an object with a resource")
        resource = entry.get("resource")
        if not isinstance(resource, dict):
            raise refused(f"Bundle.entry[{i}].resource", "must be a FHIR resource (an object)")
        kind = resource.get("resourceType")
        try:
            get_fhir_model_class(str(kind))
        except (ValueError, KeyError):
            raise refused(
                f"Bundle.entry[{i}].resource.resourceType", f"{kind!r} is not a FHIR R4B resource"
            ) from None
    try:
        return Bundle.model_validate(body)
    except pydantic.ValidationError as exc:
        raise BundleRefused([(_path(e["loc"]), _why(e)) for e in exc.errors()]) from None


def _path(loc: tuple[Any, ...]) -> str:
    path = "Bundle"
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _why(error: dict[str, Any]) -> str:
    message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    value = error.get("input")
    if isinstance(value, str | int | float) and error.get("type") != "missing":
        message = f"{value!r}: {message}"
    return message


def read(bundle: Bundle) -> Incoming:
    """The ServiceRequest, its Patient, the service and the consents it brings."""
    found: dict[str, list[Found]] = {}
    urls: dict[str, Found] = {}
    for i, entry in enumerate(bundle.entry or []):
        resource: Resource = entry.resource
        item = Found(i, resource)
        found.setdefault(resource.get_resource_type(), []).append(item)
        if entry.fullUrl:
            urls[str(entry.fullUrl)] = item
        if resource.id:
            urls[f"{resource.get_resource_type()}/{resource.id}"] = item
    requests = found.get("ServiceRequest", [])
    if len(requests) != 1:
        raise refused("Bundle.entry", "must hold exactly one ServiceRequest (one referral)")
    request = requests[0]
    _check_status(request)
    patient = _patient_of(request, found, urls)
    service = _service_of(request)
    incoming = Incoming(request=request, patient=patient, service=service)
    for item in found.get("Consent", []):
        incoming.consents.extend(_purposes(item, patient, service, urls))
    return incoming


def _check_status(request: Found) -> None:
    status = request.resource.status
    if status in ACCEPTED_REQUEST_STATUSES:
        return
    if status in REQUEST_STATUSES:
        why = f"{status!r}: a new referral's ServiceRequest must be active"
    else:
        why = f"{status!r} is not a request-status ({' | '.join(REQUEST_STATUSES)})"
    raise refused(f"{request.path}.status", why)


def _patient_of(request: Found, found: dict[str, list[Found]], urls: dict[str, Found]) -> Found:
    path = f"{request.path}.subject"
    subject = request.resource.subject
    target = urls.get(str(subject.reference or "")) if subject else None
    if target is None or target.resource.get_resource_type() != "Patient":
        patients = found.get("Patient", [])
        raise refused(
            f"{path}.reference",
            "must refer to the Patient in the bundle (by its fullUrl or Patient/id)"
            if patients
            else "refers to no Patient in the bundle: include the Patient",
        )
    return target


def _service_id(reference: str | None) -> uuid.UUID | None:
    text = str(reference or "")
    if not text.startswith(codes.SERVICE_REFERENCE_PREFIX):
        return None
    try:
        return uuid.UUID(text.removeprefix(codes.SERVICE_REFERENCE_PREFIX))
    except ValueError:
        return None


def _service_of(request: Found) -> Service:
    performers = request.resource.performer or []
    if not performers:
        raise refused(f"{request.path}.performer", "names no service: HealthcareService/<id>")
    path = f"{request.path}.performer[0].reference"
    service_id = _service_id(performers[0].reference)
    if service_id is None:
        raise refused(path, "must be HealthcareService/<id of a service in the directory>")
    service = Service.objects.filter(pk=service_id).first()
    if service is None:
        raise refused(path, f"no service in the directory has id {service_id}")
    return service


def _purposes(
    item: Found, patient: Found, service: Service, urls: dict[str, Found]
) -> list[tuple[str, Found]]:
    """Purposes an active, permitting Consent of the patient grants: sharing with the
    service (provision.actor naming it) and Linkwell's purposes (provision.purpose)."""
    consent = item.resource
    reference = str(consent.patient.reference or "") if consent.patient else ""
    if urls.get(reference) is not patient:
        raise refused(f"{item.path}.patient.reference", "must refer to the Patient in the bundle")
    provision = consent.provision
    if consent.status != "active" or provision is None or provision.type != "permit":
        return []
    purposes = []
    for actor in provision.actor or []:
        if _service_id(actor.reference.reference if actor.reference else None) == service.pk:
            purposes.append((ConsentPurpose.SHARE_WITH_SERVICE.value, item))
    for coding in provision.purpose or []:
        if (
            coding.system == codes.CONSENT_PURPOSE
            and coding.code in ConsentPurpose.values
            and coding.code != ConsentPurpose.SHARE_WITH_SERVICE
        ):
            purposes.append((coding.code, item))
    return purposes


def person_details(patient: Found) -> tuple[actions.PersonDetails, dict[str, str]]:
    """What the Patient says, as the action takes it, and the path of each field."""
    p = patient.resource
    at = patient.path
    paths = {"given_name": f"{at}.name[0].given", "family_name": f"{at}.name[0].family"}
    paths["birth_date"] = f"{at}.birthDate"
    name = (p.name or [None])[0]
    nhs = ""
    for i, identifier in enumerate(p.identifier or []):
        if identifier.system == codes.NHS_NUMBER:
            nhs = identifier.value or ""
            paths["nhs_number"] = f"{at}.identifier[{i}].value"
    phone = email = ""
    for i, point in enumerate(p.telecom or []):
        if point.system == "phone" and not phone:
            phone, paths["phone"] = point.value or "", f"{at}.telecom[{i}].value"
        if point.system == "email" and not email:
            email, paths["email"] = point.value or "", f"{at}.telecom[{i}].value"
    address = (p.address or [None])[0]
    paths.update(postcode=f"{at}.address[0].postalCode", address=f"{at}.address[0]")
    language = ""
    for communication in p.communication or []:
        codings = communication.language.coding or []
        if codings and (communication.preferred or not language):
            language = codings[0].code or ""
    paths["preferred_language"] = f"{at}.communication"
    interpreter, accessibility = False, ""
    for extension in p.extension or []:
        if extension.url == codes.INTERPRETER_REQUIRED:
            interpreter = bool(extension.valueBoolean)
        if extension.url == codes.ACCESSIBILITY_NEEDS:
            accessibility = extension.valueString or ""
    practice = ""
    for i, gp in enumerate(p.generalPractitioner or []):
        if gp.identifier is not None and gp.identifier.system == codes.ODS_CODE:
            practice = gp.identifier.value or ""
            paths["gp_practice_code"] = f"{at}.generalPractitioner[{i}].identifier.value"
    details = actions.PersonDetails(
        given_name=" ".join(name.given or []) if name else "",
        family_name=(name.family or "") if name else "",
        birth_date=p.birthDate if isinstance(p.birthDate, dt.date) else None,
        nhs_number=nhs,
        postcode=(address.postalCode or "") if address else "",
        address=", ".join([*(address.line or []), *([address.city] if address.city else [])])
        if address and address.line
        else ((address.text or "") if address else ""),
        phone=phone,
        email=email,
        preferred_language=language,
        interpreter_needed=interpreter,
        accessibility_needs=accessibility,
        gp_practice_code=practice,
    )
    return details, paths


# --- doing ----------------------------------------------------------------------------


class _Repeated(Exception):
    def __init__(self, made: actions.Made) -> None:
        self.made = made


def import_referral(
    body: bytes | str | dict[str, Any], *, actor: Any, via: str, idempotency_key: str = ""
) -> actions.Made:
    """Take a GP system's bundle as a referral. A repeat (the same Idempotency-Key, or else
    the same ServiceRequest.identifier) returns the referral made first and writes nothing.

    The Patient is linked to a person held only when NHS number, birth date and family name
    all agree (`actions.match_or_register`), and what the bundle says of them is kept as the
    sender's submission, never written over the record. The bundle's Consents are recorded as
    stated by the sender, with where they came from; for a person held already they count for
    this referral only, and the bundle must itself permit sharing with the service."""
    if not policies.may_refer(actor):
        raise PermissionDenied("Only practitioners and connectors make referrals.")
    incoming = read(parse(body))
    request = incoming.request.resource
    details, paths = person_details(incoming.patient)
    key = idempotency_key or _key_of(request)
    need = next(
        (
            c.code
            for concept in request.reasonCode or []
            for c in concept.coding or []
            if c.system == codes.NEED and c.code in NEED_CODES
        ),
        "",
    )
    reason = "\n".join(n.text for n in request.note or [] if n.text)
    try:
        with transaction.atomic():
            matched = actions.match_or_register(details, actor=actor, via=via)
            _record_stated_consents(incoming, matched, actor=actor, via=via)
            made = actions.make_referral(
                actor=actor,
                via=via,
                person=matched.person,
                service=incoming.service,
                need=need,
                reason=reason,
                idempotency_key=key,
                submission=matched.submission,
            )
            if not made.created:
                raise _Repeated(made)  # roll back anything this repeat wrote
    except _Repeated as repeat:
        return repeat.made
    except NoConsent:
        raise NoConsent(
            "No active Consent in the bundle permits sharing with "
            f"{codes.SERVICE_REFERENCE_PREFIX}{incoming.service.pk} ({incoming.service.name}): "
            "include a Consent with provision.type permit and that actor.",
            field="Consent",
        ) from None
    except Refused as exc:
        where = {
            **paths,
            "reason": f"{incoming.request.path}.note",
            "service": f"{incoming.request.path}.performer[0].reference",
            "idempotency_key": "Idempotency-Key",
        }
        raise refused(where.get(exc.field, incoming.patient.path), exc.message) from None
    return made


def _record_stated_consents(
    incoming: Incoming, matched: actions.Matched, *, actor: Any, via: str
) -> None:
    """The bundle's consents, as stated by its sender. The referral rests on the bundle's own
    permission to share with the service: consent held from elsewhere does not stand in for
    it (a sender who knows someone's identifiers cannot use another partner's consent)."""
    if not any(p == ConsentPurpose.SHARE_WITH_SERVICE for p, _ in incoming.consents):
        raise NoConsent("No consent in the bundle.", field="Consent")
    # A person the sender did not register: their statement counts for this referral only.
    scoped = (
        matched.linked and not policies.readable_people(actor).filter(pk=matched.person.pk).exists()
    )
    request_id = _identifier_text(incoming.request.resource)
    for purpose, item in incoming.consents:
        service = incoming.service if purpose == ConsentPurpose.SHARE_WITH_SERVICE else None
        consent_id = item.resource.id or item.path
        actions.record_consent(
            matched.person,
            purpose,
            actor=actor,
            via=via,
            service=service,
            how=f"FHIR Consent {item.resource.id or ''}".strip(),
            stated_in=matched.submission,
            provenance=(
                f"Stated in FHIR Consent {consent_id} of the bundle with ServiceRequest "
                f"{request_id or '(no identifier)'}, sent by {actor_label(actor)}"
            ),
            scoped=scoped,
        )


def _identifier_text(request: Any) -> str:
    identifiers = request.identifier or []
    if not identifiers or not identifiers[0].value:
        return ""
    return f"{identifiers[0].system or ''}|{identifiers[0].value}"


def _key_of(request: Any) -> str:
    """A repeat of the same ServiceRequest (its first identifier) is the same submit."""
    text = _identifier_text(request)
    if not text:
        return ""
    return "fhir:" + hashlib.sha256(text.encode()).hexdigest()[:59]
