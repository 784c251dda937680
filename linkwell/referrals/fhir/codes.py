"""Code systems, identifiers and extensions used in Linkwell's FHIR resources, and how
referral statuses map to ServiceRequest.status (Task.status: `lifecycle.FHIR_TASK_STATUS`).

Linkwell's own code systems (needs, consent purposes) and extensions are the same on every
install: URNs from the directory's fixed UUID namespace, so bundles from one partnership read
in another. Referral references are issued per install, so their system is its public URL.
"""

from django.conf import settings

from linkwell.directory.vocabularies import stable_id
from linkwell.referrals.models import ReferralStatus as S

SNOMED = "http://snomed.info/sct"
NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
ODS_CODE = "https://fhir.nhs.uk/Id/ods-organization-code"
LANGUAGE = "urn:ietf:bcp:47"
INTERPRETER_REQUIRED = "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
LOINC = "http://loinc.org"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"


def _ours(name: str) -> str:
    return f"urn:uuid:{stable_id('fhir', name)}"


NEED = _ours("CodeSystem/linkwell-needs")
CONSENT_PURPOSE = _ours("CodeSystem/linkwell-consent-purposes")
DECLINE_REASON = _ours("CodeSystem/linkwell-decline-reasons")
ACCESSIBILITY_NEEDS = _ours("StructureDefinition/accessibility-needs")


def referral_reference_system() -> str:
    return f"{settings.PUBLIC_BASE_URL}/fhir/Id/referral-reference"


SNOMED_NAMES = {
    "871731000000106": "Referral to social prescribing service",
    "871711000000103": "Social prescribing declined",
}

# http://hl7.org/fhir/R4/valueset-request-status.html
SERVICE_REQUEST_STATUS: dict[str, str] = {
    S.DRAFT: "draft",
    S.SENT: "active",
    S.RECEIVED: "active",
    S.ACCEPTED: "active",
    S.WAITLISTED: "active",
    S.IN_PROGRESS: "active",
    S.COMPLETED: "completed",
    S.DECLINED: "revoked",
    S.DID_NOT_ENGAGE: "revoked",
    S.CANCELLED: "revoked",
}

SERVICE_REFERENCE_PREFIX = "HealthcareService/"
