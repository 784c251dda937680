import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linkwell.directory import models as m
from linkwell.directory.tests.page_services import make_service, make_services, service_record

pytestmark = pytest.mark.django_db


def test_the_list_shows_each_services_name_organisation_tier_and_needs(client):
    service = make_service()

    response = client.get("/services/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/services/{service.id}/"' in html
    assert "Cuppa Cake and Company" in html
    assert "Example Community Trust" in html
    assert "Tier 1: universal and community support" not in html  # a staff field now
    assert "Loneliness and isolation, Food" in html


def test_search_words_narrow_the_list(client):
    make_services(
        service_record("Cuppa Cake and Company"),
        service_record("Debt advice drop-in", description="Help with money and bills.", terms=[]),
    )

    html = client.get("/services/", {"q": "debt"}).content.decode()

    assert "Debt advice drop-in" in html
    assert "Cuppa Cake and Company" not in html
    assert "1 service found" in html


def test_no_match_shows_a_clear_empty_state(client):
    make_service()

    response = client.get("/services/", {"q": "zzzzzz"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "0 services found" in html
    assert "No services match your search." in html
    assert "Check the spelling, or use fewer or more general words." in html


def test_an_empty_directory_says_so(client):
    html = client.get("/services/").content.decode()

    assert "No services are listed yet." in html


def postcode_error(html: str) -> str:
    found = re.search(r'<p class="error-message" id="id_postcode-error">(.*?)</p>', html, re.S)
    assert found, "no error at the postcode field"
    return found.group(1)


def test_a_place_not_understood_is_explained_next_to_the_field(client):
    response = client.get("/services/", {"postcode": "not a place"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "not a place" in postcode_error(html)
    assert "Enter a postcode" in postcode_error(html)  # what to type instead
    assert 'aria-invalid="true"' in html
    assert '<a href="#id_postcode">' in html  # the error summary leads to the field


def test_a_postcode_outside_the_place_data_is_explained(client):
    response = client.get("/services/", {"postcode": "SW1A 1AA"})

    assert response.status_code == 400
    assert "SW1A 1AA" in postcode_error(response.content.decode())


def test_defunct_services_are_not_listed(client):
    make_services(service_record("Closed club", status=m.ServiceStatus.DEFUNCT))

    assert "Closed club" not in client.get("/services/").content.decode()


def test_results_are_paged_twenty_at_a_time_keeping_the_search(client):
    make_services(*[service_record(f"Lunch club {n:02d}") for n in range(25)])

    first = client.get("/services/", {"q": "lunch"}).content.decode()
    second = client.get("/services/", {"q": "lunch", "page": 2}).content.decode()

    assert "25 services found" in first
    assert "Page 1 of 2" in first
    assert 'href="?q=lunch&amp;page=2"' in first
    assert first.count('class="result"') == 20
    assert second.count('class="result"') == 5
    assert "Page 2 of 2" in second
    assert 'rel="next"' not in second
    assert 'href="?q=lunch&amp;page=1"' in second


def test_a_page_past_the_end_shows_the_last_page(client):
    make_services(*[service_record(f"Lunch club {n:02d}") for n in range(21)])

    html = client.get("/services/", {"page": 9}).content.decode()

    assert "Page 2 of 2" in html
    assert html.count('class="result"') == 1


def test_with_a_postcode_the_nearest_services_come_first_with_their_distance(client, place_data):
    from linkwell.directory.records import LocationRecord
    from linkwell.places.models import Postcode

    centroid = Postcode.objects.get(postcode="BD1 1AA")
    lat, lon = centroid.latitude, centroid.longitude
    make_services(
        service_record(
            "Far club", locations=[LocationRecord(name="Far", latitude=lat + 0.03, longitude=lon)]
        ),
        service_record(
            "Near club",
            locations=[LocationRecord(name="Near", latitude=lat + 0.001, longitude=lon)],
        ),
    )

    html = client.get("/services/", {"postcode": "bd11aa"}).content.decode()

    assert html.index("Near club") < html.index("Far club")
    assert "about 0.1 km away" in html


def test_the_list_costs_the_same_few_queries_however_many_services_it_shows(client):
    def queries_for_a_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/services/", {"q": "lunch"})
        assert response.status_code == 200
        return len(queries)

    # (three or more: fewer would also look for a "did you mean")
    make_services(*[service_record(f"Lunch club {n:02d}") for n in range(3)])
    queries_for_a_page()  # the first page fills the process's caches
    few = queries_for_a_page()
    make_services(*[service_record(f"Lunch club {n:02d}") for n in range(3, 20)])
    many = queries_for_a_page()

    # Bounded, whatever the count: the words' matches, the next tier's when they do not fill
    # the page (services tagged with the need the words signal: lunch, food), the page's
    # services; where, when, cost; the places' addresses; the count.
    assert few <= 12
    assert many <= few
    response = client.get("/services/", {"q": "lunch"})
    assert response.content.decode().count('class="result"') == 20
