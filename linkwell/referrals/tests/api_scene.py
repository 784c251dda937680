"""The referral API's test scene, on top of the issue 4 world (`ecc_world`): Ada (recorded by
the firefighter, consenting to falls and lunch) with referrals to falls sent, accepted and
in draft; Bob referred by the GP to Community Connectors and accepted, so a case is open."""

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from linkwell.referrals import actions
from linkwell.referrals.models import Consent, ConsentPurpose, Notification
from linkwell.referrals.tests.ecc_world import NHS_NUMBERS, consent_to, new_person, refer

API = "/api/v1"
PERSONAS = [
    "firefighter",
    "gp",
    "connector",
    "falls_editor",
    "lunch_editor",
    "analyst",
    "admin",
    "outsider",
    "anonymous",
]


@pytest.fixture(name="scene")
def scene_fixture(world):
    ff, gp = world["firefighter"], world["gp"]
    ada = world["person"]
    consent_to(ff, ada, world["falls"], world["lunch"])
    sent = refer(ff, ada, world["falls"], need="falls_frailty", reason="Two falls this year.")
    accepted = refer(ff, ada, world["falls"], need="falls_frailty")
    actions.accept_referral(accepted, actor=world["falls_editor"], via="test")
    draft = refer(ff, ada, world["falls"], send=False)
    bob = new_person(gp, "Bob", "Hill", NHS_NUMBERS[1])
    consent_to(gp, bob, world["connectors"])
    to_connectors = refer(gp, bob, world["connectors"], need="loneliness")
    actions.accept_referral(to_connectors, actor=world["connector"], via="test")
    case = to_connectors.case
    goal = actions.add_goal(case, "Join a walking group", actor=world["connector"], via="test")
    share = Consent.objects.get(
        person=ada, purpose=ConsentPurpose.SHARE_WITH_SERVICE, service=world["falls"]
    )
    return {
        **world,
        "ada": ada,
        "bob": bob,
        "sent": sent,
        "accepted": accepted,
        "draft": draft,
        "to_connectors": to_connectors,
        "case": case,
        "goal": goal,
        "consent": share,
        "notification": Notification.objects.filter(user=ff).first(),
    }


def ids(scene: dict[str, Any]) -> dict[str, str]:
    """Placeholders for paths and bodies: {ada}, {sent}, {case}, {lunch}..."""
    return {
        name: str(getattr(value, "pk", value))
        for name, value in scene.items()
        if hasattr(value, "pk")
    } | {"today": dt.date.today().isoformat()}


def client_for(scene: dict[str, Any], persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(scene[persona])
    return client


def call(client: Client, method: str, path: str, body: Any = None, **headers: str) -> Any:
    kwargs: dict[str, Any] = {"headers": headers} if headers else {}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method.lower())(API + path, **kwargs)


def fill(template: Any, values: dict[str, str]) -> Any:
    if isinstance(template, str):
        return template.format(**values)
    if isinstance(template, dict):
        return {k: fill(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [fill(v, values) for v in template]
    return template


def gp_bundle(
    service_id: Any,
    *,
    nhs: str = NHS_NUMBERS[2],
    birth: str = "1950-03-04",
    consent: bool = True,
    identifier: str = "GP-REF-1",
) -> dict[str, Any]:
    """A GP system's referral bundle: ServiceRequest, Patient, Consent to share."""
    service = f"HealthcareService/{service_id}"
    entries: list[dict[str, Any]] = [
        {
            "fullUrl": "urn:uuid:11111111-1111-4111-8111-111111111111",
            "resource": {
                "resourceType": "ServiceRequest",
                "identifier": [{"system": "https://gp.example/referrals", "value": identifier}],
                "status": "active",
                "intent": "order",
                "subject": {"reference": "urn:uuid:22222222-2222-4222-8222-222222222222"},
                "performer": [{"reference": service}],
                "note": [{"text": "Recent falls; lives alone."}],
            },
        },
        {
            "fullUrl": "urn:uuid:22222222-2222-4222-8222-222222222222",
            "resource": {
                "resourceType": "Patient",
                "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": nhs}],
                "name": [{"family": "Chen", "given": ["Cy"]}],
                "birthDate": birth,
                "address": [{"postalCode": "BD3 7HZ"}],
            },
        },
    ]
    if consent:
        entries.append(
            {
                "fullUrl": "urn:uuid:33333333-3333-4333-8333-333333333333",
                "resource": {
                    "resourceType": "Consent",
                    "status": "active",
                    "scope": {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                                "code": "patient-privacy",
                            }
                        ]
                    },
                    "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
                    "patient": {"reference": "urn:uuid:22222222-2222-4222-8222-222222222222"},
                    "policyRule": {"text": "Verbal consent at appointment"},
                    "provision": {
                        "type": "permit",
                        "actor": [
                            {"role": {"text": "recipient"}, "reference": {"reference": service}}
                        ],
                    },
                },
            }
        )
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}
