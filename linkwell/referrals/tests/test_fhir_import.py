"""A referral in as FHIR R4 from a GP system: the bundle is read through the R4B models, the
patient matched or registered, consent taken from the Consent, the referral made; a bad
element is refused with its path, and nothing is half-written."""

import copy
import datetime as dt
import json

from linkwell.referrals.models import Consent, Person, Referral, ReferralStatus
from linkwell.referrals.tests.api_scene import (
    call,
    client_for,
    gp_bundle,
    scene_fixture,  # noqa: F401 (the scene fixture)
)
from linkwell.referrals.tests.ecc_world import world  # noqa: F401 (fixture)


def _post(scene, bundle, persona="gp", **headers):
    client = client_for(scene, persona)
    return client.post(
        "/api/v1/referrals/fhir",
        data=json.dumps(bundle),
        content_type="application/fhir+json",
        headers=headers or None,
    )


def test_a_gp_bundle_registers_the_patient_records_consent_and_sends_the_referral(scene):
    response = _post(scene, gp_bundle(scene["falls"].pk))
    assert response.status_code == 201
    referral = Referral.objects.get(pk=response.json()["id"])
    assert (referral.service, referral.status) == (scene["falls"], ReferralStatus.SENT)
    assert referral.reason == "Recent falls; lives alone."
    assert referral.person.nhs_number == "9990000034"
    assert referral.referrer == scene["gp"]
    assert Consent.objects.filter(person=referral.person, service=scene["falls"]).count() == 1


def test_sending_the_same_service_request_again_returns_the_first_referral(scene):
    first = _post(scene, gp_bundle(scene["falls"].pk))
    again = _post(scene, gp_bundle(scene["falls"].pk))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Person.objects.filter(nhs_number="9990000034").count() == 1
    assert Consent.objects.filter(person__nhs_number="9990000034").count() == 1


def test_export_then_import_gives_an_equivalent_referral_for_the_same_person(scene):
    original = scene["to_connectors"]
    exported = client_for(scene, "gp").get(f"/api/v1/referrals/{original.pk}/fhir").json()
    # Withdrawn first, so the practice's cap (2 in this world) leaves room for the copy.
    assert (
        call(client_for(scene, "gp"), "POST", f"/referrals/{original.pk}/cancel", {}).status_code
        == 200
    )
    response = _post(scene, exported)
    assert response.status_code == 201
    copied = Referral.objects.get(pk=response.json()["id"])
    assert copied.pk != original.pk
    assert (copied.person, copied.service, copied.need, copied.reason) == (
        original.person,
        original.service,
        original.need,
        original.reason,
    )
    assert copied.snomed_code == original.snomed_code == "871731000000106"
    assert copied.status == ReferralStatus.SENT


def test_a_birth_date_that_is_not_a_date_is_refused_with_its_element(scene):
    bundle = gp_bundle(scene["falls"].pk, birth="1950-13-04")
    response = _post(scene, bundle)
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "Bundle.entry[1].resource.birthDate"


def test_a_birth_date_in_the_future_is_refused_with_its_element(scene):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = _post(scene, gp_bundle(scene["falls"].pk, birth=tomorrow))
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Bundle.entry[1].resource.birthDate: A date of birth cannot be in the future."
    )


def test_an_invalid_nhs_number_is_refused_with_its_element_and_nothing_is_written(scene):
    response = _post(scene, gp_bundle(scene["falls"].pk, nhs="9990000035"))
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["parameter"] == "Bundle.entry[1].resource.identifier[0].value"
    assert "Modulus 11" in error["reason"]
    assert not Person.objects.filter(family_name="Chen").exists()


def test_a_bundle_without_consent_is_refused_and_the_patient_is_not_kept(scene):
    response = _post(scene, gp_bundle(scene["falls"].pk, consent=False))
    assert response.status_code == 409
    assert "Consent" in response.json()["detail"]
    assert not Person.objects.filter(family_name="Chen").exists()


def test_a_performer_that_is_not_one_of_our_services_is_refused_with_its_element(scene):
    bundle = gp_bundle("00000000-0000-4000-8000-000000000000")
    response = _post(scene, bundle)
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == (
        "Bundle.entry[0].resource.performer[0].reference"
    )


def test_an_unknown_element_or_resource_is_refused_with_its_path(scene):
    bundle = gp_bundle(scene["falls"].pk)
    extra = copy.deepcopy(bundle)
    extra["entry"][1]["resource"]["shoeSize"] = 9
    response = _post(scene, extra)
    assert response.json()["errors"][0]["parameter"] == "Bundle.entry[1].resource.shoeSize"
    bundle["entry"][2]["resource"]["resourceType"] = "Agreement"
    response = _post(scene, bundle)
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == ("Bundle.entry[2].resource.resourceType")


def test_something_that_is_not_a_bundle_is_refused(scene):
    response = _post(scene, {"resourceType": "Patient"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "Bundle.resourceType"
