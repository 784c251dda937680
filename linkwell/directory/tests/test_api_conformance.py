"""Every ORUK endpoint answers documents the ORUK schemas accept, the way the official
validator walks a feed: first, middle and last page, then up to ten records by id."""

import json

import pytest

from linkwell.directory.tests import oruk_directory
from linkwell.directory.tests.oruk_validation import page_problems, problems
from linkwell.directory.vocabularies import stable_id

directory = oruk_directory.directory
API = "/api/v1"


def get(client, path: str, **params):
    response = client.get(f"{API}{path}", params, HTTP_ORIGIN="https://example.net")
    assert response["Access-Control-Allow-Origin"] == "*"
    return response


def walk_pages(client, path: str, item_schema: str, per_page: int) -> list[dict]:
    """First, middle and last page; returns their items."""
    first = get(client, path, per_page=per_page).json()
    assert page_problems(first, item_schema) == []
    total = first["total_pages"]
    items = list(first["contents"])
    for number in sorted({total // 2, total} - {0, 1}):
        page = get(client, path, per_page=per_page, page=number).json()
        assert page_problems(page, item_schema) == []
        assert page["page_number"] == number
        items += page["contents"]
    return items


def empty_values(node, path="") -> list[str]:
    """Paths of null, "" or [] values (ORUK: omit optional fields with no value)."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if value is None or value == "" or value == []:
                found.append(f"{path}/{key}")
            found += empty_values(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += empty_values(value, f"{path}/{i}")
    return found


def test_the_root_says_which_standard_the_feed_follows(client, db):
    details = get(client, "/").json()
    assert details["version"] == "HSDS-UK-3.0"
    assert details["openapi_url"] == "https://openreferraluk.org/specifications/3.0/openapi.json"
    assert details["profile"].startswith("https://")


def test_services_and_each_service_validate(client, directory):
    walked = walk_pages(client, "/services", "service_list.json", per_page=2)
    assert len(walked) == 3  # page 1 (also the middle one) and page 3 of 3
    items = get(client, "/services", per_page=10).json()["contents"]
    assert len(items) == len(directory)
    for item in items:
        document = get(client, f"/services/{item['id']}").json()
        assert problems(document, "service.json") == []
        assert empty_values(document) == []


def test_service_at_locations_and_each_one_validate(client, directory):
    items = walk_pages(client, "/service_at_locations", "service_at_location_list.json", 2)
    assert items
    for item in items[:10]:
        document = get(client, f"/service_at_locations/{item['id']}").json()
        assert problems(document, "service_at_location.json") == []
        assert document["service"]["id"] == item["service_id"]
        assert empty_values(document) == []


def test_taxonomies_and_terms_validate(client, directory):
    taxonomies = walk_pages(client, "/taxonomies", "taxonomy.json", per_page=2)
    terms = walk_pages(client, "/taxonomy_terms", "taxonomy_term.json", per_page=10)
    for item in taxonomies[:10]:
        assert problems(get(client, f"/taxonomies/{item['id']}").json(), "taxonomy.json") == []
    for item in terms[:10]:
        document = get(client, f"/taxonomy_terms/{item['id']}").json()
        assert problems(document, "taxonomy_term.json") == []


def test_the_middle_page_is_neither_first_nor_last(client, directory):
    page = get(client, "/services", per_page=2, page=2).json()
    assert page["size"] == 2
    assert (page["first_page"], page["last_page"], page["empty"]) == (False, False, False)
    last = get(client, "/services", per_page=2, page=3).json()
    assert (last["size"], last["last_page"]) == (1, True)


def test_an_empty_feed_still_answers_a_valid_page(client, db):
    page = get(client, "/services").json()
    assert page_problems(page, "service_list.json") == []
    assert (page["total_items"], page["total_pages"], page["empty"]) == (0, 1, True)


def test_partnership_facts_are_published_as_attributes(client, directory):
    document = get(client, f"/services/{directory['Lunch club']}").json()
    by_term = {a["taxonomy_term_id"]: a for a in document["attributes"]}

    tier = by_term[str(stable_id("term", "linkwell-tiers", "1"))]
    cost = by_term[str(stable_id("term", "linkwell-service-facts", "annual_cost"))]
    partner = by_term[str(stable_id("term", "linkwell-service-facts", "partner"))]
    need = by_term[str(stable_id("term", "linkwell-needs", "loneliness"))]
    assert tier["value"] == "1"
    assert cost["value"] == "12000.00"
    assert partner["value"] == "Example Community Trust"
    assert need["taxonomy_term"]["taxonomy"] == "Linkwell need codes"
    assert by_term[str(stable_id("term", "linkwell-service-facts", "demo"))]["value"] == "all"


def test_where_based_and_where_served_are_both_published(client, directory):
    document = get(client, f"/services/{directory['Lunch club']}").json()
    location = document["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"] == "BD1 1AA"
    assert document["service_areas"][0]["name"] == "City"
    assert document["service_areas"][0]["uri"].endswith("/E05001347")


def test_each_listed_service_carries_its_organization(client, directory):
    page = get(client, "/services").json()
    assert all(item["organization"]["name"] for item in page["contents"])
    assert all("schedules" not in item for item in page["contents"])


def test_ndjson_streams_every_matching_full_service(client, directory):
    response = get(client, "/services", format="ndjson", search="lunch")
    assert response["Content-Type"] == "application/x-ndjson"
    lines = b"".join(response.streaming_content).decode().splitlines()
    documents = [json.loads(line) for line in lines]
    assert [d["name"] for d in documents] == ["Lunch club", "Ilkley walking group"]
    assert all(problems(d, "service.json") == [] for d in documents)


def test_the_openapi_file_documents_the_oruk_responses(client, db):
    spec = client.get(f"{API}/openapi.json").json()
    service = spec["paths"]["/api/v1/services/{id}"]["get"]["responses"]
    schema = service["200"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["id", "name", "status"]
    listed = spec["paths"]["/api/v1/services"]["get"]
    names = {p["name"] for p in listed["parameters"]}
    assert {"search", "page", "per_page", "taxonomy_term_id", "day", "postcode"} <= names
    assert "400" in listed["responses"]


@pytest.mark.parametrize(
    "path",
    ["/services", "/services/not-a-uuid", "/taxonomies/00000000-0000-0000-0000-000000000000"],
)
def test_cors_is_open_on_errors_too(client, db, path):
    response = get(client, path, page="0")
    assert response.status_code in (400, 404)
