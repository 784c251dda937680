"""The search page over the one search engine: services covering the area say so, a typo
gets a "did you mean" link, and advice for an empty search never contradicts itself."""

import pytest

from linkwell.directory.needs import InferredNeed
from linkwell.directory.records import LocationRecord, ServiceAreaRecord, TermRef
from linkwell.directory.search import relevance, suggestions
from linkwell.directory.tests.page_services import make_services, service_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_caches():
    relevance.signalled_needs.cache_clear()
    suggestions.clear_cache()
    yield
    relevance.signalled_needs.cache_clear()
    suggestions.clear_cache()


def html_of(client, **params) -> str:
    response = client.get("/services/", params)
    assert response.status_code == 200
    return response.content.decode()


def plain(name: str, **fields):
    return service_record(name, **{"terms": [], **fields})


@pytest.fixture
def district(place_data):
    return make_services(
        plain("Lunch club"),  # at BD1 1AA
        plain(
            "District falls team",
            description="Falls prevention at home.",
            locations=[],
            service_areas=[ServiceAreaRecord(whole_place=True)],
        ),
        plain(
            "Ilkley yoga",
            description="Yoga by the river.",
            locations=[LocationRecord(name="Ilkley station", postcode="LS29 8AA")],
        ),
    )


def test_a_service_covering_the_area_comes_after_nearby_ones_tagged_so(client, district):
    html = html_of(client, postcode="BD1 1AA", distance="5")

    assert "2 services within 5 km of BD1 1AA or covering its area" in html
    assert html.index("Lunch club") < html.index("District falls team")
    tag = html.index("Covers your area")
    assert html.index("District falls team") < tag
    assert html.count("Covers your area") == 1


def test_the_field_asks_for_a_postcode_or_a_place(client, district):
    html = html_of(client)

    assert '<label for="id_postcode">Postcode or place</label>' in html


def test_a_typo_offers_the_corrected_search_as_a_link(client, district):
    html = html_of(client, q="yoag")

    assert 'Did you mean <a href="/services/?q=yoga">yoga</a>?' in html
    assert "Check the spelling" not in html  # the link says it better


def test_nothing_near_offers_the_search_without_the_place_as_a_link(client, district):
    html = html_of(client, q="yoga", postcode="BD1 1AA", distance="1")

    assert "No services match your search." in html
    assert "nothing matches within 10 km" not in html
    assert '<a href="/services/?q=yoga">Search without the place: 1 service</a>' in html


def test_filters_can_all_be_removed_with_one_link(client, district):
    html = html_of(client, q="yoga", free="on", accessible="on")

    assert '<a href="/services/?q=yoga">Remove all the filters</a>' in html


def test_a_need_the_words_signal_is_offered_as_a_browse_link(client, place_data, monkeypatch):
    make_services(
        plain(
            "Good neighbours",
            description="Volunteers who visit.",
            minimum_age=60,
            terms=[TermRef("linkwell-needs", "loneliness")],
        )
    )
    monkeypatch.setattr(
        relevance,
        "infer_needs",
        lambda text, language=None: [InferredNeed("loneliness", 0.9, ("lonely",))],
    )

    html = html_of(client, q="lonely", age="30")

    assert "No services match your search." in html
    assert "Browse services for “Loneliness and isolation”" not in html  # finds none either
    html = html_of(client, q="lonely", age="70")
    assert "Good neighbours" in html  # the need's services answer the words themselves
