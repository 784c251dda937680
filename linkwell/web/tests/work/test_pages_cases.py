"""The connector's caseload and case page (sessions, the limit, goals, onward referrals,
discharge), and everyone's notifications with the unread count in the navigation."""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from linkwell.audit.models import AuditEvent
from linkwell.referrals import actions
from linkwell.referrals.models import CaseStatus, Notification, Referral, ReferralStatus
from linkwell.referrals.queries import referrals as rq
from linkwell.referrals.tests.pages_world import (  # noqa: F401 (fixture)
    NHS_NUMBERS,
    consent_to,
    new_person,
    pages_fixture,
    refer,
    sign_in,
)


def act(client, case, verb, **data):
    return client.post(reverse("referrals:case_action", args=[case.pk, verb]), data)


def test_the_caseload_shows_active_cases_with_sessions_left(client, pages):
    sign_in(client, "connector")

    page = client.get(reverse("referrals:caseload")).content.decode()

    assert "Cara Jones" in page
    assert reverse("referrals:case_detail", args=[pages["case"].pk]) in page
    assert "No one is waiting." in page


def test_an_overdue_follow_up_shows_when_it_was_due_in_the_readers_language(client, pages):
    case = pages["case"]
    case.next_follow_up = dt.date(2026, 3, 4)
    case.save(update_fields=["next_follow_up"])
    sign_in(client, "connector")

    english = client.get(reverse("referrals:caseload")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    urdu = client.get(reverse("referrals:caseload")).content.decode()

    assert "Overdue follow-ups (1)" in english
    assert "follow-up was due 4 March 2026" in english
    assert 'data-label="Next follow-up">4 Mar 2026</td>' in english  # the active list's
    assert "follow-up was due" not in urdu
    with translation.override("ur"):
        due = translation.gettext("follow-up was due %(on)s")
    assert due != "follow-up was due %(on)s"
    assert due.split("%(on)s")[0].strip() in urdu


def test_a_cut_list_still_counts_everything_in_it(client, pages, monkeypatch):
    gp, cara, connectors = pages["gp"], pages["cara"], pages["connectors"]
    made = [refer(gp, cara, connectors) for _ in range(4)]  # the practice cap is 2: 1 in, 3 wait
    actions.accept_referral(made[0], actor=pages["connector"], via="test")
    monkeypatch.setattr(rq, "PAGE_LIMIT", 1)
    sign_in(client, "connector")

    page = client.get(reverse("referrals:caseload")).content.decode()

    assert "Waiting list (3)" in page and "Show all 3 waiting" in page
    assert "Active cases (2)" in page and "Show all 2 active cases" in page
    assert "Overdue follow-ups (0)" in page


def test_sessions_past_the_limit_need_a_reason_then_the_case_is_discharged(client, pages):
    case, today = pages["case"], dt.date.today().isoformat()
    sign_in(client, "connector")
    act(client, case, "what-matters", text="Getting out to see people again.")
    act(client, case, "goal", text="Join a walking group")
    for _ in range(6):
        act(client, case, "session", held_on=today, notes="Talked")

    refused = act(client, case, "session", held_on=today)
    act(client, case, "session", held_on=today, over_limit_reason="Bereaved; one more agreed.")
    goal = case.goals.get()
    act(client, case, "goal-status", goal=str(goal.pk), status="achieved")
    unconfirmed = act(client, case, "discharge", text="Joined a walking group; feels less alone.")
    assert unconfirmed.status_code == 400
    assert "Confirm you have talked the discharge through with the person" in (
        unconfirmed.content.decode()
    )
    assert "Joined a walking group; feels less alone." in unconfirmed.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    act(
        client,
        case,
        "discharge",
        text="Joined a walking group; feels less alone.",
        outcome_code="achieved",
        outcome_reasons="goals_met",
        confirm="on",
    )

    assert refused.status_code == 400
    assert 'id="id_session_over_limit_reason-error"' in refused.content.decode()
    case.refresh_from_db()
    assert (case.sessions_held, case.status) == (7, CaseStatus.DISCHARGED)
    assert case.goals.get().status == "achieved"
    assert case.referral.status == ReferralStatus.COMPLETED
    client.logout()
    sign_in(client, "gp")
    page = client.get(reverse("referrals:my_referrals")).content.decode()
    assert "Joined a walking group; feels less alone." in page


def test_a_session_in_the_future_is_refused_at_its_date(client, pages):
    sign_in(client, "connector")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()

    response = act(client, pages["case"], "session", held_on=tomorrow, notes="Planned")

    assert response.status_code == 400
    assert 'id="id_session_held_on-error"' in response.content.decode()
    assert "Planned" in response.content.decode()


def test_an_onward_referral_is_made_from_the_case_with_consent(client, pages):
    case, lunch = pages["case"], pages["lunch"]
    sign_in(client, "connector")
    page = client.get(reverse("referrals:case_detail", args=[case.pk]), {"need": "food"})
    assert "Lunch club" in page.content.decode()

    act(client, case, "consent", service=str(lunch.pk), need="food")
    act(client, case, "refer", service=str(lunch.pk), need="food", idempotency_key="k-1")
    act(client, case, "refer", service=str(lunch.pk), need="food", idempotency_key="k-1")

    onward = Referral.objects.get(from_case=case)
    assert (onward.service, onward.need, onward.status) == (lunch, "food", ReferralStatus.SENT)


def test_empty_boxes_say_what_to_enter(client, pages):
    case = pages["case"]
    sign_in(client, "connector")

    goal = act(client, case, "goal", text=" ").content.decode()
    discharge = act(client, case, "discharge", text="").content.decode()

    assert "Enter a goal, in the person&#x27;s words" in goal
    assert "Enter how they were helped and where they go next" in discharge
    assert "Confirm you have talked the discharge through with the person" in discharge
    for page in (goal, discharge):
        assert "Write something here." not in page and "Write this first." not in page


def _discharge(pages, person_name, outcome):
    gp, connectors = pages["gp"], pages["connectors"]
    person = new_person(gp, *person_name.split(), NHS_NUMBERS[3])
    consent_to(gp, person, connectors)
    referral = refer(gp, person, connectors, need="loneliness")
    actions.accept_referral(referral, actor=pages["connector"], via="test")
    referral.refresh_from_db()
    actions.discharge_case(
        referral.case,
        outcome=outcome,
        outcome_code="achieved",
        actor=pages["connector"],
        via="test",
    )
    return referral.case


def test_closed_cases_are_listed_searchable_by_name_and_audited(client, pages):
    closed = _discharge(pages, "Dora Wells", "Joined the Tuesday lunch club.")
    sign_in(client, "connector")
    url = reverse("referrals:closed_cases")
    assert url in client.get(reverse("referrals:caseload")).content.decode()

    every = client.get(url).content.decode()
    found = client.get(url, {"q": "wells"}).content.decode()
    none = client.get(url, {"q": "Zebedee"}).content.decode()
    short = client.get(url, {"q": "w"})

    assert "Dora Wells" in every and "Cara Jones" not in every  # Cara's case is open
    assert "Joined the Tuesday lunch club." in every
    assert reverse("referrals:case_detail", args=[closed.pk]) in found
    assert "No closed case matches “Zebedee”." in none
    assert short.status_code == 400
    assert "Enter at least 2 letters of a name" in short.content.decode()
    listed = AuditEvent.objects.filter(actor=pages["connector"], via="page:closed_cases")
    assert listed.filter(target_id=str(closed.person_id)).exists()


def test_closed_cases_are_for_connectors_only(client, pages):
    _discharge(pages, "Dora Wells", "Joined the Tuesday lunch club.")
    for stranger in ("firefighter", "falls_editor"):
        sign_in(client, stranger)
        response = client.get(reverse("referrals:closed_cases"))
        assert response.status_code == 403
        assert "Dora Wells" not in response.content.decode()
        client.logout()


def test_a_new_referral_notification_reads_once(client, pages):
    sign_in(client, "falls_editor")

    page = client.get(reverse("referrals:notifications")).content.decode()

    reference = pages["falls_referral"].reference
    assert f"New referral {reference}" in page
    assert "New referral: New referral" not in page and "New New referral" not in page


def test_notifications_are_listed_counted_in_the_nav_and_marked_read(client, pages):
    sign_in(client, "gp")
    unread = Notification.objects.filter(user=pages["gp"], read_at=None)
    assert unread.exists()  # the connector accepted the GP's referral

    home = client.get(reverse("referrals:notifications")).content.decode()
    assert f"({unread.count()} unread)" in home

    client.post(reverse("referrals:notifications_read"), {"all": "1"})

    assert not unread.exists()
    assert "(0 unread)" not in client.get(reverse("referrals:notifications")).content.decode()


def test_nobody_marks_another_persons_notifications(client, pages):
    theirs = Notification.objects.filter(user=pages["gp"]).first()
    sign_in(client, "firefighter")

    client.post(reverse("referrals:notifications_read"), {"id": str(theirs.pk)})

    theirs.refresh_from_db()
    assert theirs.read_at is None
