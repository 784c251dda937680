"""Bad input gets a 400 naming the parameter and the reason; unknown ids a 404."""

import uuid

import pytest

BAD = [
    ("/services", {"page": "0"}, "page"),
    ("/services", {"page": "two"}, "page"),
    ("/services", {"page": "1.5"}, "page"),
    ("/services", {"per_page": "0"}, "per_page"),
    ("/services", {"per_page": "many"}, "per_page"),
    ("/services", {"start_time": "9am"}, "start_time"),
    ("/services", {"end_time": "25:00"}, "end_time"),
    ("/services", {"day": "someday"}, "day"),
    ("/services", {"modified_after": "yesterday"}, "modified_after"),
    ("/services", {"taxonomy_term_id": "loneliness"}, "taxonomy_term_id"),
    ("/services", {"taxonomy_id": "123"}, "taxonomy_id"),
    ("/services", {"organization_id": "x"}, "organization_id"),
    ("/services", {"minimum_age": "old"}, "minimum_age"),
    ("/services", {"maximum_age": "-1"}, "maximum_age"),
    ("/services", {"format": "xml"}, "format"),
    ("/service_at_locations", {"postcode": "not a postcode"}, "postcode"),
    ("/service_at_locations", {"postcode": "LS1 4AP"}, "postcode"),
    ("/service_at_locations", {"proximity": "1000"}, "proximity"),
    ("/service_at_locations", {"postcode": "BD1 1AA", "proximity": "-5"}, "proximity"),
    ("/service_at_locations", {"postcode": "BD1 1AA", "proximity": "far"}, "proximity"),
    ("/taxonomies", {"page": "-1"}, "page"),
    ("/taxonomy_terms", {"per_page": "0"}, "per_page"),
    ("/services/not-a-uuid", {}, "id"),
    ("/service_at_locations/123", {}, "id"),
    ("/taxonomies/abc", {}, "id"),
    ("/taxonomy_terms/abc", {}, "id"),
]


@pytest.mark.parametrize(("path", "params", "parameter"), BAD)
def test_a_bad_parameter_is_named_with_the_reason(client, db, place_data, path, params, parameter):
    response = client.get(f"/api/v1{path}", params, HTTP_ORIGIN="https://example.net")

    assert response.status_code == 400
    body = response.json()
    assert [e["parameter"] for e in body["errors"]] == [parameter]
    assert body["errors"][0]["reason"]
    assert body["detail"].startswith(f"{parameter}: ")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_place_not_understood_is_a_400_naming_postcode_and_what_to_type(client, db, place_data):
    response = client.get("/api/v1/services", {"postcode": "Atlantis"})

    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["parameter"] == "postcode"
    assert "Atlantis" in error["reason"] and "Enter a postcode" in error["reason"]


@pytest.mark.parametrize(
    "path", ["services", "service_at_locations", "taxonomies", "taxonomy_terms"]
)
def test_an_unknown_id_is_not_found(client, db, path):
    response = client.get(f"/api/v1/{path}/{uuid.uuid4()}")
    assert response.status_code == 404
    assert "no " in response.json()["detail"]
