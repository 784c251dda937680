"""Issue 4's "done when", through the actions: a firefighter's Safe and Well visit with three
needs, each referred with consent; falls accepts, the lunch club is full and waitlists; a GP
practice refers to Community Connectors until its cap and the next waits; the connector runs
sessions and closes the case; the firefighter and the GP see the outcome; all audited."""

import datetime as dt

import pytest

from linkwell.audit.models import AuditEvent
from linkwell.referrals import actions, lifecycle, policies
from linkwell.referrals import queries as rq
from linkwell.referrals.errors import NoConsent, NoPlaceLeft, Refused
from linkwell.referrals.models import (
    CaseStatus,
    EncounterKind,
    Notification,
    NotificationKind,
    ReferralStatus,
    Urgency,
)
from linkwell.referrals.tests.ecc_world import NHS_NUMBERS, consent_to, new_person, refer

S = ReferralStatus


def test_a_safe_and_well_visit_refers_three_needs_and_hears_back(world):
    ff, ada = world["firefighter"], world["person"]
    visit = actions.record_encounter(
        ada,
        actor=ff,
        via="test",
        kind=EncounterKind.SAFE_AND_WELL,
        needs=[
            ("falls_frailty", Urgency.SOON),
            ("loneliness", Urgency.ROUTINE),
            ("fire_safety", Urgency.URGENT),
        ],
        note="Lives alone; two falls this year.",
    )
    # Someone else already took the lunch club's one place this week.
    other = new_person(ff, "Bob", "Hill", NHS_NUMBERS[1])
    consent_to(ff, other, world["lunch"])
    actions.accept_referral(
        refer(ff, other, world["lunch"]), actor=world["lunch_editor"], via="test"
    )

    with pytest.raises(NoConsent):
        refer(ff, ada, world["falls"], need="falls_frailty", encounter=visit)
    consent_to(ff, ada, world["falls"], world["lunch"])
    falls = refer(ff, ada, world["falls"], need="falls_frailty", encounter=visit)
    lunch = refer(ff, ada, world["lunch"], need="loneliness", encounter=visit)
    fire = refer(ff, ada, world["lunch"], need="fire_safety", encounter=visit, send=False)

    actions.accept_referral(falls, actor=world["falls_editor"], via="test")
    with pytest.raises(NoPlaceLeft):
        actions.accept_referral(lunch, actor=world["lunch_editor"], via="test")
    actions.accept_referral(lunch, actor=world["lunch_editor"], via="test", waitlist_if_full=True)
    actions.complete_referral(
        falls,
        actor=world["falls_editor"],
        via="test",
        outcome="Home assessment done; grab rails fitted.",
        outcome_code="achieved",
    )

    assert [r.status for r in rq.referrals_made(ff).filter(person=ada)] == [
        S.DRAFT,
        S.WAITLISTED,
        S.COMPLETED,
    ]
    assert fire.status == S.DRAFT
    told = Notification.objects.about(falls).filter(user=ff, kind=NotificationKind.COMPLETION)
    assert "grab rails" in told.get().message
    view = policies.referral_view(ff, falls)
    assert view.outcome and not view.case_notes and view.person_fields == {"name"}


def test_a_practice_refers_until_its_cap_then_the_next_waits_in_order(world):
    gp, connectors = world["gp"], world["connectors"]
    people = [new_person(gp, f"P{i}", "Test", NHS_NUMBERS[i]) for i in range(1, 5)]
    referrals = []
    for person in people:
        consent_to(gp, person, connectors)
        referrals.append(refer(gp, person, connectors, need="loneliness"))

    assert [r.status for r in referrals] == [S.SENT, S.SENT, S.WAITLISTED, S.WAITLISTED]
    assert all(r.snomed_code == lifecycle.SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING for r in referrals)
    # One admitted referral is cancelled: the first in the queue takes its place.
    actions.cancel_referral(referrals[0], actor=gp, via="test")
    referrals[2].refresh_from_db()
    referrals[3].refresh_from_db()
    assert referrals[2].programme_year is not None and referrals[3].programme_year is None
    with pytest.raises(NoPlaceLeft):
        actions.accept_referral(referrals[3], actor=world["connector"], via="test")


def test_a_connector_runs_sessions_and_closes_the_case(world):
    gp, connector = world["gp"], world["connector"]
    person = new_person(gp, "Cara", "Jones", NHS_NUMBERS[2])
    consent_to(gp, person, world["connectors"])
    referral = refer(gp, person, world["connectors"], need="loneliness")
    actions.accept_referral(referral, actor=connector, via="test")
    case = referral.case
    actions.set_what_matters(case, "Getting out to see people again.", actor=connector, via="test")
    actions.add_goal(case, "Join a walking group", actor=connector, via="test")
    today = dt.date.today()
    for _ in range(6):
        actions.record_session(case, actor=connector, via="test", held_on=today)
    with pytest.raises(Refused, match="up to 6 sessions"):
        actions.record_session(case, actor=connector, via="test", held_on=today)
    actions.record_session(
        case,
        actor=connector,
        via="test",
        held_on=today,
        over_limit_reason="Bereaved mid-programme; one more agreed.",
    )
    caseload = rq.caseload(connector)
    assert [c.pk for c in caseload.active] == [case.pk]
    assert caseload.active[0].sessions_left == -1

    actions.discharge_case(
        case,
        actor=connector,
        via="test",
        outcome="Joined a walking group; feels less alone.",
        outcome_code="achieved",
        outcome_reasons=["goals_met"],
    )

    referral.refresh_from_db()
    assert (case.status, referral.status) == (CaseStatus.DISCHARGED, S.COMPLETED)
    told = Notification.objects.about(referral).filter(kind=NotificationKind.COMPLETION)
    assert set(told.values_list("user__username", flat=True)) == {"gp"}
    audit = (
        AuditEvent.objects.filter(target_id=str(referral.pk))
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert list(audit) == [
        "referrals.referral.created",
        "referrals.referral.sent",
        "referrals.referral.accepted",
        "referrals.referral.in_progress",
        "referrals.referral.completed",
    ]
