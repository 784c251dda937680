"""Matching from people's words: a GP describes a patient (on a phone, and with JavaScript
off), confirms the needs read (unticking one), sees services for each need with their
reasons and refers in one click; a citizen on a phone tells us what is going on and gets
services to contact. Each page passes axe and nothing scrolls sideways at 390 or 320 px."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import signing_in
from tests.e2e.accessibility import assert_accessible

PASSWORD = "correct-horse-battery-staple-42"
NARROWEST = {"width": 320, "height": 640}
PHONE = {"width": 390, "height": 844}
KEIGHLEY = "BD21 1AA"
# Words every reading of needs (the lexicon or the model) takes for these two needs.
NOTE = "Lives alone, loneliness and isolation; food: not eating properly"


@pytest.fixture
def gp(directory_data, settings):
    """A GP (a practitioner at a practice), committed, over the demo directory."""
    from linkwell.accounts.actions import create_organisation, create_user, grant_role
    from linkwell.accounts.models import OrganisationKind, Role

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    practice = create_organisation(
        actor=None, name="Thornbury Medical Practice", kind=OrganisationKind.GP_PRACTICE
    )
    user = create_user(actor=None, username="gp", password=PASSWORD)
    grant_role(actor=None, user=user, organisation=practice, role=Role.PRACTITIONER)
    return user


def check(page: Page) -> None:
    """Accessible, and no sideways scrolling on a phone or the narrowest screen."""
    assert_accessible(page)
    for size in (PHONE, NARROWEST):
        page.set_viewport_size(size)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= size["width"], f"{page.url} is {width} px wide at {size['width']} px"
    page.set_viewport_size(PHONE)


def test_a_gp_confirms_the_needs_read_and_refers_from_the_matches(phone_page: Page, gp):
    page = phone_page
    signing_in.sign_in(page, "gp", PASSWORD, "/staff/")
    page.get_by_role("link", name=re.compile("What could help")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What could help")
    check(page)

    page.get_by_role("button", name="Find what could help").click()
    expect(page.locator(".error-summary")).to_contain_text("Tell us what is going on")
    check(page)

    page.get_by_label("What is going on for them").fill(NOTE)
    page.get_by_label("Postcode or place").fill(KEIGHLEY)
    page.get_by_label("Age (optional)").fill("81")
    page.get_by_role("button", name="Find what could help").click()

    lonely = page.get_by_role("checkbox", name="Loneliness and isolation")
    food = page.get_by_role("checkbox", name="Food", exact=True)
    expect(lonely).to_be_checked()
    expect(food).to_be_checked()
    expect(page.locator("#need-loneliness-why")).to_contain_text("because:")
    expect(page.locator("#group-loneliness")).to_be_visible()
    expect(page.locator(".match-reasons").first).to_contain_text(re.compile(r"km|covers"))
    check(page)

    food.uncheck()
    page.get_by_role("button", name="Match these needs").click()
    expect(page.locator("#group-food")).to_have_count(0)
    expect(page.locator("#group-loneliness")).to_be_visible()
    expect(page.get_by_label("What is going on for them")).to_have_value(NOTE)

    page.get_by_role("link", name=re.compile("^Refer to .* for Loneliness")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Who are you referring to")
    assert "need=loneliness" in page.url


def test_the_two_steps_work_without_javascript(no_js_page: Page, gp):
    page = no_js_page
    signing_in.sign_in(page, "gp", PASSWORD, "/staff/what-could-help/")
    page.get_by_label("What is going on for them").fill(NOTE)
    page.get_by_label("Postcode or place").fill(KEIGHLEY)
    page.get_by_role("button", name="Find what could help").click()
    expect(page.get_by_role("checkbox", name="Loneliness and isolation")).to_be_checked()
    page.get_by_role("checkbox", name="Food", exact=True).uncheck()
    page.get_by_role("button", name="Match these needs").click()
    expect(page.locator("#group-food")).to_have_count(0)
    expect(page.locator('section[aria-labelledby="group-loneliness"] .offer').first).to_be_visible()


def test_a_citizen_tells_us_what_is_going_on_and_finds_services_to_contact(
    phone_page: Page, directory_data
):
    page = phone_page
    page.goto("/")
    page.get_by_role("link", name=re.compile("Tell us what you need")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us what you need")
    check(page)

    page.get_by_label("What is going on for you").fill("I have loneliness, I never see anyone")
    page.get_by_label("Postcode or place").fill(KEIGHLEY)
    page.get_by_role("button", name="Find services").click()

    expect(page.get_by_text("It sounds like you might want help with:")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Loneliness and isolation")).to_be_checked()
    expect(page.locator('section[aria-labelledby="group-loneliness"] .offer').first).to_be_visible()
    check(page)

    page.get_by_role("link", name=re.compile("Ask them to contact you")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("contact you")


def test_a_need_only_hinted_at_shows_unticked_with_its_one_service(
    phone_page: Page, directory_data, monkeypatch
):
    """Whatever the lexicon holds today: loneliness read surely, food only hinted at."""
    from linkwell.directory.needs import InferredNeed
    from linkwell.matching import queries

    read = [
        InferredNeed("loneliness", 0.9, ("never see anyone",)),
        InferredNeed("food", 0.4, ("cupboards are bare",)),
    ]
    monkeypatch.setattr(queries, "infer_needs", lambda text, language=None: read)
    page = phone_page
    page.goto("/find-support/tell-us/")
    page.get_by_label("What is going on for you").fill("I never see anyone, cupboards are bare")
    page.get_by_label("Postcode or place").fill(KEIGHLEY)
    page.get_by_role("button", name="Find services").click()

    expect(page.get_by_role("checkbox", name="Loneliness and isolation")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Food", exact=True)).not_to_be_checked()
    expect(page.locator("#need-food-why")).to_contain_text("perhaps, because:")
    expect(page.locator("#group-food")).to_contain_text("in case it helps")
    # One service for the hint (a lunch club meeting both needs may show under both).
    offers = page.locator('section[aria-labelledby="group-food"] .offer')
    expect(offers.filter(has_text="in case it helps")).to_have_count(1)
    check(page)
