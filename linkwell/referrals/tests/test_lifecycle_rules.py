"""The rules a referral's life keeps, and the bad input refused with the field or rule named,
nothing half-written."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from linkwell.audit.models import AuditEvent
from linkwell.referrals import actions, lifecycle, policies
from linkwell.referrals import queries as rq
from linkwell.referrals.errors import NoConsent, PossibleDuplicate, Refused
from linkwell.referrals.lifecycle import TransitionRefused
from linkwell.referrals.models import (
    CapacityMode,
    ConsentPurpose,
    DuplicateFlag,
    Notification,
    NotificationKind,
    Person,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from linkwell.referrals.tests.ecc_world import NHS_NUMBERS, consent_to, new_person, refer

S = ReferralStatus


def details(**overrides):
    fields = dict(given_name="Dee", family_name="Ward", birth_date=dt.date(1960, 3, 4))
    fields.update(overrides)
    return actions.PersonDetails(**fields)


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"nhs_number": "9990000019"}, "nhs_number", "Modulus 11"),
        ({"nhs_number": "12345"}, "nhs_number", "10 digits"),
        ({"birth_date": dt.date.today() + dt.timedelta(days=1)}, "birth_date", "future"),
        ({"given_name": "  "}, "given_name", "needed"),
        ({"postcode": "not a postcode"}, "postcode", "postcode"),
        ({"postcode": "BD99 9ZZ"}, "postcode", "not known"),
        ({"gp_practice_code": "Z99999"}, "gp_practice_code", "No GP practice"),
    ],
)
def test_bad_details_are_refused_at_the_field_and_nobody_is_stored(world, overrides, field, words):
    before = Person.objects.count()
    with pytest.raises(Refused) as refused:
        actions.register_person(details(**overrides), actor=world["gp"], via="test")
    assert refused.value.field == field and words in refused.value.message
    assert Person.objects.count() == before


def test_a_possible_duplicate_is_flagged_not_silently_created(world):
    ada = world["person"]
    same_number = details(nhs_number=NHS_NUMBERS[0])
    with pytest.raises(PossibleDuplicate) as found:
        actions.register_person(same_number, actor=world["gp"], via="test")
    # The GP cannot open Ada's record (the firefighter's): she is only said to be known.
    assert (found.value.candidates, found.value.known_elsewhere) == ([], True)
    with pytest.raises(PossibleDuplicate) as found:
        actions.register_person(same_number, actor=world["firefighter"], via="test")
    assert (found.value.candidates, found.value.known_elsewhere) == ([ada], False)
    same_name = details(given_name="ada", family_name="OKAFOR", birth_date=ada.birth_date)
    with pytest.raises(PossibleDuplicate):
        actions.register_person(same_name, actor=world["gp"], via="test")

    twin = actions.register_person(same_name, actor=world["gp"], via="test", confirm_new=True)

    flag = DuplicateFlag.objects.get(person=twin)
    assert (flag.other, flag.reason) == (ada, "same name and date of birth")


def test_no_referral_leaves_without_consent_and_nothing_is_written(world):
    before = (Referral.objects.count(), AuditEvent.objects.count())
    with pytest.raises(NoConsent, match="record their consent"):
        refer(world["firefighter"], world["person"], world["falls"])
    assert (Referral.objects.count(), AuditEvent.objects.count()) == before


def test_withdrawn_consent_stops_the_next_referral(world):
    ff, ada = world["firefighter"], world["person"]
    consent = actions.record_consent(
        ada, ConsentPurpose.SHARE_WITH_SERVICE, actor=ff, via="test", service=world["falls"]
    )
    refer(ff, ada, world["falls"])
    actions.withdraw_consent(consent, actor=ff, via="test")
    with pytest.raises(NoConsent):
        refer(ff, ada, world["falls"])


def test_a_safeguarding_referral_records_its_legal_basis_instead_of_consent(world):
    ff, ada = world["firefighter"], world["person"]
    with pytest.raises(Refused) as refused:
        refer(ff, ada, world["falls"], safeguarding=True)
    assert refused.value.field == "legal_basis"

    referral = refer(ff, ada, world["falls"], safeguarding=True, legal_basis="Care Act 2014 s.42")

    assert referral.status == S.SENT and referral.legal_basis == "Care Act 2014 s.42"


def test_completing_a_declined_referral_is_refused_by_the_rule(world):
    ff, ada = world["firefighter"], world["person"]
    consent_to(ff, ada, world["falls"])
    referral = refer(ff, ada, world["falls"])
    actions.decline_referral(
        referral, actor=world["falls_editor"], via="test", reason="Outside our area"
    )
    events = ReferralEvent.objects.filter(referral=referral).count()

    with pytest.raises(TransitionRefused, match="declined cannot become completed"):
        actions.complete_referral(referral, actor=world["falls_editor"], via="test", outcome="Done")

    referral.refresh_from_db()
    assert referral.status == S.DECLINED
    assert ReferralEvent.objects.filter(referral=referral).count() == events


def test_a_stale_copy_cannot_move_a_referral_twice(world):
    """A double-clicked accept: the second click works from the status it was shown."""
    ff, ada = world["firefighter"], world["person"]
    consent_to(ff, ada, world["falls"])
    referral = refer(ff, ada, world["falls"])
    stale = Referral.objects.get(pk=referral.pk)
    actions.accept_referral(referral, actor=world["falls_editor"], via="test")

    with pytest.raises(TransitionRefused, match="changed meanwhile"):
        actions.decline_referral(stale, actor=world["falls_editor"], via="test", reason="x")
    assert Referral.objects.get(pk=referral.pk).status == S.ACCEPTED


def test_the_same_idempotency_key_makes_one_referral(world):
    ff, ada = world["firefighter"], world["person"]
    consent_to(ff, ada, world["falls"])
    first = actions.make_referral(
        actor=ff, via="test", person=ada, service=world["falls"], idempotency_key="visit-42-falls"
    )
    again = actions.make_referral(
        actor=ff, via="test", person=ada, service=world["falls"], idempotency_key="visit-42-falls"
    )
    assert (first.created, again.created) == (True, False)
    assert again.referral.pk == first.referral.pk
    assert Referral.objects.filter(person=ada).count() == 1


def test_only_the_service_answers_and_only_the_referrer_or_service_cancels(world):
    ff, ada = world["firefighter"], world["person"]
    consent_to(ff, ada, world["falls"])
    referral = refer(ff, ada, world["falls"])
    for who in ("firefighter", "lunch_editor", "connector", "analyst", "outsider"):
        with pytest.raises(actions.PermissionDenied):
            actions.accept_referral(referral, actor=world[who], via="test")
    with pytest.raises(actions.PermissionDenied):
        actions.cancel_referral(referral, actor=world["gp"], via="test")
    actions.cancel_referral(referral, actor=ff, via="test")


def test_an_unanswered_referral_is_escalated_after_its_service_response_time(world):
    ff, ada = world["firefighter"], world["person"]
    consent_to(ff, ada, world["falls"], world["lunch"])
    actions.set_capacity(
        world["lunch"],
        actor=world["lunch_editor"],
        via="test",
        mode=CapacityMode.OPEN,
        response_days=7,
    )
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        falls = refer(ff, ada, world["falls"])  # 14 days, the default
        lunch = refer(ff, ada, world["lunch"])  # 7 days
    with time_machine.travel(start + dt.timedelta(days=8), tick=False):
        call_command("escalate_referrals", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (
        Notification.objects.filter(kind=NotificationKind.ESCALATION)
        .about(lunch)
        .filter(user=ff)
        .exists()
    )
    assert not Notification.objects.about(falls).filter(kind=NotificationKind.ESCALATION).exists()
    with time_machine.travel(start + dt.timedelta(days=15), tick=False):
        assert actions.escalate_overdue() == 1  # falls now; lunch is not escalated twice
    escalated = Notification.objects.filter(kind=NotificationKind.ESCALATION)
    assert set(escalated.values_list("user__username", flat=True)) == {"firefighter", "admin"}
    assert escalated.about(falls).filter(user=world["admin"]).exists()


def test_who_sees_a_referral(world):
    ff, ada = world["firefighter"], world["person"]
    consent_to(ff, ada, world["falls"], contact=False)
    referral = refer(ff, ada, world["falls"])
    seeing = {
        who: policies.readable_referrals(world[who]).filter(pk=referral.pk).exists()
        for who in (
            "firefighter",
            "falls_editor",
            "lunch_editor",
            "gp",
            "connector",
            "analyst",
            "admin",
            "outsider",
            "housing_officer",
        )
    }
    assert seeing == {
        "firefighter": True,
        "falls_editor": True,
        "admin": True,
        "lunch_editor": False,
        "gp": False,
        "connector": False,
        "analyst": False,
        "outsider": False,
        "housing_officer": False,
    }
    provider_view = policies.referral_view(world["falls_editor"], referral)
    assert "phone" not in provider_view.person_fields  # no consent to contact by phone
    assert "nhs_number" not in provider_view.person_fields
    actions.record_consent(ada, ConsentPurpose.CONTACT_PHONE, actor=ff, via="test")
    assert "phone" in policies.referral_view(world["falls_editor"], referral).person_fields
    assert policies.referral_view(world["analyst"], referral) == policies.ReferralView()


def test_a_referrals_whole_life_is_in_its_history_and_the_audit_log(world):
    ff, ada = world["firefighter"], world["person"]
    consent_to(ff, ada, world["falls"])
    referral = refer(ff, ada, world["falls"], need="falls_frailty")
    falls = world["falls_editor"]
    actions.receive_referral(referral, actor=falls, via="test")
    actions.accept_referral(referral, actor=falls, via="test")
    actions.start_referral(referral, actor=falls, via="test")
    actions.complete_referral(
        referral, actor=falls, via="test", outcome="Rails fitted.", outcome_code="achieved"
    )

    history = list(referral.events.values_list("from_status", "to_status", "actor_label"))
    assert history == [
        ("", S.DRAFT, "firefighter"),
        (S.DRAFT, S.SENT, "firefighter"),
        (S.SENT, S.RECEIVED, "falls_editor"),
        (S.RECEIVED, S.ACCEPTED, "falls_editor"),
        (S.ACCEPTED, S.IN_PROGRESS, "falls_editor"),
        (S.IN_PROGRESS, S.COMPLETED, "falls_editor"),
    ]
    audited = AuditEvent.objects.filter(target_id=str(referral.pk)).order_by("at", "id")
    assert [a.action.rsplit(".", 1)[1] for a in audited] == [
        "created",
        "sent",
        "received",
        "accepted",
        "in_progress",
        "completed",
    ]
    assert all(lifecycle.FHIR_TASK_STATUS[s] for s in S.values)
    assert [r.pk for r in rq.referrals_made(ff)] == [referral.pk]


def test_a_closed_service_takes_no_referrals_and_a_waiting_list_one_waitlists(world):
    ff, ada = world["firefighter"], world["person"]
    consent_to(ff, ada, world["lunch"])
    editor = world["lunch_editor"]
    actions.set_capacity(world["lunch"], actor=editor, via="test", mode=CapacityMode.CLOSED)
    with pytest.raises(Refused, match="closed"):
        refer(ff, ada, world["lunch"])
    actions.set_capacity(world["lunch"], actor=editor, via="test", mode=CapacityMode.WAITING_LIST)
    assert refer(ff, ada, world["lunch"]).status == S.WAITLISTED


def test_people_other_than_practitioners_and_connectors_cannot_record_people(world):
    for who in ("falls_editor", "analyst", "outsider"):
        with pytest.raises(actions.PermissionDenied):
            actions.register_person(details(), actor=world[who], via="test")
    assert new_person(world["gp"], "Eve", "Adams", NHS_NUMBERS[3]).pk


def test_a_new_referral_reaches_the_services_editors_and_connectors_inbox(world):
    gp = world["gp"]
    person = new_person(gp, "Fay", "Lee", NHS_NUMBERS[4])
    consent_to(gp, person, world["connectors"], world["falls"])
    to_connectors = refer(gp, person, world["connectors"])
    to_falls = refer(gp, person, world["falls"])

    told = Notification.objects.filter(kind=NotificationKind.NEW_REFERRAL)
    assert list(told.about(to_connectors).values_list("user__username", flat=True)) == ["connector"]
    assert list(told.about(to_falls).values_list("user__username", flat=True)) == ["falls_editor"]
