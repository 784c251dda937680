"""Refer from anywhere in few steps, on a phone: a firefighter signs in, registers a person
from the page they land on, records a contact with a need, records ONE consent covering two
services and refers to both with one click each; then, from a service's page, "Refer someone"
finds the same person and refers them there. Every page passes axe and scrolls sideways at
neither 390 nor 320 pixels wide."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import signing_in
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import PHONE

PASSWORD = "correct-horse-battery-staple-42"
NARROW = {"width": 320, "height": 720}


@pytest.fixture
def partners(live_db, settings):
    """A fire service's firefighter and three services for loneliness, committed for the
    live server: Lunch club (2 places a week), Community Connectors and Walking group."""
    from django.conf import settings as conf

    from linkwell.accounts.actions import create_organisation, create_user, grant_role
    from linkwell.accounts.models import OrganisationKind, Role
    from linkwell.directory.records import LocationRecord, TermRef
    from linkwell.directory.tests.page_services import make_service
    from linkwell.places.actions import load_place
    from linkwell.referrals import actions
    from linkwell.referrals.models import CapacityMode
    from tests.e2e.conftest import refresh_statistics

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_place(conf.PLACE_DATA_DIRS)
    refresh_statistics()

    def staff(username, role, name, kind):
        user = create_user(actor=None, username=username, password=PASSWORD)
        org = create_organisation(actor=None, name=name, kind=kind)
        grant_role(actor=None, user=user, organisation=org, role=role)
        return user

    def service(name, partner):
        place = LocationRecord(
            name=f"{name} hall", latitude=53.7942, longitude=-1.7519, postcode="BD1 1AA"
        )
        return make_service(
            name,
            partner_name=partner,
            minimum_age=None,
            terms=[TermRef("linkwell-needs", "loneliness")],
            locations=[place],
        )

    w = {
        "firefighter": staff("firefighter", Role.PRACTITIONER, "Bradford Fire", "fire"),
        "lunch_editor": staff(
            "lunch_editor", Role.PROVIDER_EDITOR, "Good Company", OrganisationKind.VOLUNTARY
        ),
    }
    w["lunch"] = service("Lunch club", "Good Company")
    w["connectors"] = service("Community Connectors", None)
    w["walking"] = service("Walking group", None)
    actions.set_capacity(
        w["lunch"], actor=w["lunch_editor"], via="test", mode=CapacityMode.PLACES, places=2
    )
    return w


def fits(page: Page) -> None:
    """Accessible, and no sideways scrolling at a phone's width and at 320 px."""
    assert_accessible(page)
    for size in (PHONE, NARROW):
        page.set_viewport_size(size)
        # Against the width set: a phone's browser widens innerWidth to fit what overflows.
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= size["width"], (page.url, size, wide)
    page.set_viewport_size(PHONE)


def test_one_consent_for_two_services_then_one_click_each(phone_page: Page, partners):
    from linkwell.referrals.models import Consent, Person, Referral, ReferralStatus

    page = phone_page
    signing_in.sign_in(page, "firefighter", PASSWORD, "/")
    page.goto("/staff/")  # where staff land: what needs them today, find or register a person
    fits(page)

    # Registers Ada from there.
    page.get_by_role("link", name="Register a person").first.click()
    page.get_by_label("Given name").fill("Ada")
    page.get_by_label("Family name").fill("Okafor")
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("5")
    page.get_by_label("Year").fill("1941")
    page.get_by_label("Postcode (optional)").fill("BD3 7HZ")
    fits(page)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Okafor")
    fits(page)

    # A Safe and Well visit: lonely.
    page.get_by_role("link", name="Record a contact").click()
    page.get_by_label("Safe and Well visit").check()
    page.get_by_label("Loneliness and isolation", exact=True).check()
    fits(page)
    page.get_by_role("button", name="Record the contact").click()
    expect(page.get_by_role("status")).to_contain_text("The contact is recorded.")
    lunch = page.locator(".offer").filter(has_text="Lunch club")
    expect(lunch).to_contain_text("2 places left now")
    expect(lunch).to_contain_text("km from them")
    expect(lunch).to_contain_text("Every Tuesday, 11:30 to 14:00")
    fits(page)

    # Nothing ticked: told what to do, nothing recorded.
    page.get_by_role("button", name="Record consent for the ticked services").click()
    expect(page.get_by_role("alert")).to_contain_text("Tick each service they agreed to")
    fits(page)

    # One conversation: two services ticked, one consent recorded.
    page.get_by_label("Ask about sharing with Lunch club").check()
    page.get_by_label("Ask about sharing with Community Connectors").check()
    page.get_by_role("button", name="Record consent for the ticked services").click()
    expect(page.get_by_role("status")).to_contain_text(
        re.compile("share their details with (Lunch club|Community Connectors) and (Lunch|Comm)")
    )
    ada = Person.objects.get(family_name="Okafor")
    consents = Consent.objects.filter(person=ada)
    assert consents.count() == 2 and len({c.conversation for c in consents}) == 1
    expect(page.get_by_label("Ask about sharing with Walking group")).not_to_be_checked()
    fits(page)

    # Then one click each.
    for name in ("Lunch club", "Community Connectors"):
        page.get_by_role("button", name=re.compile(f"^Refer to {name}")).click()
        expect(page.get_by_role("status")).to_contain_text(f"to {name} is sent")
    assert Referral.objects.filter(person=ada, status=ReferralStatus.SENT).count() == 2
    fits(page)

    # From a service's page: "Refer someone", find Ada, consent, refer.
    page.goto(f"/services/{partners['walking'].id}/")
    expect(page.locator(".staff-facts")).to_contain_text("Taking referrals")
    expect(page.get_by_role("link", name="Get directions")).to_have_attribute(
        "href", re.compile(r"^https://www\.openstreetmap\.org/directions\?to=")
    )
    fits(page)
    page.get_by_role("link", name="Refer someone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Who are you referring to Walking group?"
    )
    page.get_by_label("Name").fill("okafor")
    page.get_by_role("button", name="Find the person").click()
    fits(page)
    page.get_by_role("link", name="Ada Okafor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer Ada Okafor to Walking group")
    fits(page)
    page.get_by_role("button", name="Record consent to share with Walking group").click()
    expect(page.get_by_role("status")).to_contain_text("share their details with Walking group")
    fits(page)
    page.get_by_role("button", name="Refer to Walking group").click()
    expect(page.get_by_role("status")).to_contain_text("to Walking group is sent")
    expect(page.get_by_role("heading", level=1)).to_contain_text("LW-")
    fits(page)
    assert Referral.objects.filter(person=ada, service=partners["walking"]).exists()
