"""The pages that exist: they load, they are accessible, and the keyboard reaches the search."""

from playwright.sync_api import Page, expect

from tests.e2e.accessibility import assert_accessible


def test_home_search_and_service_pages_are_accessible(page: Page, directory_data):
    page.goto("/")
    assert_accessible(page)
    page.goto("/services/?q=falls")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Falls", exact=False).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("alls")
    assert_accessible(page)
    page.goto("/about/")
    assert_accessible(page)


def test_skip_link_is_first_on_the_keyboard(page: Page, directory_data):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
