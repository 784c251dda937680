"""Outcomes through the pages in a browser: a connector asks the baseline and the follow-up on
a case (a draft saved, each unanswered question named) and sees the change as a chart with
its table; a person answers a follow-up on their phone in Polish through the link they were
sent, and an expired link offers a new one. Each page passes axe and nothing scrolls
sideways at 390 px."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import signing_in
from tests.e2e.accessibility import assert_accessible

PASSWORD = "correct-horse-battery-staple-42"
PHONE = {"width": 390, "height": 844}
UCLA = ("companionship", "left_out", "isolated")


@pytest.fixture
def case(live_db, settings):
    """A GP's referral of Cara to Community Connectors, accepted: her case, committed."""
    from django.conf import settings as conf

    from linkwell.accounts.actions import create_organisation, create_user, grant_role
    from linkwell.accounts.models import OrganisationKind, Role
    from linkwell.directory.tests.page_services import make_service
    from linkwell.places.actions import load_place
    from linkwell.referrals import actions
    from linkwell.referrals.models import ConsentPurpose, Programme

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_place(conf.PLACE_DATA_DIRS)

    def staff(username, role, org):
        user = create_user(actor=None, username=username, password=PASSWORD)
        grant_role(actor=None, user=user, organisation=org, role=role)
        return user

    practice = create_organisation(
        actor=None,
        name="Thornbury Medical Practice",
        kind=OrganisationKind.GP_PRACTICE,
        ods_code="B83005",
    )
    connect = create_organisation(actor=None, name="Connect Well", kind="voluntary")
    gp = staff("gp", Role.PRACTITIONER, practice)
    connector = staff("connector", Role.CONNECTOR, connect)
    connectors = make_service("Community Connectors", partner_name="Connect Well", minimum_age=None)
    Programme.objects.create(service=connectors, practice_cap=2, programme_cap=1300)
    cara = actions.register_person(
        actions.PersonDetails(
            given_name="Cara",
            family_name="Jones",
            birth_date=dt.date(1950, 1, 1),
            postcode="BD3 7HZ",
            email="cara@example.test",
            preferred_language="pl",
            gp_practice_code="B83005",
        ),
        actor=gp,
        via="test",
    )
    for purpose in (ConsentPurpose.SHARE_WITH_SERVICE, ConsentPurpose.CONTACT_PHONE):
        extra = {"service": connectors} if purpose == ConsentPurpose.SHARE_WITH_SERVICE else {}
        actions.record_consent(cara, purpose, actor=gp, via="test", **extra)
    referral = actions.make_referral(actor=gp, via="test", person=cara, service=connectors).referral
    actions.accept_referral(referral, actor=connector, via="test")
    falls_team = create_organisation(actor=None, name="Falls Team", kind="nhs_trust")
    falls_editor = staff("falls_editor", Role.PROVIDER_EDITOR, falls_team)
    falls = make_service("Falls prevention", partner_name="Falls Team", minimum_age=None)
    actions.record_consent(
        cara, ConsentPurpose.SHARE_WITH_SERVICE, actor=gp, via="test", service=falls
    )
    to_falls = actions.make_referral(actor=gp, via="test", person=cara, service=falls).referral
    actions.receive_referral(to_falls, actor=falls_editor, via="test")
    actions.accept_referral(to_falls, actor=falls_editor, via="test")
    referral.refresh_from_db()
    return referral.case


def check(page: Page) -> None:
    """Accessible, and nothing sideways on a phone."""
    assert_accessible(page)
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at 390 px"
    if size:
        page.set_viewport_size(size)


def answer(page: Page, values: dict[str, int]) -> None:
    for item, value in values.items():
        page.locator(f"#id_item_{item}_{value}").check()


def test_a_connector_records_a_baseline_and_a_follow_up_and_sees_the_change(page: Page, case):
    signing_in.sign_in(page, "connector", PASSWORD, f"/cases/{case.pk}/")
    expect(page.get_by_role("heading", name="Questionnaires")).to_be_visible()
    check(page)

    for timepoint, value in (("Baseline (at the start)", 2), ("Follow-up (at the end)", 0)):
        page.goto(f"/cases/{case.pk}/")
        page.get_by_role("link", name="Ask a questionnaire now").click()
        check(page)
        page.get_by_label("UCLA 3-item loneliness scale").check()
        page.get_by_label(timepoint).check()
        page.get_by_role("button", name="Start").click()
        answer(page, {"companionship": value})
        page.get_by_role("button", name="Save and finish later").click()
        expect(page.get_by_role("status")).to_contain_text("Answers saved")
        expect(page.locator(f"#id_item_companionship_{value}")).to_be_checked()

        page.get_by_role("button", name="Save and finish", exact=True).click()
        summary = page.locator(".error-summary")
        expect(summary.get_by_role("link")).to_have_count(2)  # the two unanswered, each linked
        check(page)
        summary.get_by_role("link").first.click()
        answer(page, {"left_out": value, "isolated": value})
        page.get_by_role("button", name="Save and finish", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text("is complete and scored")

    page.get_by_role("link", name="See their scores over time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcomes: Cara Jones")
    expect(page.get_by_text(re.compile("Better by 6 since the baseline"))).to_be_visible()
    chart = page.get_by_role("img", name=re.compile("Chart of UCLA 3-item loneliness scale"))
    expect(chart).to_be_visible()
    src = chart.get_attribute("src")
    drawn = page.request.get(src)
    assert drawn.status == 200, drawn.text()[:500]
    assert drawn.headers["content-type"] == "image/svg+xml"
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
    )
    table = page.get_by_role("table", name=re.compile("scores over time"))
    expect(table).to_contain_text("9")
    expect(table).to_contain_text("3")
    check(page)


