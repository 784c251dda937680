"""The issue's "done when", as one journey: a person who has never seen the product finds a
lunch club near a Keighley postcode, in Urdu, on a phone-sized screen, and asks it to contact
them; the page stays right to left, fits the screen, and passes the accessibility check."""

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import assert_accessible

KEIGHLEY = "BD21 1AA"


@pytest.fixture(autouse=True)
def quiet_settings(settings):
    settings.MAP_TILES_URL = ""  # no internet in tests
    settings.REFERRALS_FORM_MIN_SECONDS = 0  # a test fills the form faster than a person
    cache.clear()
    yield
    cache.clear()


def assert_urdu_and_fits_the_screen(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"the page is {overflow}px wider than the phone's screen"
    assert_accessible(page)


def test_a_newcomer_finds_a_lunch_club_near_keighley_in_urdu_and_asks_it_to_call(
    phone_page: Page, directory_data
):
    from linkwell.referrals.models import ContactRequest

    page = phone_page
    page.goto("/")
    page.locator(".language-picker button[value='ur']").click()
    assert_urdu_and_fits_the_screen(page)

    page.locator("#id_q").fill("lunch club")
    page.locator("#id_postcode").fill(KEIGHLEY)
    page.locator("#id_postcode").press("Enter")
    results = page.locator("ol.results > li")
    expect(results.first).to_be_visible()
    assert "lunch club" in results.first.inner_text().lower()
    assert_urdu_and_fits_the_screen(page)

    name = results.first.get_by_role("link").first.inner_text()
    results.first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    assert_urdu_and_fits_the_screen(page)

    page.locator("a[href$='/contact/']").first.click()
    page.locator("#id_name").fill("Sam Example")
    page.locator("#id_contact_method_0").check()  # a phone call
    page.locator("#id_phone").fill("07400 123456")
    page.locator("#id_consent").check()
    assert_urdu_and_fits_the_screen(page)
    page.locator("#id_consent").press("Enter")

    expect(page.locator(".reference")).to_contain_text("LW-")
    assert_urdu_and_fits_the_screen(page)
    request = ContactRequest.objects.get()
    assert request.service.name == name
    assert request.language == "ur"
