"""Issue 4's "done when", through the pages in a browser: a firefighter's Safe and Well visit
with three needs, each referred with consent; the falls service accepts (and later completes),
the lunch club is full and waitlists; a GP practice refers to Community Connectors until its
cap and the next waits; the connector runs sessions and closes the case; the firefighter and
the GP see the outcome; every step is in the audit log. Each new page type passes axe."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import signing_in
from tests.e2e.accessibility import assert_accessible

PASSWORD = "correct-horse-battery-staple-42"
NHS = ["9990000018", "9990000026", "9990000034", "9990000042", "9990000050"]


@pytest.fixture
def partnership(live_db, settings):
    """The partners, their staff and services (as in referrals/tests/ecc_world.py), committed
    for the live server. The lunch club's one place this week is already taken."""
    from django.conf import settings as conf

    from linkwell.accounts.actions import create_organisation, create_user, grant_role
    from linkwell.accounts.models import OrganisationKind, Role
    from linkwell.directory.records import TermRef
    from linkwell.directory.tests.page_services import make_service
    from linkwell.places.actions import load_place
    from linkwell.referrals import actions
    from linkwell.referrals.models import CapacityMode, ConsentPurpose, Programme
    from tests.e2e.conftest import refresh_statistics

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_place(conf.PLACE_DATA_DIRS)
    refresh_statistics()

    def staff(username, role, org):
        user = create_user(actor=None, username=username, password=PASSWORD)
        grant_role(actor=None, user=user, organisation=org, role=role)
        return user

    def org(name, kind, **extra):
        return create_organisation(actor=None, name=name, kind=kind, **extra)

    def service(name, partner, need):
        terms = [TermRef("linkwell-needs", need)]
        return make_service(name, partner_name=partner, minimum_age=None, terms=terms)

    fire = org("Bradford Fire", OrganisationKind.FIRE)
    practice = org("Thornbury Medical Practice", OrganisationKind.GP_PRACTICE, ods_code="B83005")
    w = {
        "firefighter": staff("firefighter", Role.PRACTITIONER, fire),
        "gp": staff("gp", Role.PRACTITIONER, practice),
        "connector": staff("connector", Role.CONNECTOR, org("Connect Well", "voluntary")),
        "falls_editor": staff("falls_editor", Role.PROVIDER_EDITOR, org("Falls Team", "nhs_trust")),
        "lunch_editor": staff(
            "lunch_editor", Role.PROVIDER_EDITOR, org("Good Company", "voluntary")
        ),
    }
    w["falls"] = service("Falls prevention", "Falls Team", "falls_frailty")
    w["lunch"] = service("Lunch club", "Good Company", "loneliness")
    w["fire_check"] = service("Home fire safety check", "Bradford Fire", "fire_safety")
    w["connectors"] = service("Community Connectors", "Connect Well", "mental_wellbeing")
    Programme.objects.create(service=w["connectors"], practice_cap=2, programme_cap=1300)
    actions.set_capacity(
        w["lunch"], actor=w["lunch_editor"], via="test", mode=CapacityMode.PLACES, places=1
    )
    bob = _person(w["firefighter"], "Bob", "Hill", NHS[1])
    actions.record_consent(
        bob,
        ConsentPurpose.SHARE_WITH_SERVICE,
        actor=w["firefighter"],
        via="test",
        service=w["lunch"],
    )
    taken = actions.make_referral(
        actor=w["firefighter"], via="test", person=bob, service=w["lunch"]
    ).referral
    actions.accept_referral(taken, actor=w["lunch_editor"], via="test")
    return w


def _person(actor, given, family, nhs):
    from linkwell.referrals import actions

    return actions.register_person(
        actions.PersonDetails(
            given_name=given,
            family_name=family,
            birth_date=dt.date(1950, 1, 1),
            nhs_number=nhs,
            postcode="BD3 7HZ",
            gp_practice_code="B83005",
        ),
        actor=actor,
        via="test",
    )


def sign_in(page: Page, username: str, next_url: str) -> None:
    signing_in.sign_in(page, username, PASSWORD, next_url)


