"""Signing in, in a browser on a phone and on a desktop: password, setting up an app, the
recovery codes, the code step, the account page and the locked-out page; each page passes
axe and nothing scrolls sideways."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import signing_in
from tests.e2e.accessibility import assert_accessible

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture
def practitioner(live_db, settings):
    from linkwell.accounts.actions import create_organisation, create_user, grant_role
    from linkwell.accounts.models import OrganisationKind, Role

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    fire = create_organisation(actor=None, name="Fire and Rescue", kind=OrganisationKind.FIRE)
    pat = create_user(actor=None, username="pat", password=PASSWORD)
    grant_role(actor=None, user=pat, organisation=fire, role=Role.PRACTITIONER)
    create_user(actor=None, username="guesser-target", password=PASSWORD)
    return pat


def check(page: Page) -> None:
    """Accessible, and nothing pushes the page sideways."""
    assert_accessible(page)
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), f"{page.url} scrolls sideways"


@pytest.mark.parametrize("viewport", ["phone_page", "page"])
def test_a_practitioner_sets_up_an_app_then_signs_in_with_its_code(request, practitioner, viewport):
    page: Page = request.getfixturevalue(viewport)

    page.goto("/accounts/login/?next=/referrals/")
    check(page)
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("did not match")
    check(page)

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    expect(page.locator(".qr-code svg")).to_be_visible()
    check(page)

    page.get_by_label("Code from the app").fill("12")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the 6-digit code the app shows now")
    assert page.evaluate("() => document.activeElement.className") == "error-summary"
    check(page)

    codes = signing_in.set_up_app(page)
    expect(page).to_have_url(re.compile(r"/referrals/$"))
    assert len(set(codes)) == 10

    page.goto("/accounts/")
    expect(page.get_by_text("Your authenticator app is set up")).to_be_visible()
    check(page)

    page.get_by_role("button", name="Sign out (pat)").click()
    page.goto("/accounts/login/?next=/referrals/")
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    check(page)
    page.get_by_label("Code").fill("not-a-code")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("recovery code is not right")
    check(page)
    page.wait_for_timeout(1100)  # a wrong code makes the next try wait a second

    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/referrals/$"))


@pytest.mark.parametrize("viewport", ["phone_page", "page"])
def test_too_many_wrong_passwords_show_what_to_do(request, practitioner, viewport):
    page: Page = request.getfixturevalue(viewport)

    for _ in range(5):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("guesser-target")
        page.get_by_label("Password").fill("a wrong guess")
        page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Signing in is paused")
    expect(page.get_by_text("Wait 15 minutes, then try again.")).to_be_visible()
    check(page)
