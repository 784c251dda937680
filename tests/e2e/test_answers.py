"""Answers that report well, on a phone: the falls service declines a referral with a coded
reason and its own words (after being told what it missed); the firefighter who referred reads
the reason and other services for the need near the person. The lists and pages stay within
the screen at 390 and 320 pixels, and pass axe."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import signing_in
from tests.e2e.accessibility import assert_accessible

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture
def answers_world(live_db, settings):
    """A firefighter's referral of Ada to the falls service (for loneliness), and two other
    services meeting the same need, committed for the live server."""
    from django.conf import settings as conf

    from linkwell.accounts.actions import create_organisation, create_user, grant_role
    from linkwell.accounts.models import OrganisationKind, Role
    from linkwell.directory.records import TermRef
    from linkwell.directory.tests.page_services import make_service
    from linkwell.places.actions import load_place
    from linkwell.referrals import actions
    from linkwell.referrals.models import CapacityMode, ConsentPurpose
    from tests.e2e.conftest import refresh_statistics

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_place(conf.PLACE_DATA_DIRS)
    refresh_statistics()

    def staff(username, role, org_name, kind):
        user = create_user(
            actor=None, username=username, password=PASSWORD, email=f"{username}@partner.test"
        )
        org = create_organisation(actor=None, name=org_name, kind=kind)
        grant_role(actor=None, user=user, organisation=org, role=role)
        return user

    def service(name, partner):
        terms = [TermRef("linkwell-needs", "loneliness")]
        return make_service(name, partner_name=partner, minimum_age=None, terms=terms)

    firefighter = staff("firefighter", Role.PRACTITIONER, "Bradford Fire", OrganisationKind.FIRE)
    falls_editor = staff("falls_editor", Role.PROVIDER_EDITOR, "Falls Team", "nhs_trust")
    lunch_editor = staff("lunch_editor", Role.PROVIDER_EDITOR, "Good Company", "voluntary")
    falls = service("Falls prevention", "Falls Team")
    lunch = service("Lunch club", "Good Company")
    service("Befriending calls", "Good Company")
    actions.set_capacity(lunch, actor=lunch_editor, via="test", mode=CapacityMode.PLACES, places=4)
    ada = actions.register_person(
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
    actions.record_consent(
        ada, ConsentPurpose.SHARE_WITH_SERVICE, actor=firefighter, via="test", service=falls
    )
    referral = actions.make_referral(
        actor=firefighter, via="test", person=ada, service=falls, need="loneliness"
    ).referral
    return {"referral": referral, "falls_editor": falls_editor}


def sign_in(page: Page, username: str, next_url: str) -> None:
    signing_in.sign_in(page, username, PASSWORD, next_url)


def fits_the_screen(page: Page) -> None:
    """No sideways scrolling at 390 px, nor at 320 px (WCAG reflow); back to 390 after."""
    for width in (320, 390):
        page.set_viewport_size({"width": width, "height": 844})
        # Against the width set: a phone's browser widens innerWidth to fit what overflows.
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{page.url} scrolls sideways at {width} px ({wide} px wide)"


def test_a_provider_declines_on_a_phone_and_the_referrer_sees_why_and_where_else(
    phone_page: Page, answers_world
):
    page, referral = phone_page, answers_world["referral"]

    # The falls service's list: stacked rows, no capacity forms.
    sign_in(page, "falls_editor", "/provider/referrals/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Referrals to answer")
    expect(page.get_by_role("button", name=re.compile("Save capacity"))).to_have_count(0)
    fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("link", name="See and set each service's capacity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Capacity")
    fits_the_screen(page)
    assert_accessible(page)

    # Declining without a reason is refused, saying what to do.
    page.goto(f"/referrals/{referral.pk}/")
    page.get_by_role("button", name="Decline", exact=True).click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Select a reason for declining")
    assert_accessible(page)
    fits_the_screen(page)

    # With a coded reason and words beside.
    page.get_by_label("No capacity").check()
    page.get_by_label("Give more detail").fill("Full until March; try the lunch club.")
    page.get_by_role("button", name="Decline", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("is now declined")
    expect(page.get_by_role("heading", name="Why it was declined")).to_be_visible()

    # The firefighter reads why, and where else the person could go.
    sign_in(page, "firefighter", "/referrals/")
    row = page.get_by_role("row").filter(has_text=referral.reference)
    expect(row).to_contain_text("No capacity: Full until March; try the lunch club.")
    fits_the_screen(page)
    assert_accessible(page)
    row.get_by_role("link", name=referral.reference).click()
    expect(page.locator("#declined")).to_contain_text("No capacity")
    expect(page.locator("#declined")).to_contain_text("Full until March")
    alternatives = page.locator("#alternatives")
    expect(alternatives.get_by_role("heading", level=2)).to_have_text(
        "Other services for this need near this person"
    )
    expect(alternatives.get_by_role("link", name="Lunch club", exact=True)).to_be_visible()
    expect(alternatives.get_by_role("link", name="Befriending calls", exact=True)).to_be_visible()
    expect(alternatives).to_contain_text("4 places left")
    expect(alternatives.get_by_role("link", name="Falls prevention")).to_have_count(0)
    fits_the_screen(page)
    assert_accessible(page)
