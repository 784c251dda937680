import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linkwell.directory.oruk import documents as oruk
from linkwell.directory.queries import (
    PlaceNotUnderstood,
    ServiceFilters,
    get_service,
    paginate,
    search_service_at_locations,
    search_services,
    service_summary_queryset,
)
from linkwell.directory.tests import oruk_directory
from linkwell.directory.vocabularies import stable_id

directory = oruk_directory.directory


def names(filters: ServiceFilters) -> list[str]:
    return [s.name for s in search_services(filters)]


def test_without_filters_every_service_is_listed_by_name(directory):
    assert names(ServiceFilters()) == sorted(directory, key=str.lower)


def test_a_name_match_ranks_above_a_description_mention(directory):
    assert names(ServiceFilters(search="lunch")) == ["Lunch club", "Ilkley walking group"]


def test_search_finds_services_by_their_taxonomy_words(directory):
    assert names(ServiceFilters(search="loneliness")) == ["Lunch club"]


def test_search_syntax_is_treated_as_plain_words(directory):
    assert names(ServiceFilters(search='lunch" OR name:*')) == names(
        ServiceFilters(search="lunch name")
    )
    assert names(ServiceFilters(search="  (lunch)  ")) == ["Lunch club", "Ilkley walking group"]


def test_a_taxonomy_term_narrows_to_services_tagged_with_it(directory):
    term = stable_id("term", "linkwell-needs", "money_debt")
    assert names(ServiceFilters(taxonomy_term_id=term)) == ["Keighley debt advice"]


def test_ages_follow_the_oruk_meaning(directory):
    assert names(ServiceFilters(minimum_age=60)) == ["Lunch club"]
    assert names(ServiceFilters(maximum_age=80)) == [
        "Ilkley walking group",
        "Online wellbeing chat",
    ]
    assert names(ServiceFilters(age=70)) == [
        "Heaton carers cafe",
        "Ilkley walking group",
        "Keighley debt advice",
        "Lunch club",
    ]


def test_day_and_times_narrow_by_schedule(directory):
    assert names(ServiceFilters(day="WE")) == ["Heaton carers cafe", "Keighley debt advice"]
    assert names(ServiceFilters(day="WE", end_time=dt.time(17))) == ["Keighley debt advice"]
    assert names(ServiceFilters(start_time=dt.time(12))) == ["Heaton carers cafe", "Lunch club"]


def test_postcode_keeps_services_covering_it_nearest_first(directory):
    results = search_services(ServiceFilters(postcode="BD1 1AA"))
    page = paginate(results, 1, 10)

    assert [s.name for s in page] == [
        "Lunch club",
        "Ilkley walking group",
        "Online wellbeing chat",
    ]
    assert page.items[0].distance_m < 50
    assert 10_000 < page.items[1].distance_m < 20_000
    assert page.items[2].distance_m is None


def test_proximity_keeps_nearby_services_then_those_covering_the_area(directory):
    page = paginate(search_services(ServiceFilters(postcode="BD1 1AA", proximity=5000)), 1, 10)

    # The walking group (no area named, located in Ilkley) is neither near nor local.
    assert [(s.name, s.covers_area) for s in page] == [
        ("Lunch club", False),
        ("Online wellbeing chat", True),  # serves the whole district, has no venue
    ]
    assert page.total_items == 2
    assert page.items[1].distance_m is None
    assert names(ServiceFilters(postcode="BD21 3AA", proximity=100)) == [
        "Keighley debt advice",
        "Online wellbeing chat",
    ]


def test_a_place_not_understood_is_refused_saying_what_to_type(directory):
    with pytest.raises(PlaceNotUnderstood, match="LS1 4AP"):
        search_services(ServiceFilters(postcode="LS1 4AP"))
    with pytest.raises(PlaceNotUnderstood, match="Enter a postcode"):
        search_services(ServiceFilters(postcode="nowhere"))


def test_service_at_locations_follow_the_same_filters(directory):
    results = search_service_at_locations(ServiceFilters(postcode="BD1 1AA", proximity=20_000))
    assert [sal.service.name for sal in results] == ["Lunch club", "Ilkley walking group"]


def test_pages_hold_the_envelope_figures(directory):
    page = paginate(search_services(ServiceFilters()), page=2, per_page=2)
    assert (page.total_items, page.total_pages, page.size) == (5, 3, 2)
    assert not page.first_page and not page.last_page


def test_a_page_of_list_items_takes_the_same_queries_whatever_its_size(directory):
    def items(per_page: int) -> tuple[list[dict], int]:
        with CaptureQueriesContext(connection) as queries:
            results = search_services(ServiceFilters())
            page = paginate(results, 1, per_page, service_summary_queryset())
            found = [oruk.service_summary(s) for s in page]
        return found, len(queries)

    (one, one_queries), (five, five_queries) = items(1), items(5)

    assert one_queries == five_queries  # nothing a list item shows is read row by row
    assert [item["name"] for item in five] == sorted(directory, key=str.lower)
    assert five[0] == oruk.service_summary(get_service(five[0]["id"]))
    assert one == five[:1]


def test_a_service_is_fetched_with_all_it_holds(directory, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        service = get_service(directory["Lunch club"])
        assert {lang.code for lang in service.languages.all()} == {"ur", "en"}
        assert service.service_at_locations.all()[0].location.addresses.all()[0].city == "Bradford"


def test_search_with_a_postcode_orders_matches_by_distance(directory):
    assert names(ServiceFilters(search="lunch", postcode="BD1 1AA")) == [
        "Lunch club",
        "Ilkley walking group",
    ]
    assert names(ServiceFilters(search="lunch", postcode="LS29 8AA")) == [
        "Ilkley walking group"  # the lunch club serves City ward only
    ]
    assert names(ServiceFilters(search="walks", postcode="BD1 1AA", proximity=2000)) == []


def test_search_with_other_filters_keeps_only_services_meeting_all(directory):
    assert names(ServiceFilters(search="lunch", day="SA")) == ["Ilkley walking group"]
    assert names(ServiceFilters(search="lunch", statuses=("inactive",))) == []