def register(page: Page, given: str, family: str, nhs: str) -> None:
    page.goto("/people/new/")
    page.get_by_label("Given name").fill(given)
    page.get_by_label("Family name").fill(family)
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("5")
    page.get_by_label("Year").fill("1941")
    page.get_by_label("NHS number (optional)").fill(nhs)
    page.get_by_label("Postcode (optional)").fill("BD3 7HZ")
    page.get_by_label("GP practice (optional)").select_option("B83005")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{given} {family}")


def record_contact(page: Page, kind: str, needs: dict[str, str], check: bool = False) -> None:
    page.get_by_role("link", name="Record a contact").click()
    if check:
        assert_accessible(page)
    page.get_by_label(kind).check()
    for need, urgency in needs.items():
        page.get_by_label(need, exact=True).check()
        page.get_by_label(f"How pressing: {need}").select_option(label=urgency)
    page.get_by_role("button", name="Record the contact").click()
    expect(page.get_by_role("status")).to_contain_text("The contact is recorded.")


def consent_and_refer(page: Page, service: str, need: str, reason: str = "") -> None:
    offer = page.locator(f"#need-{need}").locator(".offer").filter(has_text=service)
    offer.get_by_label(f"Ask about sharing with {service}").check()
    page.get_by_role("button", name="Record consent for the ticked services").click()
    expect(page.get_by_role("status")).to_contain_text(f"share their details with {service}")
    if reason:
        offer.get_by_label("Reason (optional)").fill(reason)
    offer.get_by_role("button", name=re.compile(f"^Refer to {service}")).click()
    expect(page.get_by_role("status")).to_contain_text(f"to {service} is")


def open_referral(page: Page, list_url: str, person: str, service: str) -> None:
    page.goto(list_url)
    row = page.get_by_role("row").filter(has_text=person).filter(has_text=service)
    row.get_by_role("link", name=re.compile(r"^LW-")).click()


