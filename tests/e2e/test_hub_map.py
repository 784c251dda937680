"""The map of need and provision in a browser: a commissioner (an analyst) opens the map,
sees the wards shaded by deprivation with the falls-prevention services marked, and finds
the wards with high need and little or no falls provision; until a need (or tier, partner or
life stage) is chosen no services are marked. Without JavaScript the same figures are a
table. Each page passes axe and nothing scrolls sideways at 390 px."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import signing_in
from tests.e2e.test_outcomes import check

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture
def commissioner(directory_data, settings):
    """An analyst, with the hub refreshed over the demo directory."""
    from linkwell.accounts.actions import create_organisation, create_user, grant_role
    from linkwell.accounts.models import OrganisationKind, Role
    from linkwell.intelligence.refresh import refresh_hub

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    council = create_organisation(
        actor=None, name="District Council", kind=OrganisationKind.COUNCIL
    )
    user = create_user(actor=None, username="commissioner", password=PASSWORD)
    grant_role(actor=None, user=user, organisation=council, role=Role.ANALYST)
    refresh_hub(via="test")
    return user


def test_a_commissioner_finds_deprived_wards_with_little_falls_provision(
    page: Page, no_js_page: Page, commissioner
):
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    signing_in.sign_in(page, "commissioner", PASSWORD, "/hub/map/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Map of need and provision")
    # The first visit: the wards shaded, no services marked until something is chosen.
    areas = page.locator("#hub-map path.leaflet-interactive[fill-opacity='0.75']")
    markers = page.locator("#hub-map path.leaflet-interactive[fill='#0072B2']")
    expect(areas).to_have_count(39)
    expect(
        page.get_by_text("Choose a need, tier, partner or life stage to mark services.")
    ).to_be_visible()
    expect(markers).to_have_count(0)
    check(page)
    page.get_by_label("Need", exact=True).select_option("falls_frailty")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("region", name="Map of the areas")).to_be_visible()
    # Wards shaded (39 outlines) and the falls services marked where they are based.
    expect(areas).to_have_count(39)
    expect(markers.first).to_be_visible()
    markers.first.click()  # its popup links to the service
    expect(page.locator(".leaflet-popup-content a[href*='/services/']")).to_be_visible()
    # The popup fades in: axe reads colours mid-fade as too faint, so wait until it is shown.
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    table = page.get_by_role("table", name=re.compile("Wards: need and services for Falls"))
    expect(table.locator("tbody tr")).to_have_count(39)
    assert script_errors == []
    check(page)

    page.get_by_role("link", name="Provision against need").click()
    page.get_by_label("Need", exact=True).select_option("falls_frailty")
    page.get_by_role("button", name="Show").click()
    gaps = page.get_by_role("table", name=re.compile("most deprived fifth"))
    expect(gaps.locator("tbody tr").first).to_be_visible()
    first_gap = gaps.locator("tbody tr th a").first.inner_text()
    check(page)
    gaps.get_by_role("link", name=first_gap).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(first_gap)
    expect(page.get_by_role("heading", name="Gaps: high need and little provision")).to_be_visible()
    check(page)

    signing_in.sign_in(no_js_page, "commissioner", PASSWORD, "/hub/map/?need=falls_frailty")
    expect(no_js_page.get_by_role("region", name="Map of the areas")).to_be_hidden()
    no_js_table = no_js_page.get_by_role("table", name=re.compile("Wards: need and services"))
    expect(no_js_table.locator("tbody tr")).to_have_count(39)