def _link(case, language="pl"):
    from django.contrib.auth import get_user_model

    from linkwell.outcomes import actions
    from linkwell.outcomes.models import Mode, Timepoint

    connector = get_user_model().objects.get(username="connector")
    administration = actions.start_administration(
        case.person,
        "swemwbs",
        timepoint=Timepoint.FOLLOW_UP,
        mode=Mode.SELF,
        actor=connector,
        via="test",
        case=case,
        language=language,
    )
    path = actions.send_self_completion_link(
        administration, channel="email", actor=connector, via="test"
    )
    return administration, path


def test_a_person_completes_a_follow_up_on_their_phone_in_polish(phone_page: Page, case):
    from linkwell.outcomes.models import AdministrationStatus

    page = phone_page
    administration, path = _link(case)

    page.goto(path)
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    questions = page.locator("fieldset.radios")
    expect(questions).to_have_count(7)
    check(page)
    for n in range(3):
        questions.nth(n).get_by_role("radio").nth(3).check()
    page.locator("button[name=save]").click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(questions.nth(0).get_by_role("radio").nth(3)).to_be_checked()  # kept

    page.locator("button[name=finish]").click()
    expect(page.locator(".error-summary li")).to_have_count(4)
    check(page)
    for n in range(3, 7):
        questions.nth(n).get_by_role("radio").nth(2).check()
    page.locator("button[name=finish]").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check(page)

    administration.refresh_from_db()
    assert administration.status == AdministrationStatus.COMPLETE
    used = page.goto(path)  # used: said plainly, nothing more to do
    assert used is not None and used.status == 410
    expect(page.locator("form[action*='new-link']")).to_have_count(0)


def test_a_person_answers_on_a_phone_with_javascript_turned_off(browser, live_server, case):
    """The link works as plain HTML forms: a draft saved, the missing answers named, finished."""
    from linkwell.outcomes.models import AdministrationStatus

    context = browser.new_context(
        viewport=PHONE, locale="en-GB", base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    administration, path = _link(case)
    page.goto(path)
    questions = page.locator("fieldset.radios")
    expect(questions).to_have_count(7)
    questions.nth(0).get_by_role("radio").nth(1).check()
    page.locator("button[name=save]").click()
    expect(questions.nth(0).get_by_role("radio").nth(1)).to_be_checked()
    page.locator("button[name=finish]").click()
    expect(page.locator(".error-summary li")).to_have_count(6)
    for n in range(1, 7):
        questions.nth(n).get_by_role("radio").nth(4).check()
    page.locator("button[name=finish]").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    context.close()
    administration.refresh_from_db()
    assert administration.status == AdministrationStatus.COMPLETE
    assert administration.total == 2 + 6 * 5


def test_an_expired_link_offers_a_new_one_and_keeps_the_answers(phone_page: Page, case):
    from django.utils import timezone

    page = phone_page
    administration, path = _link(case, language="en")
    page.goto(path)
    page.locator("fieldset.radios").first.get_by_role("radio").first.check()
    page.get_by_role("button", name="Save and finish later").click()
    administration.links.update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    page.goto(path)

    expect(page.get_by_role("heading", level=1)).to_have_text("This link has expired")
    expect(page.get_by_text(re.compile("Nothing you answered is lost"))).to_be_visible()
    check(page)
    page.get_by_role("button", name="Send me a new link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A new link is on its way")
    check(page)
    administration.refresh_from_db()
    assert len(administration.answers) == 1


def test_a_service_codes_the_outcome_and_a_connector_sends_a_link(page: Page, case):
    from linkwell.outcomes.models import ReferralOutcome, SelfCompletionLink
    from linkwell.referrals.models import Referral

    to_falls = Referral.objects.get(service__name="Falls prevention")
    signing_in.sign_in(page, "falls_editor", PASSWORD, f"/referrals/{to_falls.pk}/")
    page.get_by_role("button", name="Complete").click()
    expect(page.locator(".error-summary")).to_contain_text("Select how it ended")
    check(page)
    page.get_by_label("Partly achieved").check()
    page.get_by_label("Their needs changed").check()
    page.get_by_label("What was offered and what happened").fill("Two home visits.")
    page.get_by_role("button", name="Complete").click()
    expect(page.get_by_role("status")).to_contain_text("is now completed")
    assert ReferralOutcome.objects.get(referral=to_falls).code == "partly"

    page.get_by_role("link", name="Coded outcome and questionnaires").click()
    expect(page.get_by_label("Partly achieved")).to_be_checked()
    check(page)
    page.get_by_role("link", name="Ask a questionnaire (optional)").click()
    check(page)

    signing_in.sign_in(page, "connector", PASSWORD, f"/cases/{case.pk}/")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send a link to answer at home")
    expect(page.locator(".error-summary li")).to_have_count(2)  # which, and how to send
    check(page)
    page.get_by_label(re.compile("^Short Warwick-Edinburgh")).check()
    page.get_by_label("Follow-up (at the end)").check()
    page.get_by_label("E-mail", exact=True).check()
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("status")).to_contain_text("The link is sent by e-mail.")
    assert SelfCompletionLink.objects.filter(administration__case=case).count() == 1
