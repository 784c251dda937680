"""The hub's indicators and referral flows in a browser: an analyst opens the indicators,
chooses a quarter, and downloads its indicators as CSV; the flows page opens too. Each page
passes axe and nothing scrolls sideways at 390 px."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import signing_in
from tests.e2e.accessibility import assert_accessible

PASSWORD = "correct-horse-battery-staple-42"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def hub(live_db, settings):
    """Referrals in April and May 2026 in two wards, the hub refreshed, and an analyst."""
    from linkwell.accounts.actions import create_user, grant_role
    from linkwell.accounts.models import Role
    from linkwell.intelligence.refresh import refresh_hub
    from linkwell.intelligence.tests.flows.data import World, at

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = World()
    for ward in (world.upper, world.lower):
        for day in range(1, 7):
            world.referral(ward, status="accepted", sent=at(4, day), answered=at(4, day + 2))
        for day in range(1, 6):
            world.referral(
                ward,
                status="declined",
                decline="no_capacity",
                sent=at(5, day),
                answered=at(5, day + 1),
            )
    analyst = create_user(actor=None, username="analyst", password=PASSWORD)
    grant_role(actor=None, user=analyst, organisation=world.gp, role=Role.ANALYST)
    refresh_hub(via="test")
    return world


def check(page: Page) -> None:
    """Accessible, and nothing sideways on a phone."""
    assert_accessible(page)
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at 390 px"
    if size:
        page.set_viewport_size(size)


def test_an_analyst_chooses_a_quarter_and_downloads_its_indicators(page: Page, hub):
    signing_in.sign_in(page, "analyst", PASSWORD, "/hub/indicators/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicators")
    check(page)

    page.get_by_label("Month or quarter").select_option("2026-Q2")
    page.get_by_role("button", name="Show the indicators").click()
    expect(page.get_by_role("heading", name="Indicators for Quarter 2 of 2026")).to_be_visible()
    # April and May together: 12 accepted of 22 answered, 54.5%, red (under 65).
    accepted = page.locator("section.indicator").filter(
        has=page.locator("#indicator-referrals_accepted")
    )
    expect(accepted).to_contain_text("54.5%")
    expect(accepted).to_contain_text("Red: off target")
    check(page)

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download the indicators for Quarter 2 of 2026").click()
    download = downloading.value
    assert download.suggested_filename == "hub-indicators-2026-Q2.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert "referrals_accepted,Referrals accepted,2026-Q2,place,testplace" in text
    assert ",54.5%,12,22,80.0%,higher,red" in text

    page.goto("/hub/flows/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral flows")
    expect(page.get_by_role("table", name="Unmet need by the person's ward")).to_be_visible()
    check(page)
