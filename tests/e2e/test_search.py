"""Finding support near a Keighley postcode: list and map, JavaScript off, keyboard only, phone."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import assert_accessible

KEIGHLEY = "BD21 1AA"  # Keighley Central, in the place data


@pytest.fixture(autouse=True)
def no_tile_server(settings):
    """No internet in tests: maps draw ward outlines and markers only."""
    settings.MAP_TILES_URL = ""


def _search_near_keighley_for_food(page: Page) -> None:
    page.get_by_label("Postcode").fill(KEIGHLEY)
    page.get_by_label("Distance").select_option("10")
    if not page.get_by_label("Help with").is_visible():
        page.get_by_text("More filters").click()
    page.get_by_label("Help with").select_option("food")
    page.get_by_role("button", name="Search", exact=True).click()


def test_a_person_finds_food_support_near_keighley_on_the_list_and_the_map(
    page: Page, directory_data
):
    page.goto("/services/")
    _search_near_keighley_for_food(page)

    expect(page.get_by_role("heading", level=2, name="within 10 km of BD21 1AA")).to_be_visible()
    results = page.locator("ol.results > li")
    expect(results.first).to_contain_text("km away")
    expect(results.first).to_contain_text("Food")
    assert_accessible(page)

    page.get_by_role("button", name="Show these results on a map").click()
    expect(page.locator("#results-map .leaflet-marker-icon").first).to_be_visible()
    first_name = results.first.get_by_role("link").inner_text()
    expect(
        page.locator(f'#results-map .leaflet-marker-icon[aria-label*="{first_name[:20]}"]').first
    ).to_be_attached()
    expect(
        page.locator("#results-map path.leaflet-interactive, #results-map svg path").first
    ).to_be_attached()
    assert page.locator("#results-map .leaflet-tile").count() == 0  # no tile server set
    assert_accessible(page)

    results.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first_name)
    expect(page.get_by_role("link", name="Ask this service to contact you")).to_be_visible()
    expect(page.locator("#service-map .leaflet-marker-icon")).to_have_count(1)
    assert_accessible(page)


def test_the_same_search_works_with_javascript_off(no_js_page: Page, directory_data):
    page = no_js_page
    page.goto("/services/")
    _search_near_keighley_for_food(page)

    expect(page.get_by_role("heading", level=2, name="within 10 km of BD21 1AA")).to_be_visible()
    expect(page.get_by_role("button", name="Show these results on a map")).to_be_hidden()
    page.locator("ol.results > li").first.get_by_role("link").click()
    expect(page.get_by_role("link", name="Ask this service to contact you")).to_be_visible()
    expect(page.locator(".share-url")).to_contain_text("/services/")


def _tab_to(page: Page, condition: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {condition}; }}"):
            return
    raise AssertionError(f"the keyboard never reached: {condition}")


def test_keyboard_only_search_and_opening_a_result(page: Page, directory_data):
    page.goto("/services/")

    _tab_to(page, "el.id === 'id_q'")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_postcode"
    page.keyboard.type(KEIGHLEY)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2, name="within 5 km of BD21 1AA")).to_be_visible()

    _tab_to(page, "el.closest('ol.results') !== null && el.tagName === 'A'")
    name = page.evaluate("() => document.activeElement.textContent.trim()")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_on_a_phone_the_filters_fold_away_and_nothing_scrolls_sideways(
    phone_page: Page, directory_data
):
    page = phone_page
    page.goto("/")
    page.get_by_label("Postcode").fill(KEIGHLEY)
    page.get_by_role("button", name="Search", exact=True).click()

    expect(page.get_by_role("heading", level=2, name="within 5 km of BD21 1AA")).to_be_visible()
    expect(page.get_by_label("Help with")).to_be_hidden()
    page.get_by_text("More filters").click()
    page.get_by_label("Help with").select_option("food")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("ol.results > li").first).to_contain_text("Food")
    # Against the width set: a phone's browser widens innerWidth to fit what overflows.
    width = page.viewport_size["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert_accessible(page)


def test_errors_and_empty_results_are_accessible(page: Page, directory_data):
    page.goto("/services/?postcode=BD21+1AA&start_time=14:00&end_time=10:00")
    expect(page.get_by_role("alert")).to_contain_text("finishing time must be later")
    assert_accessible(page)

    page.get_by_role("link", name="The finishing time must be later").click()
    assert page.evaluate("() => document.activeElement.id") == "id_end_time"

    page.goto("/services/?postcode=ZZ9+9ZZ")
    expect(page.get_by_role("alert")).to_contain_text("ZZ9 9ZZ")
    assert_accessible(page)

    page.goto("/services/?postcode=BD21+1AA&distance=1&need=domestic_abuse&language=ku")
    expect(page.locator(".empty-state")).to_contain_text("No services match your search.")
    expect(page.get_by_role("link", name="Remove the filter “Language spoken”")).to_be_visible()
    assert_accessible(page)
