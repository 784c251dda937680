"""Every error under /api/ is answered in kind: JSON, in the API's shape, never a 500 for what
a client sent, never Django's HTML pages."""

import json

import pytest
from django.test import Client, RequestFactory

from config.api import api
from linkwell.core import errors
from linkwell.directory.search.results import MAX_PAGE
from linkwell.referrals.tests.api_scene import (
    call,
    client_for,
    scene_fixture,  # noqa: F401 (the scene fixture)
)
from linkwell.referrals.tests.ecc_world import world  # noqa: F401 (fixture)

HUGE = "99999999999999999999"  # past any database integer
PAGED = [
    "/services",
    "/service_at_locations",
    "/taxonomies",
    "/taxonomy_terms",
    "/referrals/made",
    "/referrals/to-answer",
    "/notifications/",
]


def _refused(response, parameter, status=400):
    assert response.status_code == status, response.content
    body = response.json()
    assert [e["parameter"] for e in body["errors"]] == [parameter]
    assert body["detail"].startswith(f"{parameter}: ")
    return body


@pytest.mark.parametrize("path", PAGED)
def test_a_page_past_the_last_allowed_is_refused_naming_page(scene, path):
    response = call(client_for(scene, "admin"), "GET", f"{path}?page={HUGE}")
    _refused(response, "page")


@pytest.mark.parametrize("path", PAGED)
def test_the_last_allowed_page_is_an_empty_page(scene, path):
    response = call(client_for(scene, "admin"), "GET", f"{path}?page={MAX_PAGE}")
    assert response.status_code == 200
    body = response.json()
    assert (body["page_number"], body["contents"], body["empty"]) == (MAX_PAGE, [], True)


@pytest.mark.parametrize("path", PAGED)
def test_a_huge_per_page_is_capped(scene, path, settings):
    settings.API_MAX_PER_PAGE = 2
    response = call(client_for(scene, "firefighter"), "GET", f"{path}?per_page={HUGE}")
    assert response.status_code == 200
    body = response.json()
    assert len(body["contents"]) == min(2, body["total_items"])


def test_every_integer_parameter_is_bounded_in_the_document():
    """So no integer a client may send overflows the database (per_page is capped instead)."""
    unbounded = [
        (path, parameter["name"])
        for path, operations in api.get_openapi_schema()["paths"].items()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter["schema"].get("type") == "integer"
        and parameter["name"] != "per_page"
        and "maximum" not in parameter["schema"]
    ]
    assert unbounded == []


@pytest.mark.parametrize("ids", [[-36797068919080853979529216], [2**63], [0]])
def test_marking_read_an_id_no_row_can_have_is_refused_naming_ids(scene, ids):
    response = call(client_for(scene, "firefighter"), "POST", "/notifications/read", {"ids": ids})
    _refused(response, "ids.0")


def test_marking_read_more_ids_than_one_request_takes_is_refused(scene):
    body = {"ids": list(range(1, 1002))}
    _refused(call(client_for(scene, "firefighter"), "POST", "/notifications/read", body), "ids")


def test_marking_read_someone_elses_id_is_ignored(scene):
    theirs = scene["notification"].pk
    response = call(client_for(scene, "gp"), "POST", "/notifications/read", {"ids": [theirs]})
    assert response.json() == {"marked": 0}


def test_a_goal_id_past_any_row_is_refused(scene):
    path = f"/cases/{scene['case'].pk}/goals/{HUGE}/status"
    response = call(client_for(scene, "connector"), "PUT", path, {"status": "achieved"})
    _refused(response, "goal_id")


def test_places_past_any_service_are_refused(scene):
    path = f"/referrals/services/{scene['falls'].pk}/capacity"
    body = {"mode": "places", "places": int(HUGE)}
    response = call(client_for(scene, "falls_editor"), "PUT", path, body)
    _refused(response, "places")


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/services?search=lunch%00club", "search"),
        ("/services?postcode=BD1%001AA", "postcode"),
        ("/referrals/made?status=sent%00", "status"),
    ],
)
def test_a_nul_character_in_a_query_is_refused_naming_the_parameter(scene, path, parameter):
    _refused(call(client_for(scene, "admin"), "GET", path), parameter)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("proximity=NaN&postcode=BD1%201AA", "proximity"),
        ("proximity=1e400&postcode=BD1%201AA", "proximity"),
        ("minimum_age=Infinity", "minimum_age"),
        ("maximum_age=-1e400", "maximum_age"),
        ("taxonomy_id=not-a-uuid", "taxonomy_id"),
        ("organization_id=" + "f" * 5000, "organization_id"),
        ("page=" + "9" * 5000, "page"),
    ],
)
def test_nonsense_numbers_and_ids_in_a_query_are_refused(client, db, query, parameter):
    _refused(client.get(f"/api/v1/services?{query}"), parameter)


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00"])
def test_a_moment_past_the_end_of_the_calendar_in_utc_is_refused(client, db, when):
    _refused(client.get("/api/v1/services", {"modified_after": when}), "modified_after")


