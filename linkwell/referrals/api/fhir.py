"""FHIR R4 on the referral API: GET /referrals/{id}/fhir (a Bundle of ServiceRequest, Task,
Patient, Consent) and POST /referrals/fhir (a GP system's referral, as such a Bundle)."""

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Header, Router, Status

from linkwell.referrals import actions, policies
from linkwell.referrals.api import present
from linkwell.referrals.api.auth import SIGNED_IN, caller
from linkwell.referrals.api.referrals import referral_or_404
from linkwell.referrals.api.schemas import REFUSALS, Problem, ReferralSummary
from linkwell.referrals.fhir import codes, export, incoming

router = Router(auth=SIGNED_IN, tags=["FHIR R4"])

FHIR_JSON = "application/fhir+json"
BUNDLE_MEDIA_TYPES = (FHIR_JSON, "application/json")  # what POST /referrals/fhir reads
BUNDLE_SCHEMA = {
    "type": "object",
    "description": "A FHIR R4 Bundle (validated with the R4B models of fhir.resources).",
    "properties": {"resourceType": {"type": "string", "enum": ["Bundle"]}},
    "required": ["resourceType"],
}


@router.get(
    "/{uuid:referral_id}/fhir",
    response={200: Any, **REFUSALS},
    summary="A referral as FHIR R4",
    description="A Bundle (type collection): the ServiceRequest (code SNOMED CT "
    "871731000000106 for social prescribing), the Task (status as FHIR Task; businessStatus "
    "and statusReason for a decline), the Patient (only the fields the caller may see; NHS "
    f"number with system {codes.NHS_NUMBER}) and the Consents bearing on the referral. "
    "The read is in the audit log.",
    openapi_extra={
        "responses": {
            # The int key replaces ninja's own 200 (a "200" string would be a second key).
            200: {"description": "OK", "content": {FHIR_JSON: {"schema": BUNDLE_SCHEMA}}}
        }
    },
)
def export_referral(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    user = caller(request)
    referral = referral_or_404(user, referral_id)
    view = policies.referral_view(user, referral)
    if view.person_fields:
        actions.record_person_viewed(
            referral.person, actor=user, via="api:GET /referrals/{id}/fhir"
        )
    bundle = export.referral_bundle(referral, view)
    return HttpResponse(bundle.model_dump_json(exclude_none=True), content_type=FHIR_JSON)


@router.post(
    "/fhir",
    response={201: ReferralSummary, 200: ReferralSummary, 415: Problem, **REFUSALS},
    exclude_unset=True,
    summary="Receive a referral as FHIR R4",
    description="A Bundle holding one ServiceRequest (performer: HealthcareService/<service "
    "id>), its Patient (matched by NHS number and birth date, else registered; NHS number "
    "Modulus 11 checked) and a Consent whose provision permits sharing with the service. "
    "A bad element is refused (400) with its path, e.g. Bundle.entry[1].resource.birthDate; "
    "no consent is a 409. Repeating the same ServiceRequest (its identifier, or the "
    "Idempotency-Key header) returns the referral made first (200). The ServiceRequest's "
    "status must be active. Content-Type must be application/fhir+json or application/json "
    "(else 415).",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                FHIR_JSON: {"schema": BUNDLE_SCHEMA},
                "application/json": {"schema": BUNDLE_SCHEMA},
            },
        }
    },
)
def import_referral(
    request: HttpRequest,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
) -> Status:
    user = caller(request)
    if (request.content_type or "").lower() not in BUNDLE_MEDIA_TYPES:
        raise incoming.BundleRefused(
            [
                (
                    "Content-Type",
                    f"{request.content_type or '(none)'!r} is not a FHIR bundle: send "
                    f"{' or '.join(BUNDLE_MEDIA_TYPES)}",
                )
            ],
            status=415,
        )
    made = incoming.import_referral(
        request.body, actor=user, via="api:POST /referrals/fhir", idempotency_key=idempotency_key
    )
    view = policies.referral_view(user, made.referral)
    row = present.referral_summary(made.referral, view)
    present.audit_listed(user, [made.referral], [row], via="api:POST /referrals/fhir")
    return Status(201 if made.created else 200, row)
