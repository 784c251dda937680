"""A referral as a FHIR R4 Bundle (type collection): the ServiceRequest (the referral), the
Task (where it stands), the Patient (only the fields the reader may see) and the person's
Consents that bear on it, and what other apps add through `hooks` (outcomes: answers,
scores and the coded outcome). Each resource is validated by building it with the R4B models."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.consent import Consent as FhirConsent
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.resource import Resource
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task

from linkwell.directory.vocabularies import NEEDS
from linkwell.referrals import hooks, lifecycle
from linkwell.referrals.actions.people import in_scope
from linkwell.referrals.fhir import codes
from linkwell.referrals.models import Consent, ConsentPurpose, DeclineReason, Person, Referral
from linkwell.referrals.models import ReferralStatus as S
from linkwell.referrals.policies import ReferralView
from linkwell.referrals.submitted import SubmittedPerson, person_shown

NEED_NAMES = {t.code: t.name for t in NEEDS.terms}


def urn(an_id: Any) -> str:
    return f"urn:uuid:{an_id}"


def task_id(referral: Referral) -> uuid.UUID:
    return uuid.uuid5(referral.pk, "Task")


def service_reference(referral: Referral) -> dict[str, str]:
    return {
        "reference": codes.SERVICE_REFERENCE_PREFIX + str(referral.service_id),
        "display": referral.service.name,
    }


def patient_id(referral: Referral, view: ReferralView) -> uuid.UUID:
    """The Patient's id: the person's, or (for a reader who may not open the record and sees
    what they sent) one made for this referral, so nothing names the record."""
    if view.as_submitted:
        return uuid.uuid5(referral.pk, "Patient")
    return referral.person_id


def referral_bundle(referral: Referral, view: ReferralView) -> Bundle:
    shown = person_shown(referral, view)
    pid = patient_id(referral, view)
    resources: list[Resource] = [
        service_request(referral, view),
        task(referral, view),
        patient(shown, view.person_fields if shown is not None else frozenset(), pid),
        *(consent(c, pid) for c in consents_bearing_on(referral, view)),
        *hooks.fhir_resources(referral, view, urn(pid)),
    ]
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "id": str(uuid.uuid4()),
            "type": "collection",
            "timestamp": timezone.now().isoformat(),
            "entry": [{"fullUrl": urn(r.id), "resource": r} for r in resources],
        }
    )


def service_request(referral: Referral, view: ReferralView) -> ServiceRequest:
    data: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": str(referral.pk),
        "identifier": [{"system": codes.referral_reference_system(), "value": referral.reference}],
        "status": codes.SERVICE_REQUEST_STATUS[referral.status],
        "intent": "order",
        "subject": {"reference": urn(patient_id(referral, view))},
        "authoredOn": (referral.sent_at or referral.created_at).isoformat(),
        "requester": {"display": _requester(referral)},
        "performer": [service_reference(referral)],
    }
    if referral.snomed_code:
        data["code"] = _snomed(referral.snomed_code)
    if referral.need:
        data["reasonCode"] = [
            {
                "coding": [
                    {
                        "system": codes.NEED,
                        "code": referral.need,
                        "display": NEED_NAMES.get(referral.need, referral.need),
                    }
                ]
            }
        ]
    if view.reason and referral.reason:
        data["note"] = [{"text": referral.reason}]
    return ServiceRequest.model_validate(data)


def task(referral: Referral, view: ReferralView) -> Task:
    data: dict[str, Any] = {
        "resourceType": "Task",
        "id": str(task_id(referral)),
        "status": lifecycle.FHIR_TASK_STATUS[referral.status],
        "intent": "order",
        "basedOn": [{"reference": urn(referral.pk)}],
        "focus": {"reference": urn(referral.pk)},
        "for": {"reference": urn(patient_id(referral, view))},
        "authoredOn": referral.created_at.isoformat(),
        "lastModified": referral.status_changed_at.isoformat(),
        "owner": service_reference(referral),
        "businessStatus": {"text": str(S(referral.status).label)},
    }
    if referral.status == S.DECLINED:
        declined = [e for e in referral.events.all() if e.to_status == S.DECLINED]
        if declined and declined[-1].snomed_code:
            data["businessStatus"] = _snomed(
                declined[-1].snomed_code, text=str(S(referral.status).label)
            )
        if view.outcome and (referral.decline_reason or referral.decline_reason_code):
            data["statusReason"] = _decline_reason(referral)
    if view.outcome and referral.outcome:
        data["output"] = [{"type": {"text": "Outcome"}, "valueString": referral.outcome}]
    return Task.model_validate(data)


def _decline_reason(referral: Referral) -> dict[str, Any]:
    """The code counted (Linkwell's decline reasons) and the service's words, if any."""
    reason: dict[str, Any] = {}
    code = referral.decline_reason_code
    if code:
        label = str(DeclineReason(code).label)
        reason["coding"] = [{"system": codes.DECLINE_REASON, "code": code, "display": label}]
    text = referral.decline_reason or (reason["coding"][0]["display"] if code else "")
    if text:
        reason["text"] = text
    return reason


def patient(
    person: Person | SubmittedPerson | None, fields: frozenset[str], an_id: uuid.UUID
) -> Patient:
    """Only the fields in `fields` (the policies' answer for this reader)."""
    data: dict[str, Any] = {"resourceType": "Patient", "id": str(an_id)}
    if person is None:
        return Patient.model_validate(data)
    if "nhs_number" in fields and person.nhs_number:
        data["identifier"] = [{"system": codes.NHS_NUMBER, "value": person.nhs_number}]
    if "name" in fields:
        data["name"] = [
            {"use": "official", "family": person.family_name, "given": [person.given_name]}
        ]
    if "birth_date" in fields and person.birth_date:
        data["birthDate"] = person.birth_date.isoformat()
    telecom = []
    if "phone" in fields and person.phone:
        telecom.append({"system": "phone", "value": person.phone})
    if "email" in fields and person.email:
        telecom.append({"system": "email", "value": person.email})
    if telecom:
        data["telecom"] = telecom
    address: dict[str, Any] = {}
    if "address" in fields and person.address:
        address["text"] = person.address
    if "postcode" in fields and person.postcode:
        address["postalCode"] = person.postcode
    if address:
        data["address"] = [address]
    if "preferred_language" in fields and person.preferred_language:
        data["communication"] = [
            {
                "language": {
                    "coding": [{"system": codes.LANGUAGE, "code": person.preferred_language}]
                },
                "preferred": True,
            }
        ]
    extensions = []
    if "interpreter_needed" in fields:
        extensions.append(
            {"url": codes.INTERPRETER_REQUIRED, "valueBoolean": person.interpreter_needed}
        )
    if "accessibility_needs" in fields and person.accessibility_needs:
        extensions.append(
            {"url": codes.ACCESSIBILITY_NEEDS, "valueString": person.accessibility_needs}
        )
    if extensions:
        data["extension"] = extensions
    return Patient.model_validate(data)


def consents_bearing_on(referral: Referral, view: ReferralView) -> list[Consent]:
    """Consent to share with this referral's service and the person's other purposes, as far
    as they count for this referral (never their consent to share with other services: that
    would tell where else they went; never what another sender stated for their own). A reader
    who sees the person as they sent them sees only the consents they stated themselves."""
    consents = Consent.objects.filter(person_id=referral.person_id)
    if view.as_submitted:
        consents = consents.filter(submission_id=referral.submission_id)
        if referral.submission_id is None:
            consents = consents.none()
    else:
        consents = in_scope(consents, referral.submission_id)
    consents = consents.order_by("recorded_at", "id")
    return [
        c
        for c in consents
        if c.purpose != ConsentPurpose.SHARE_WITH_SERVICE or c.service_id == referral.service_id
    ]


def consent(c: Consent, patient_id: uuid.UUID) -> FhirConsent:
    period = {"start": c.recorded_at.isoformat()}
    if c.withdrawn_at:
        period["end"] = c.withdrawn_at.isoformat()
    provision: dict[str, Any] = {
        "type": "permit",
        "period": period,
        "purpose": [
            {
                "system": codes.CONSENT_PURPOSE,
                "code": c.purpose,
                "display": str(ConsentPurpose(c.purpose).label),
            }
        ],
    }
    if c.service_id:
        provision["actor"] = [
            {
                "role": {"coding": [{"system": codes.PARTICIPATION_TYPE, "code": "IRCP"}]},
                "reference": {"reference": codes.SERVICE_REFERENCE_PREFIX + str(c.service_id)},
            }
        ]
    return FhirConsent.model_validate(
        {
            "resourceType": "Consent",
            "id": str(c.pk),
            "status": "active" if c.active else "inactive",
            "scope": {"coding": [{"system": codes.CONSENT_SCOPE, "code": "patient-privacy"}]},
            "category": [
                {"coding": [{"system": codes.LOINC, "code": "59284-0", "display": "Consent"}]}
            ],
            "patient": {"reference": urn(patient_id)},
            "dateTime": c.recorded_at.isoformat(),
            "policyRule": {"coding": [{"system": codes.ACT_CODE, "code": "OPTIN"}]},
            "provision": provision,
        }
    )


def _snomed(code: str, text: str = "") -> dict[str, Any]:
    coding = {"system": codes.SNOMED, "code": code}
    if code in codes.SNOMED_NAMES:
        coding["display"] = codes.SNOMED_NAMES[code]
    concept: dict[str, Any] = {"coding": [coding]}
    if text:
        concept["text"] = text
    return concept


def _requester(referral: Referral) -> str:
    organisation = referral.referrer_organisation
    return referral.referrer_label + (f" ({organisation.name})" if organisation else "")
