"""POST /api/v1/match: open to anyone, every bad input a 400 naming the field, rate-limited."""

import pytest
from django.core.cache import cache

from linkwell.audit.models import AuditEvent
from linkwell.matching.tests.world import POSTCODE, make_services, service, with_places
from linkwell.places.models import Postcode

URL = "/api/v1/match"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def centre(db, place_data) -> Postcode:
    return Postcode.objects.get(postcode=POSTCODE)


def post(client, body, **extra):
    return client.post(URL, body, content_type="application/json", **extra)


def test_an_anonymous_caller_gets_services_with_reasons_and_nothing_is_audited(client, centre):
    (lunch,) = make_services(service(centre, "Lunch club", ["loneliness"], north_m=800))
    with_places(lunch)
    before = AuditEvent.objects.count()
    response = post(client, {"needs": ["loneliness"], "postcode": "bd1 1aa", "limit": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["inferred_needs"] == []
    (found,) = body["results"]
    assert found["service_id"] == str(lunch.pk) and found["name"] == "Lunch club"
    assert found["needs"] == ["loneliness"] and found["distance_km"] == 0.8
    assert {"0.8 km", "Tuesdays 2pm", "has places"} <= set(found["reasons"])
    assert AuditEvent.objects.count() == before


def test_needs_read_in_the_text_come_back_with_their_evidence(client, centre):
    make_services(service(centre, "Falls class", ["falls_frailty"]))
    response = post(client, {"text": "Worried about falls and frailty", "postcode": POSTCODE})
    assert response.status_code == 200
    inferred = response.json()["inferred_needs"]
    assert "falls_frailty" in [n["code"] for n in inferred]
    assert all(n["evidence"] and 0 <= n["confidence"] <= 1 for n in inferred)
    assert [r["name"] for r in response.json()["results"]] == ["Falls class"]


def test_a_need_only_hinted_at_comes_apart_from_those_read(client, centre):
    make_services(
        service(centre, "Falls class", ["falls_frailty"]),
        service(centre, "Befriending", ["loneliness"]),
    )
    response = post(client, {"text": "x2 falls, lives alone", "postcode": POSTCODE})
    body = response.json()
    assert [n["code"] for n in body["inferred_needs"]] == ["falls_frailty"]
    assert [n["code"] for n in body["possible_needs"]] == ["loneliness"]
    assert body["possible_needs"][0]["confidence"] < 0.5
    hinted = [r for r in body["results"] if r["name"] == "Befriending"]
    assert hinted and hinted[0]["reasons"][0].startswith("in case it helps")


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({}, "text", "Give text or at least one need code"),
        ({"text": "  ", "needs": []}, "text", "Give text or at least one need code"),
        ({"needs": ["flying"]}, "needs", "'flying'"),
        ({"needs": ["food"], "postcode": "Atlantis"}, "postcode", "Atlantis"),
        ({"text": "x" * 5001}, "text", "at most 5,000 characters"),
        ({"needs": ["food"], "limit": 0}, "limit", ""),
        ({"needs": ["food"], "limit": 51}, "limit", ""),
        ({"needs": ["food"], "age": -1}, "age", ""),
        ({"needs": ["food"], "age": 121}, "age", ""),
        ({"needs": ["food"], "max_distance_km": 0.05}, "max_distance_km", ""),
        ({"needs": ["food"], "max_distance_km": 101}, "max_distance_km", ""),
        ({"needs": ["food"], "language": "not a language!"}, "language", "ISO 639"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, db, place_data, body, field, words):
    response = post(client, body)
    assert response.status_code == 400
    problem = response.json()
    assert problem["errors"][0]["parameter"] == field
    assert words in problem["detail"]


def test_too_many_requests_from_one_address_get_429_with_retry_after(client, db, settings):
    settings.MATCH_RATE_LIMIT_PER_IP = 2
    settings.MATCH_RATE_LIMIT_WINDOW_SECONDS = 60
    assert post(client, {"needs": ["food"]}).status_code == 200
    assert post(client, {"needs": ["food"]}).status_code == 200
    refused = post(client, {"needs": ["food"]})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "try again" in refused.json()["detail"]
    elsewhere = post(client, {"needs": ["food"]}, REMOTE_ADDR="10.0.0.9")
    assert elsewhere.status_code == 200


def test_a_limit_of_zero_leaves_limiting_to_a_proxy_in_front(client, db, settings):
    settings.MATCH_RATE_LIMIT_PER_IP = 0
    for _ in range(5):
        assert post(client, {"needs": ["food"]}).status_code == 200


def test_the_endpoint_is_in_the_openapi_document_with_examples(client, db):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/match"]["post"]
    assert "security" not in operation
    assert {"200", "400", "429"} <= set(operation["responses"])
    schemas = document["components"]["schemas"]
    assert schemas["MatchIn"]["examples"][0]["postcode"] == "BD5 0BQ"
    assert schemas["MatchResultOut"]["examples"][0]["results"][0]["reasons"]