@pytest.mark.parametrize(
    "when", ["2026-01-31T09:30:00", "0001-01-01T00:00:00+14:00", "1899-12-31T23:00:00Z"]
)
def test_a_contact_moment_without_its_offset_or_before_1900_is_refused(scene, when):
    path = f"/people/{scene['ada'].pk}/contacts"
    body = {"kind": "other", "occurred_at": when}
    _refused(call(client_for(scene, "firefighter"), "POST", path, body), "occurred_at")


def test_a_referral_for_an_unknown_need_is_refused_naming_need(scene):
    body = {"person_id": str(scene["ada"].pk), "service_id": str(scene["lunch"].pk)}
    client = client_for(scene, "firefighter")
    _refused(call(client, "POST", "/referrals/", {**body, "need": "x" * 5000}), "need")
    batch = call(client, "POST", "/referrals/batch", {"referrals": [{**body, "need": "nope"}]})
    assert batch.json()["results"][0]["errors"][0]["parameter"] == "need"


def test_a_very_long_search_is_answered(client, db):
    assert client.get("/api/v1/services", {"search": "lunch " * 5000}).status_code == 200


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ('{"ids": [1], "x": "a\\u0000b"}', "x"),
        ('{"referrals": [{"reason": "\\u0000"}]}', "referrals.0.reason"),
        ('{"ids": [NaN]}', "body"),
        ('{"ids": [1e400]}', "ids.0"),
        ("[" * 100_000 + "]" * 100_000, "body"),
        ('{"ids": [1]', "body"),
    ],
)
def test_a_body_that_is_not_json_we_take_is_refused_naming_where(scene, body, parameter):
    client = client_for(scene, "firefighter")
    response = client.post(
        "/api/v1/notifications/read"
        if not parameter.startswith("referrals")
        else "/api/v1/referrals/batch",
        data=body,
        content_type="application/json",
    )
    _refused(response, parameter)


def test_a_body_that_is_not_utf8_is_refused(scene):
    client = client_for(scene, "firefighter")
    response = client.post(
        "/api/v1/notifications/read", data=b'{"ids": ["\xff"]}', content_type="application/json"
    )
    _refused(response, "body")


def test_a_body_past_the_upload_limit_is_413(scene, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = {"ids": list(range(1, 60))}
    response = call(client_for(scene, "firefighter"), "POST", "/notifications/read", body)
    _refused(response, "body", status=413)


@pytest.mark.parametrize(
    "path", ["/api/v1/referrals/not-a-uuid", "/api/v1/nowhere", "/api/v1/people/1/consents"]
)
def test_an_unknown_api_address_is_a_json_404(scene, path):
    response = client_for(scene, "admin").get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert path in response.json()["detail"]


def test_an_unknown_page_address_is_still_the_html_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"Page not found" in response.content


def test_a_method_an_address_does_not_take_is_a_json_405(client, db):
    response = client.delete("/api/v1/services")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response["Allow"] == "GET"
    assert "DELETE" in response.json()["detail"]


def test_a_crash_in_the_api_is_a_json_500_without_the_trace(db, monkeypatch):
    def crash() -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("linkwell.directory.oruk.documents.api_details", crash)
    response = Client(raise_request_exception=False).get("/api/v1/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "secret" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert json.loads(response.content)["detail"]


def test_a_crash_on_a_page_is_the_friendly_500_page(db):
    response = errors.server_error(RequestFactory().get("/services/"))
    assert response.status_code == 500
    assert b"Sorry, something went wrong" in response.content


def test_a_bad_request_under_the_api_is_json(db):
    response = errors.bad_request(RequestFactory().get("/api/v1/services"), ValueError())
    assert response.status_code == 400
    assert json.loads(response.content)["detail"]
