"""The service page: how to ask for contact, languages, cost, map data, sharing and printing."""

import datetime as dt
from pathlib import Path

import pytest

from linkwell.directory.records import CostOptionRecord, LocationRecord
from linkwell.directory.tests.page_services import make_service

pytestmark = pytest.mark.django_db


def page(client, service) -> str:
    response = client.get(f"/services/{service.id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_offers_to_ask_the_service_to_get_in_touch(client):
    service = make_service()

    html = page(client, service)

    assert f'href="/services/{service.id}/contact/"' in html
    assert "Ask this service to contact you" in html


def test_languages_are_named_even_when_only_a_code_was_given(client):
    service = make_service(languages=[("ur", "Urdu"), ("pl", "")])

    html = page(client, service)

    assert "<dt>Offered in</dt><dd>Urdu, Polish</dd>" in html


def test_the_page_says_when_the_listing_was_last_checked(client):
    service = make_service(assured_date=dt.date(2026, 9, 14))

    assert "Last checked: 14 September 2026" in page(client, service)


def test_cost_is_given_or_said_to_be_unknown(client):
    free = make_service("Free club", cost_options=[CostOptionRecord(option="Free")])
    unknown = make_service("Mystery club", cost_options=[])

    assert "<dt>Cost</dt><dd>Free</dd>" in page(client, free)
    assert "Not recorded: ask the service" in page(client, unknown)


def test_a_located_service_has_a_map_and_an_unlocated_one_none(client):
    located = make_service(
        "Mapped club", locations=[LocationRecord(name="Hall", latitude=53.79, longitude=-1.75)]
    )
    unlocated = make_service("Unmapped club", locations=[LocationRecord(name="Somewhere")])

    assert 'id="service-map-items"' in page(client, located)
    assert '"lat": 53.79' in page(client, located)
    assert 'id="service-map"' not in page(client, unlocated)


def test_the_link_to_share_is_visible_without_javascript(client):
    service = make_service()

    html = page(client, service)

    assert (
        f'<a href="http://testserver/services/{service.id}/" class="share-url url-shown">' in html
    )
    assert "Copy link" in html  # a button the script reveals
    assert 'class="button button-secondary copy-link"' in html and "hidden>" in html


def test_a_long_unchecked_listing_still_opens_with_its_banner(client, settings):
    settings.LISTING_STALE_AFTER_DAYS, settings.LISTING_STALE_GRACE_DAYS = 10, 10
    service = make_service(assured_date=dt.date(2020, 1, 1))

    html = page(client, service)

    assert "This listing may be out of date" in html


def test_the_print_stylesheet_hides_navigation_and_maps_and_shows_addresses(client):
    from django.contrib.staticfiles import finders

    css = Path(finders.find("linkwell/site.css")).read_text(encoding="utf-8")
    print_rules = css[css.index("@media print") :]

    assert ".site-header" in print_rules and ".map-panel" in print_rules
    assert 'content: " (" attr(href) ")"' in print_rules
