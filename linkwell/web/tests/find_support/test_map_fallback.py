"""The results' places as a list: what the map falls back to without JavaScript, with an
address and directions for each place, and what the map's script is given to draw."""

import json
import re

import pytest

from linkwell.directory.records import AddressRecord, LocationRecord
from linkwell.directory.tests.page_services import make_services, service_record

pytestmark = pytest.mark.django_db

HALL = LocationRecord(
    name="St Mary's Hall",
    postcode="BD3 7HZ",
    latitude=53.7961,
    longitude=-1.7321,
    addresses=[AddressRecord("12 Church Lane", "Bradford", "BD3 7HZ")],
)


def venues_of(html: str) -> str:
    found = re.search(r'<details class="venues".*?</details>', html, re.S)
    assert found, "the page lists the places on the map"
    return found.group(0)


def test_each_place_is_listed_once_with_its_address_services_and_directions(client):
    lunch, cafe = make_services(
        service_record("Lunch club", locations=[HALL]),
        service_record("Memory cafe", locations=[HALL]),
    )

    html = client.get("/services/").content.decode()

    venues = venues_of(html)
    assert "Where these services are: 1 place, with directions" in venues
    assert venues.count('class="venue"') == 1, "two services at one hall: one place"
    assert "<strong>St Mary&#x27;s Hall</strong>" in venues
    assert "12 Church Lane, Bradford, BD3 7HZ" in venues
    assert f'href="/services/{lunch.id}/">Lunch club</a>' in venues
    assert f'href="/services/{cafe.id}/">Memory cafe</a>' in venues
    assert (
        'href="https://www.openstreetmap.org/directions?to=53.7961%2C-1.7321">'
        "Get directions to St Mary&#x27;s Hall</a>"
    ) in venues


def test_without_javascript_the_list_stands_open_where_the_map_would_be(client):
    make_services(service_record("Lunch club", locations=[HALL]))

    html = client.get("/services/").content.decode()

    assert '<details class="venues" id="results-venues" open>' in html
    assert html.index('id="results-map"') < html.index('id="results-venues"')
    # The map button is for script to show; without it, nothing points at an empty map.
    assert re.search(r'<button[^>]*class="[^"]*map-toggle[^"]*"[^>]*\bhidden>', html)


def test_the_map_script_gets_its_places_and_its_texts_from_the_page(client):
    make_services(service_record("Lunch club", locations=[HALL]))

    html = client.get("/services/").content.decode()

    items = json.loads(re.search(r'id="map-items"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert items == [
        {
            "name": "Lunch club",
            "url": items[0]["url"],
            "lat": 53.7961,
            "lon": -1.7321,
            "place": "St Mary's Hall",
        }
    ]
    assert 'data-directions-label="Get directions to %(place)s"' in html
    assert 'data-places-label="%(count)s places: %(names)s"' in html
    assert 'data-zoom-label="Zoom in to these places"' in html


def test_services_with_no_place_on_the_map_list_no_places(client):
    make_services(service_record("Phone befriending", locations=[]))

    html = client.get("/services/").content.decode()

    assert "Phone befriending" in html
    assert 'class="venues"' not in html
