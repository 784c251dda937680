from linkwell.places import testing
from linkwell.places.tests.helpers import csv_rows


def test_a_postcode_is_looked_up_by_the_api(client, db, place_data):
    response = client.get("/api/v1/places/postcodes/bd11aa")
    assert response.status_code == 200
    body = response.json()
    assert body["postcode"] == testing.KNOWN_POSTCODE
    assert body["ward_code"] == testing.KNOWN_POSTCODE_WARD_CODE
    assert body["constituency_name"] == testing.KNOWN_POSTCODE_CONSTITUENCY_NAME
    assert body["latitude"] == testing.KNOWN_POSTCODE_LATITUDE


def test_a_malformed_postcode_is_a_bad_request_naming_the_parameter(client, db):
    response = client.get("/api/v1/places/postcodes/not-a-postcode")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("postcode:")


def test_an_unknown_postcode_is_not_found(client, db, place_data):
    response = client.get("/api/v1/places/postcodes/LS1%204AP")
    assert response.status_code == 404
    assert response.json()["detail"] == "postcode LS1 4AP is not in the place data"


def test_a_point_is_looked_up_by_the_api(client, db, place_data):
    response = client.get(
        "/api/v1/places/lookup",
        {"lat": testing.KNOWN_POSTCODE_LATITUDE, "lon": testing.KNOWN_POSTCODE_LONGITUDE},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["ward"] == {
        "code": testing.KNOWN_POSTCODE_WARD_CODE,
        "name": testing.KNOWN_POSTCODE_WARD_NAME,
    }
    assert body["constituency"]["code"] == testing.KNOWN_POSTCODE_CONSTITUENCY_CODE
    assert body["small_area"]["vintage"] == 2011


def test_a_point_out_of_range_is_a_bad_request_naming_the_parameter(client, db):
    response = client.get("/api/v1/places/lookup", {"lat": 53.8, "lon": 200})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("lon:")


def test_wards_constituencies_and_attributions_are_listed(client, db, place_data):
    wards = client.get("/api/v1/places/wards").json()
    lookup = {row["ward_code"]: row for row in csv_rows("*ward_constituency_lookup*.csv")}
    assert {ward["code"] for ward in wards} == set(lookup)
    assert all(ward["locality"] == lookup[ward["code"]]["pcon10_name"] for ward in wards)
    constituencies = client.get("/api/v1/places/constituencies").json()
    assert {c["code"] for c in constituencies} == {r["pcon10_code"] for r in lookup.values()}
    (attribution,) = client.get("/api/v1/places/attributions").json()
    assert attribution["place"] == place_data.slug
    assert "© OpenStreetMap contributors" in attribution["attributions"]


def test_the_places_endpoints_are_described_in_the_openapi_schema(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "postcodes/{postcode}",
        "find",
        "lookup",
        "wards",
        "constituencies",
        "attributions",
    ):
        assert f"/api/v1/places/{path}" in paths


def test_a_town_name_is_found_by_the_api_with_its_wards(client, db, place_data):
    response = client.get("/api/v1/places/find", {"q": "skipton"})
    assert response.status_code == 200
    body = response.json()
    assert (body["label"], body["kind"], body["postcode"]) == ("Skipton", "town", "")
    assert {ward["name"] for ward in body["wards"]} == {
        "Skipton East & South",
        "Skipton North & Embsay-with-Eastby",
        "Skipton West & West Craven",
    }


def test_an_outward_code_is_found_by_the_api(client, db, place_data):
    body = client.get("/api/v1/places/find", {"q": "BD23"}).json()
    assert (body["label"], body["kind"]) == ("BD23 (Skipton)", "outward_code")


def test_a_place_not_understood_is_a_bad_request_saying_what_to_type(client, db, place_data):
    response = client.get("/api/v1/places/find", {"q": "Atlantis"})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("q: ") and "Atlantis" in detail and "BD5 0BQ" in detail
    too_long = client.get("/api/v1/places/find", {"q": "x" * 201})
    assert too_long.status_code == 400
    assert too_long.json()["detail"] == "q: at most 200 characters"
