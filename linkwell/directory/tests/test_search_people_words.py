"""What people type, over the demo directory: their words find the services for the need
they mean, and a postcode search keeps the services covering the whole district."""

import pytest
from django.core.management import call_command

from linkwell.directory import models as m
from linkwell.directory.queries import ServiceFilters, paginate, search_services
from linkwell.directory.search import relevance, suggestions
from linkwell.places.queries import find_place


@pytest.fixture
def demo(db, place_data):
    relevance.signalled_needs.cache_clear()
    suggestions.clear_cache()
    call_command("load_demo_directory", verbosity=0)
    yield
    relevance.signalled_needs.cache_clear()
    suggestions.clear_cache()


def first_needs(search: str, count: int = 5) -> set[str]:
    """The need codes of the first `count` services a search finds."""
    ids = [s.id for s in paginate(search_services(ServiceFilters(search=search)), 1, count)]
    codes = m.ServiceAttribute.objects.filter(
        service_id__in=ids, taxonomy_term__taxonomy__key="linkwell-needs"
    ).values_list("taxonomy_term__code", flat=True)
    return set(codes)


@pytest.mark.parametrize(
    ("words", "need"),
    [
        ("lonely", "loneliness"),
        ("lonley", "loneliness"),
        ("dementia", "long_term_condition"),
        ("depression", "mental_wellbeing"),
        ("foodbank", "food"),
        ("smoke alarm", "fire_safety"),
        ("تنہائی", "loneliness"),
        ("loneliness", "loneliness"),
        ("help with my debts", "money_debt"),
        ("falls", "falls_frailty"),
    ],
)
def test_peoples_words_find_services_for_the_need_they_mean(demo, words, need):
    assert need in first_needs(words)


def test_a_district_wide_service_is_kept_near_a_postcode_marked_as_covering_it(demo):
    near = ServiceFilters(need="falls_frailty", postcode="BD5 0BQ", proximity=5000)
    everywhere = search_services(ServiceFilters(need="falls_frailty")).count()

    page = paginate(search_services(near), 1, 50)
    found = [(s.name, s.covers_area) for s in page]

    assert ("Falls Prevention Team", True) in found
    covering = [covers for _name, covers in found]
    assert covering == sorted(covering)  # nearby ones first, then those covering the area
    assert page.total_items == len(found) > 1
    assert page.total_items <= everywhere


def test_debt_advice_near_the_city_centre_finds_services(demo):
    near = ServiceFilters(search="debt advice", postcode="BD1 2AA", proximity=10_000)
    assert search_services(near).count() > 0


def test_a_misspelt_word_is_corrected_from_the_directory(demo):
    assert suggestions.suggest("befriendng") == "befriending"


def test_a_citizen_in_skipton_typing_lonley_finds_befriending_and_lunch_clubs_serving_skipton(
    client, demo
):
    """The search page as a citizen uses it: a misspelt feeling and a town's name."""
    response = client.get("/services/", {"q": "lonley", "postcode": "Skipton", "distance": "5"})

    assert response.status_code == 200
    first = [service.name for service in response.context["page"].items][:5]
    assert "Skipton befriending" in first
    assert "Skipton community lunch club" in first
    skipton = find_place("Skipton")
    for service in response.context["page"].items[:5]:
        areas = m.ServiceArea.objects.filter(service=service)
        assert (
            any(
                area.place_id == skipton.place_id
                or area.ward_id in skipton.ward_ids
                or area.constituency_id in skipton.constituency_ids
                for area in areas
            )
            or service.distance_m is not None
        ), f"{service.name} neither near nor serving Skipton"
