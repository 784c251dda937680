"""A referral out as FHIR R4: a Bundle the R4B models accept, with the SNOMED CT code of a
social prescribing referral, the Task's status as FHIR names it, and only the Patient
fields the reader may see."""

import json

from fhir.resources.R4B.bundle import Bundle

from linkwell.referrals import actions
from linkwell.referrals.tests.api_scene import (
    call,
    client_for,
    scene_fixture,  # noqa: F401 (the scene fixture)
)
from linkwell.referrals.tests.ecc_world import world  # noqa: F401 (fixture)


def _export(scene, persona, referral):
    response = call(client_for(scene, persona), "GET", f"/referrals/{referral.pk}/fhir")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    bundle = Bundle.model_validate(json.loads(response.content))  # valid R4B
    return {e.resource.get_resource_type(): e.resource for e in bundle.entry}, bundle


def test_a_social_prescribing_referral_carries_its_snomed_code_and_statuses(scene):
    found, bundle = _export(scene, "admin", scene["to_connectors"])
    assert bundle.type == "collection"
    request, task = found["ServiceRequest"], found["Task"]
    assert [(c.system, c.code) for c in request.code.coding] == [
        ("http://snomed.info/sct", "871731000000106")
    ]
    assert (request.status, request.intent) == ("active", "order")
    assert request.performer[0].reference == f"HealthcareService/{scene['connectors'].pk}"
    assert task.status == "accepted"
    assert task.focus.reference == f"urn:uuid:{scene['to_connectors'].pk}"


def test_a_declined_social_prescribing_referral_says_why_and_is_coded(scene):
    referral = scene["to_connectors"]
    actions.cancel_referral(referral, actor=scene["gp"], via="test")  # frees the case's place
    bob, gp = scene["bob"], scene["gp"]
    again = actions.make_referral(
        actor=gp, via="test", person=bob, service=scene["connectors"]
    ).referral
    actions.decline_referral(again, actor=scene["connector"], via="test", reason="Moved away")
    found, _ = _export(scene, "gp", again)
    task = found["Task"]
    assert task.status == "rejected"
    assert task.statusReason.text == "Moved away"
    assert task.businessStatus.coding[0].code == "871711000000103"
    assert found["ServiceRequest"].status == "revoked"


def test_the_patient_holds_the_nhs_number_for_a_reader_allowed_to_see_it(scene):
    found, _ = _export(scene, "admin", scene["sent"])
    patient = found["Patient"]
    assert [(i.system, i.value) for i in patient.identifier] == [
        ("https://fhir.nhs.uk/Id/nhs-number", "9990000018")
    ]
    assert str(patient.birthDate) == "1941-05-02"


def test_a_fire_service_referrer_gets_a_patient_with_the_name_only(scene):
    found, _ = _export(scene, "firefighter", scene["sent"])
    patient = found["Patient"]
    assert patient.name[0].family == "Okafor"
    assert (patient.identifier, patient.birthDate, patient.telecom, patient.address) == (
        None,
        None,
        None,
        None,
    )


def test_consent_to_share_with_other_services_is_not_exported(scene):
    _, bundle = _export(scene, "falls_editor", scene["sent"])
    consents = [e.resource for e in bundle.entry if e.resource.get_resource_type() == "Consent"]
    actors = [a.reference.reference for c in consents for a in (c.provision.actor or [])]
    assert actors == [f"HealthcareService/{scene['falls'].pk}"]
    assert all(c.provision.type == "permit" for c in consents)


def test_exporting_is_a_read_of_the_person_and_audited(scene):
    from linkwell.audit.models import AuditEvent

    _export(scene, "falls_editor", scene["sent"])
    event = AuditEvent.objects.filter(action="referrals.person.viewed").latest("at")
    assert (event.via, event.target_id) == ("api:GET /referrals/{id}/fhir", str(scene["ada"].pk))
