"""Each /services and /service_at_locations parameter narrows or orders the results."""

import pytest

from linkwell.directory.tests import oruk_directory
from linkwell.directory.vocabularies import stable_id

directory = oruk_directory.directory


def names(client, path="/services", **params) -> list[str]:
    page = client.get(f"/api/v1{path}", {"per_page": 50, **params}).json()
    if path == "/services":
        return [item["name"] for item in page["contents"]]
    return [item["service"]["name"] for item in page["contents"]]


def test_search_ranks_a_name_match_above_a_description_mention(client, directory):
    assert names(client, search="lunch") == ["Lunch club", "Ilkley walking group"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"taxonomy_term_id": str(stable_id("term", "linkwell-needs", "carers"))},
            ["Heaton carers cafe"],
        ),
        (
            {"taxonomy_id": str(stable_id("taxonomy", "linkwell-tiers"))},
            [],  # tiers are published as attributes but are not tags of the services
        ),
        ({"minimum_age": 18.5}, ["Lunch club"]),
        ({"maximum_age": 25}, ["Online wellbeing chat"]),
        ({"day": "saturday"}, ["Ilkley walking group"]),
        ({"day": "MO"}, ["Keighley debt advice"]),
        ({"start_time": "12:00", "end_time": "14:00:00"}, ["Lunch club"]),
        ({"modified_after": "2026-09-30T00:00:00Z", "search": "walk"}, []),
        ({"modified_after": "2026-08-01", "search": "walk"}, ["Ilkley walking group"]),
    ],
)
def test_each_filter_narrows_the_services(client, directory, params, expected):
    assert names(client, **params) == expected


def test_a_need_taxonomy_keeps_every_service_tagged_from_it(client, directory):
    needs = str(stable_id("taxonomy", "linkwell-needs"))
    assert len(names(client, taxonomy_id=needs)) == len(directory)


def test_filters_are_cumulative(client, directory):
    assert names(client, day="WE", minimum_age=18) == [
        "Heaton carers cafe",
        "Keighley debt advice",
    ]
    assert names(client, day="WE", search="carers", end_time="17:00") == []


def test_organization_id_keeps_its_services(client, directory):
    org = client.get(f"/api/v1/services/{directory['Keighley debt advice']}").json()
    found = names(client, organization_id=org["organization_id"])
    assert found == ["Keighley debt advice", "Online wellbeing chat"]


def test_a_postcode_keeps_services_whose_area_covers_it_nearest_first(client, directory):
    # Heaton's cafe serves Heaton ward and the advice shop Keighley: neither covers BD1 1AA.
    assert names(client, postcode="bd1 1aa") == [
        "Lunch club",
        "Ilkley walking group",
        "Online wellbeing chat",
    ]
    assert "Keighley debt advice" in names(client, postcode="BD21 3AA")


def test_proximity_orders_by_distance_and_drops_far_services(client, directory):
    near = names(client, "/service_at_locations", postcode="BD1 1AA", proximity=20000)
    assert near == ["Lunch club", "Ilkley walking group"]
    assert names(client, "/service_at_locations", postcode="BD1 1AA", proximity=1000) == [
        "Lunch club"
    ]


def test_per_page_is_capped(client, directory, settings):
    settings.API_MAX_PER_PAGE = 2
    page = client.get("/api/v1/services", {"per_page": 500}).json()
    assert (page["size"], page["total_pages"]) == (2, 3)


def test_a_page_past_the_end_is_empty(client, directory):
    page = client.get("/api/v1/services", {"page": 9}).json()
    assert (page["empty"], page["size"], page["last_page"]) == (True, 0, True)
