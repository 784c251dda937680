"""A GP system's bundle that is not one we can take is refused in kind (400 with the element's
path, 415 for another media type), never a 500, and nothing is written."""

import json

import pytest

from linkwell.referrals.models import Referral
from linkwell.referrals.tests.api_scene import (
    client_for,
    gp_bundle,
    scene_fixture,  # noqa: F401 (the scene fixture)
)
from linkwell.referrals.tests.ecc_world import world  # noqa: F401 (fixture)

PATH = "/api/v1/referrals/fhir"


def _post(scene, body, content_type="application/fhir+json"):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client_for(scene, "gp").post(PATH, data=data, content_type=content_type)


def _refused_at(response, path, status=400):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["errors"][0]["parameter"] == path
    assert body["detail"].startswith(f"{path}: ")
    return body


def test_a_bundle_nested_too_deep_is_refused(scene):
    deep = '{"resourceType": "Bundle", "entry": ' + "[" * 100_000 + "]" * 100_000 + "}"
    _refused_at(_post(scene, deep), "Bundle")


def test_nesting_below_the_limit_is_read_as_usual(scene):
    bundle = gp_bundle(scene["falls"].pk)
    bundle["entry"][1]["resource"]["extension"] = [{"url": "https://x.example/a"}]
    assert _post(scene, bundle).status_code == 201


@pytest.mark.parametrize(
    ("entry", "path"),
    [
        ({"resource": "x"}, "Bundle.entry[0].resource"),
        ({"resource": ["x"]}, "Bundle.entry[0].resource"),
        ({}, "Bundle.entry[0].resource"),
        ("x", "Bundle.entry[0]"),
        (None, "Bundle.entry[0]"),
    ],
)
def test_an_entry_that_is_not_a_resource_is_refused_with_its_path(scene, entry, path):
    _refused_at(_post(scene, {"resourceType": "Bundle", "entry": [entry]}), path)


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "multipart/form-data"])
def test_another_media_type_is_415(scene, content_type):
    held = Referral.objects.count()
    body = json.dumps(gp_bundle(scene["falls"].pk))
    body = _refused_at(_post(scene, body, content_type=content_type), "Content-Type", status=415)
    assert "application/fhir+json" in body["detail"]
    assert Referral.objects.count() == held


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/fhir+json; charset=utf-8", "Application/JSON"]
)
def test_fhir_json_and_plain_json_are_both_read(scene, content_type):
    response = _post(scene, gp_bundle(scene["falls"].pk), content_type=content_type)
    assert response.status_code == 201


@pytest.mark.parametrize(
    "status", ["draft", "on-hold", "revoked", "completed", "entered-in-error", "unknown"]
)
def test_a_service_request_that_is_not_active_is_refused(scene, status):
    held = Referral.objects.count()
    bundle = gp_bundle(scene["falls"].pk)
    bundle["entry"][0]["resource"]["status"] = status
    body = _refused_at(_post(scene, bundle), "Bundle.entry[0].resource.status")
    assert "active" in body["detail"]
    assert Referral.objects.count() == held


def test_a_status_outside_the_value_set_is_refused_naming_the_value_set(scene):
    bundle = gp_bundle(scene["falls"].pk)
    bundle["entry"][0]["resource"]["status"] = "sent"
    body = _refused_at(_post(scene, bundle), "Bundle.entry[0].resource.status")
    assert "request-status" in body["detail"]


def test_a_nul_character_is_refused_with_its_path(scene):
    bundle = gp_bundle(scene["falls"].pk)
    bundle["entry"][1]["resource"]["name"][0]["family"] = "Ch\x00en"
    _refused_at(_post(scene, bundle), "Bundle.entry[1].resource.name[0].family")


@pytest.mark.parametrize("body", ['{"resourceType": "Bundle", "total": NaN}', b"\xff\xfe{}", "{"])
def test_what_is_not_strict_json_is_refused(scene, body):
    _refused_at(_post(scene, body), "Bundle")
