"""An analyst opens tiers and spend on the demo directory, sees each partner's share of spend
in tiers 1 and 2 (chart and table), then dismisses a possible duplicate pair; both pages
accessible and nothing sideways on a phone."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import signing_in
from tests.e2e.test_outcomes import check

PASSWORD = "correct-horse-battery-staple-42"
LUNCH = "A weekly lunch club with a hot meal and company for older people who live alone."


@pytest.fixture
def hub(directory_data, settings, tmp_path):
    """The demo directory, two near-identical lunch clubs of two partners in one ward, an
    analyst, and the hub refreshed."""
    from linkwell.accounts.actions import create_organisation, create_user, grant_role
    from linkwell.accounts.models import OrganisationKind, Role
    from linkwell.intelligence.refresh import refresh_hub
    from linkwell.intelligence.tests.spend.mapping import load_mapping, service

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_mapping(
        tmp_path / "mapping.csv",
        [
            service("Alpha Trust", "Lunch club at the Alpha hall", description=LUNCH,
                    needs="loneliness", area="City"),
            service("Beta Charity", "Lunch for older people at Beta", description=LUNCH,
                    needs="loneliness", area="City"),
        ],
    )  # fmt: skip
    board = create_organisation(actor=None, name="Partnership", kind=OrganisationKind.COUNCIL)
    analyst = create_user(actor=None, username="analyst", password=PASSWORD)
    grant_role(actor=None, user=analyst, organisation=board, role=Role.ANALYST)
    refresh_hub(via="test")


def test_an_analyst_sees_the_share_of_spend_in_tiers_1_and_2_and_dismisses_a_duplicate(
    page: Page, hub
):
    signing_in.sign_in(page, "analyst", PASSWORD, "/hub/spend/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiers and spend")
    share = page.get_by_role("table", name=re.compile("Share of spend in tiers 1 and 2"))
    expect(share).to_be_visible()
    expect(share.get_by_role("row", name=re.compile("All partners"))).to_contain_text("%")
    expect(share.get_by_role("rowheader", name="West Yorkshire Police")).to_be_visible()
    chart = page.get_by_role("img", name=re.compile("share of spend in tiers 1 and 2"))
    expect(chart).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
    )
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280  # no sideways
    expect(
        page.get_by_text(re.compile("of these services are demonstration records"))
    ).to_be_visible()
    check(page)

    page.get_by_role("link", name="Possible duplicates").first.click()
    pair = page.locator("section.hub-pair", has_text="Lunch club at the Alpha hall")
    expect(pair).to_contain_text("Loneliness and isolation")
    expect(pair).to_contain_text("City (ward)")
    check(page)
    pair.get_by_label("Note about the services (optional)").fill("Two clubs, two venues")
    pair.get_by_role("button", name=re.compile("Dismiss: not the same")).click()

    expect(page.get_by_role("status")).to_contain_text("Pair dismissed")
    gone = page.locator("section.hub-pair", has_text="Lunch club at the Alpha hall")
    expect(gone).to_have_count(0)
    page.get_by_label(re.compile("^Dismissed")).check()
    page.get_by_role("button", name="Show these pairs").click()
    dismissed = page.locator("section.hub-pair", has_text="Lunch club at the Alpha hall")
    expect(dismissed).to_contain_text("Dismissed: not the same service")
    expect(dismissed).to_contain_text("Two clubs, two venues")
    check(page)