def test_referrals_close_the_loop_from_visit_to_outcome(page: Page, partnership):
    from linkwell.audit.models import AuditEvent
    from linkwell.referrals.models import Person, Referral, ReferralStatus

    # A firefighter registers Ada and records a Safe and Well visit with three needs.
    sign_in(page, "firefighter", "/referrals/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My referrals")
    assert_accessible(page)
    page.get_by_role("link", name="Register a person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a person")
    assert_accessible(page)
    page.get_by_label("NHS number (optional)").fill("999 000 0019")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter their given name")
    assert_accessible(page)
    register(page, "Ada", "Okafor", NHS[0])
    assert_accessible(page)
    record_contact(
        page,
        "Safe and Well visit",
        {
            "Falls and frailty": "Soon (within a week)",
            "Loneliness and isolation": "Routine",
            "Fire safety at home": "Urgent (within a day)",
        },
        check=True,
    )
    assert_accessible(page)
    # Each need is referred with one action, after recording consent given verbally.
    consent_and_refer(page, "Falls prevention", "falls_frailty", "Two falls this year.")
    consent_and_refer(page, "Lunch club", "loneliness")
    consent_and_refer(page, "Home fire safety check", "fire_safety")
    assert_accessible(page)
    ada = Person.objects.get(family_name="Okafor")
    assert Referral.objects.filter(person=ada, status=ReferralStatus.SENT).count() == 3

    # The falls service accepts (and later completes); the lunch club is full and waitlists.
    sign_in(page, "falls_editor", "/provider/referrals/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Referrals to answer")
    assert_accessible(page)
    open_referral(page, "/provider/referrals/", "Ada Okafor", "Falls prevention")
    assert_accessible(page)
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_contain_text("is now accepted")
    page.get_by_label("Achieved", exact=True).check()
    page.get_by_label("What was offered and what happened").fill(
        "Home assessment done; grab rails fitted."
    )
    page.get_by_role("button", name="Complete").click()
    expect(page.get_by_role("status")).to_contain_text("is now completed")

    sign_in(page, "lunch_editor", "/provider/referrals/")
    open_referral(page, "/provider/referrals/", "Ada Okafor", "Lunch club")
    page.get_by_label("If no place is left, put it on the waiting list").uncheck()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("alert")).to_contain_text("No place left")
    assert_accessible(page)
    page.get_by_label("If no place is left, put it on the waiting list").check()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_contain_text("is now on the waiting list")

    # A GP practice refers to Community Connectors until its cap (2); the next waits.
    sign_in(page, "gp", "/people/new/")
    register(page, "Cara", "Jones", NHS[2])
    record_contact(page, "GP appointment", {"Mental wellbeing": "Routine"})
    consent_and_refer(page, "Community Connectors", "mental_wellbeing")
    for nhs, name in ((NHS[3], "Dev"), (NHS[4], "Eli")):
        register(page, name, "Test", nhs)
        record_contact(page, "GP appointment", {"Mental wellbeing": "Routine"})
        consent_and_refer(page, "Community Connectors", "mental_wellbeing")
    page.goto("/referrals/")
    waiting = page.get_by_role("row").filter(has_text="Eli Test")
    expect(waiting).to_contain_text("On the waiting list")
    expect(page.get_by_role("row").filter(has_text="Cara Jones")).to_contain_text("Sent")

    # The connector accepts Cara, runs sessions and closes the case.
    sign_in(page, "connector", "/caseload/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Caseload")
    expect(page.get_by_role("heading", name=re.compile("Waiting list"))).to_contain_text("(1)")
    assert_accessible(page)
    page.get_by_role("row").filter(has_text="Cara Jones").get_by_role("link").click()
    page.get_by_role("button", name="Accept").click()
    page.get_by_role("link", name="Open the case: sessions, goals and discharge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Case: Cara Jones")
    assert_accessible(page)
    page.get_by_label("What matters to them").fill("Getting out to see people again.")
    page.get_by_role("button", name="Save what matters").click()
    page.get_by_label("A new goal").fill("Join a walking group")
    page.get_by_role("button", name="Add the goal").click()
    for number in (1, 2):
        page.get_by_label("Held on").fill(dt.date.today().isoformat())
        page.get_by_label("Notes (optional)").fill(f"Session {number}: talked about groups.")
        page.get_by_role("button", name="Record the session").click()
        expect(page.get_by_role("status")).to_contain_text(f"Session {number} recorded.")
    page.get_by_role("button", name=re.compile("^Mark achieved.*Join a walking group")).click()
    page.get_by_label("Achieved", exact=True).check()
    page.get_by_label("What they wanted to achieve was met").check()
    page.get_by_label("Outcome: how they were helped and where they go next").fill(
        "Joined a walking group; feels less alone."
    )
    page.get_by_label("I have talked this through with the person").check()
    page.get_by_role("button", name="Discharge and close the case").click()
    expect(page.get_by_role("status")).to_contain_text("The case is closed")
    assert_accessible(page)

    # The GP and the firefighter see the outcomes; the GP's nav counts the news.
    sign_in(page, "gp", "/referrals/")
    expect(page.get_by_role("row").filter(has_text="Cara Jones")).to_contain_text(
        "Joined a walking group; feels less alone."
    )
    page.get_by_role("link", name=re.compile("Notifications")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.get_by_text(re.compile("Referral completed"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_role("link", name=re.compile("Notifications"))).not_to_contain_text("unread")

    sign_in(page, "firefighter", "/referrals/")
    falls_row = page.get_by_role("row").filter(has_text="Falls prevention")
    expect(falls_row).to_contain_text("grab rails fitted")
    expect(
        page.get_by_role("row").filter(has_text="Lunch club").filter(has_text="Ada")
    ).to_contain_text("On the waiting list")

    # Every step is in the audit log, each through the page that did it.
    cara = Referral.objects.get(person__family_name="Jones")
    steps = AuditEvent.objects.filter(target_id=str(cara.pk)).order_by("at", "id")
    assert list(steps.values_list("action", flat=True)) == [
        "referrals.referral.created",
        "referrals.referral.sent",
        "referrals.referral.accepted",
        "referrals.referral.in_progress",
        "referrals.referral.completed",
    ]
    assert set(steps.values_list("via", flat=True)) == {
        "page:contact_detail",
        "page:referral_detail",
        "page:case_detail",
    }
    viewed = AuditEvent.objects.filter(action="referrals.person.viewed", target_id=str(ada.pk))
    assert {"page:person_detail", "page:contact_detail", "page:referral_detail"} <= set(
        viewed.values_list("via", flat=True)
    )
