"""The staff home on a phone: a firefighter signs in with no page in mind and lands on it,
finds a person they recorded, finds no one for a new name and registers them from there, with
a date of birth as day, month and year and a language and GP practice chosen by name. Each
page passes axe and nothing scrolls sideways at 390 or 320 pixels."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import signing_in
from tests.e2e.accessibility import assert_accessible

PASSWORD = "correct-horse-battery-staple-42"
NARROWEST = {"width": 320, "height": 640}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def fire_service(live_db, settings):
    """A firefighter who recorded Ada Okafor, and the place's GP practices, committed."""
    from django.conf import settings as conf

    from linkwell.accounts.actions import create_organisation, create_user, grant_role
    from linkwell.accounts.models import OrganisationKind, Role
    from linkwell.places.actions import load_place
    from linkwell.referrals import actions
    from tests.e2e.conftest import refresh_statistics

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_place(conf.PLACE_DATA_DIRS)
    refresh_statistics()
    fire = create_organisation(actor=None, name="Bradford Fire", kind=OrganisationKind.FIRE)
    firefighter = create_user(actor=None, username="firefighter", password=PASSWORD)
    grant_role(actor=None, user=firefighter, organisation=fire, role=Role.PRACTITIONER)
    actions.register_person(
        actions.PersonDetails(
            given_name="Ada",
            family_name="Okafor",
            birth_date=dt.date(1941, 5, 2),
            nhs_number="9990000018",
            postcode="BD3 7HZ",
        ),
        actor=firefighter,
        via="test",
    )
    return firefighter


def check(page: Page) -> None:
    """Accessible, and no sideways scrolling on a phone or on the narrowest screen. (A phone
    zooms out to fit what overflows, widening `window.innerWidth`: the width is compared with
    the screen's instead.)"""
    assert_accessible(page)
    for size in (PHONE, NARROWEST):
        page.set_viewport_size(size)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= size["width"], f"{page.url} is {width} px wide at {size['width']} px"
    page.set_viewport_size(PHONE)


def sign_in_without_a_page_in_mind(page: Page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("firefighter")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    signing_in.set_up_app(page)


def test_a_firefighter_lands_on_the_staff_home_finds_a_person_and_registers_another(
    phone_page: Page, fire_service
):
    page = phone_page

    sign_in_without_a_page_in_mind(page)

    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff home")
    expect(page.get_by_role("heading", name="What needs you today")).to_be_visible()
    expect(page.get_by_text("Nothing is overdue")).to_be_visible()
    check(page)

    # A name too short is refused, saying what to do.
    page.get_by_label("Name or NHS number").fill("o")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".error-summary")).to_contain_text("Enter at least 2 letters")
    check(page)

    page.get_by_label("Name or NHS number").fill("okaf")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 person found")).to_be_visible()
    expect(page.get_by_role("link", name="Ada Okafor")).to_be_visible()
    expect(page.locator("table.lw-table--stack")).to_contain_text("2 May 1941")
    check(page)

    page.get_by_label("Name or NHS number").fill("Bea Smith")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="No one found")).to_be_visible()
    page.get_by_role("link", name="Register a person").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Register a person")
    check(page)
    # Sent with a month missing and no family name: every error at once, what was typed kept.
    page.get_by_label("Given name").fill("Bea")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Year").fill("1950")
    page.get_by_role("button", name="Register").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Enter their family name")
    expect(summary).to_contain_text("Date of birth must include a month")
    expect(page.get_by_label("Given name")).to_have_value("Bea")
    expect(page.get_by_label("Year")).to_have_value("1950")
    check(page)

    page.get_by_label("Family name").fill("Smith")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Postcode (optional)").fill("BD3 7HZ")
    page.get_by_label("GP practice (optional)").select_option(
        label="Thornbury Medical Practice, Bradford BD3 7HZ"
    )
    page.get_by_label("Preferred language (optional)").select_option(label="Polish (polski)")
    page.get_by_role("button", name="Register").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bea Smith")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("3 February 1950")
    expect(facts).to_contain_text("Thornbury Medical Practice, Bradford BD3 7HZ")
    expect(facts).to_contain_text("Polish (polski)")
    check(page)

    # Consent: refused with nothing chosen, then recorded and listed (a stacked table).
    page.get_by_role("button", name="Record consent").click()
    expect(page.locator(".error-summary")).to_contain_text("Select what they agree to")
    check(page)
    page.get_by_label("Contact me by phone").check()
    page.get_by_label("How it was given (optional)").fill("In person, at a Safe and Well visit")
    page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_role("table")).to_contain_text("Contact me by phone")
    check(page)

    page.get_by_role("link", name="Staff home").click()
    page.get_by_label("Name or NHS number").fill("smith")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Bea Smith")).to_be_visible()
