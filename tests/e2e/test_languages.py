"""Reading the directory in another language: the picker, right-to-left pages, the kept choice."""

import re

from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import assert_accessible


def _in(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def _lunch_club_path() -> str:
    from linkwell.directory.models import Service

    service = Service.objects.filter(name__icontains="lunch club").order_by("name").first()
    assert service, "the demo directory has a lunch club"
    return reverse("directory:service_detail", args=[service.id])


def _expect_language(page: Page, language: str, direction: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("html")).to_have_attribute("dir", direction)


def _fits_the_screen(page: Page) -> bool:
    """Nothing sticks out sideways (a mirrored layout often pushes content off one edge)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_a_person_reads_search_and_a_service_in_urdu_then_polish_then_english(
    page: Page, directory_data
):
    page.goto("/")
    page.get_by_role("button", name="اردو").click()

    _expect_language(page, "ur", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        _in("ur", "Find local help and support")
    )
    assert _fits_the_screen(page)
    assert_accessible(page)

    # The choice is kept on the next page, reached through the Urdu navigation.
    page.get_by_role("navigation", name=_in("ur", "Main")).get_by_role(
        "link", name=_in("ur", "Find services")
    ).click()
    _expect_language(page, "ur", "rtl")
    page.get_by_label(_in("ur", "What are you looking for?")).fill("lunch")
    page.get_by_role("button", name=_in("ur", "Search"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/services/\?.*q=lunch"))
    _expect_language(page, "ur", "rtl")
    assert _fits_the_screen(page)
    assert_accessible(page)

    page.goto(_lunch_club_path())
    _expect_language(page, "ur", "rtl")
    expect(page.get_by_role("heading", level=2, name=_in("ur", "What it is"))).to_be_visible()
    assert _fits_the_screen(page)
    assert_accessible(page)

    service_url = page.url
    page.get_by_role("button", name="Polski").click()
    expect(page).to_have_url(service_url)
    _expect_language(page, "pl", "ltr")
    expect(page.get_by_role("heading", level=2, name=_in("pl", "What it is"))).to_be_visible()

    page.get_by_role("button", name="English").click()
    _expect_language(page, "en-gb", "ltr")
    expect(page.get_by_role("heading", level=2, name="What it is")).to_be_visible()


def test_on_a_phone_the_choice_keeps_the_search_and_lasts_to_the_next_visit(
    phone_page: Page, directory_data
):
    phone_page.goto("/services/?q=lunch&distance=5")
    phone_page.get_by_role("button", name="اردو").click()

    expect(phone_page).to_have_url(re.compile(r"/services/\?q=lunch&distance=5$"))
    _expect_language(phone_page, "ur", "rtl")
    expect(phone_page.get_by_label(_in("ur", "What are you looking for?"))).to_have_value("lunch")
    assert _fits_the_screen(phone_page)
    assert_accessible(phone_page)

    cookie = next(c for c in phone_page.context.cookies() if c["name"] == "django_language")
    assert cookie["value"] == "ur"
    assert cookie["expires"] > 0, "a session cookie would be forgotten when the browser closes"

    # A mistake is explained in Urdu, and the page stays usable and accessible.
    phone_page.get_by_label(_in("ur", "Postcode")).fill("XX1")
    phone_page.get_by_role("button", name=_in("ur", "Search"), exact=True).click()
    expect(phone_page.get_by_role("heading", name=_in("ur", "There is a problem"))).to_be_visible()
    _expect_language(phone_page, "ur", "rtl")
    assert _fits_the_screen(phone_page)
    assert_accessible(phone_page)

    phone_page.goto(_lunch_club_path())
    _expect_language(phone_page, "ur", "rtl")
    assert _fits_the_screen(phone_page)
    assert_accessible(phone_page)


def test_the_picker_works_without_javascript(no_js_page: Page, live_db):
    no_js_page.goto("/about/")
    no_js_page.get_by_role("button", name="پنجابی").click()

    expect(no_js_page).to_have_url(re.compile(r"/about/$"))
    _expect_language(no_js_page, "pa-arab", "rtl")
    expect(no_js_page.get_by_role("heading", level=1)).to_contain_text(_in("pa-arab", "About"))
