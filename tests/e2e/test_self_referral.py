"""A citizen asks a demo service to contact them (once by keyboard alone); its provider
editor signs in, finds the request in the inbox, opens it and marks it contacted."""

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Page, expect

from tests.e2e import signing_in
from tests.e2e.accessibility import assert_accessible

PASSWORD = "a-long-and-unusual-passphrase-81"


@pytest.fixture
def service_with_editor(directory_data, settings):
    from linkwell.accounts.actions import create_user, grant_role
    from linkwell.accounts.models import Role
    from linkwell.directory.models import Service

    settings.REFERRALS_FORM_MIN_SECONDS = 0  # a test types faster than the bot check allows
    cache.clear()  # rate-limit counts from other tests
    service = (
        Service.objects.filter(is_demo=True, partner__isnull=False, status="active")
        .select_related("partner")
        .order_by("name")
        .first()
    )
    editor = create_user(
        actor=None, username="provider-ed", email="ed@partner.test", password=PASSWORD
    )
    grant_role(actor=None, user=editor, organisation=service.partner, role=Role.PROVIDER_EDITOR)
    yield service
    cache.clear()


def focused_id(page: Page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def tab_to(page: Page, element_id: str, limit: int = 60) -> None:
    for _ in range(limit):
        if focused_id(page) == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def test_a_person_asks_a_service_to_contact_them_and_the_provider_reads_it(
    page: Page, service_with_editor
):
    service = service_with_editor
    page.goto(f"/services/{service.pk}/")
    page.get_by_role("link", name="Ask this service to contact you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ask {service.name} to contact you")

    # First attempt by keyboard alone, with a phone number that is not a UK number.
    tab_to(page, "id_name")
    page.keyboard.type("Sam Example")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_contact_method_0"
    page.keyboard.press("ArrowDown")  # "Text message"
    assert page.is_checked("#id_contact_method_1")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_phone"
    page.keyboard.type("12345")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_best_time"
    page.keyboard.type("Weekday mornings")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_message"
    page.keyboard.type("I would like to come along. <3")
    page.keyboard.press("Tab")  # the hidden honeypot is skipped
    assert focused_id(page) == "id_consent"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator("#id_phone-error")).to_contain_text("Enter a UK phone number")
    expect(page.locator("#id_name")).to_have_value("Sam Example")
    expect(page.locator("#id_message")).to_have_value("I would like to come along. <3")
    expect(page.locator("#id_contact_method_1")).to_be_checked()
    expect(page.locator("#id_consent")).to_be_checked()
    assert page.title().startswith("Error:")
    assert_accessible(page)

    # The summary's link takes the person to the field; they fix it and send.
    page.get_by_role("link", name="Enter a UK phone number", exact=False).click()
    page.locator("#id_phone").fill("07400 123456")
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Request sent")
    reference = page.locator(".reference").inner_text()
    assert reference.startswith("LW-")
    expect(page.get_by_text("Do not call it", exact=False)).to_be_visible()  # demo number
    assert_accessible(page)
    assert [m.to for m in mail.outbox] == [["ed@partner.test"]]
    assert "Sam" not in mail.outbox[0].body

    # The provider editor signs in and finds it.
    signing_in.sign_in(page, "provider-ed", PASSWORD, "/inbox/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox: requests to contact people")
    expect(page.get_by_text("1 new request is waiting.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Request {reference}")
    expect(page.get_by_text("Sam Example")).to_be_visible()
    expect(page.get_by_text("07400 123456")).to_be_visible()
    expect(page.get_by_text("I would like to come along. <3")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Contacted").check()
    page.get_by_label("Note (optional)").fill("Rang back, coming on Tuesday.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Request {reference} is now marked contacted."
    )
    expect(page.get_by_text("Rang back, coming on Tuesday.")).to_be_visible()
    assert_accessible(page)
