"""The outcome of a referral coded, beside the free text: required when the service
completes it and when a connector discharges a case; "did not engage" codes itself."""

import pytest

from linkwell.audit.models import AuditEvent
from linkwell.outcomes import actions
from linkwell.outcomes.models import ReferralOutcome
from linkwell.referrals import actions as referral_actions
from linkwell.referrals.errors import Refused
from linkwell.referrals.models import CaseStatus, ReferralStatus
from linkwell.referrals.tests.ecc_world import consent_to, refer


@pytest.fixture
def falls(world):
    ada = world["person"]
    consent_to(world["firefighter"], ada, world["falls"])
    referral = refer(world["firefighter"], ada, world["falls"], need="falls_frailty")
    referral_actions.accept_referral(referral, actor=world["falls_editor"], via="test")
    return referral


def test_a_discharge_without_a_coded_outcome_is_refused_and_nothing_changes(world, case):
    with pytest.raises(Refused) as refused:
        referral_actions.discharge_case(
            case, actor=world["connector"], via="test", outcome="Joined a choir."
        )
    assert refused.value.field == "outcome_code"
    case.refresh_from_db()
    case.referral.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    assert case.referral.status == ReferralStatus.ACCEPTED


def test_a_discharge_records_the_coded_outcome_audited(world, case):
    referral_actions.discharge_case(
        case,
        actor=world["connector"],
        via="test",
        outcome="Joined a choir.",
        outcome_code="achieved",
        outcome_reasons=["goals_met"],
    )
    coded = ReferralOutcome.objects.get(referral=case.referral)
    assert (coded.code, coded.reasons, coded.note) == ("achieved", ["goals_met"], "Joined a choir.")
    event = AuditEvent.objects.get(action="outcomes.referral_outcome.recorded")
    assert event.actor == world["connector"] and event.details["code"] == "achieved"


def test_the_service_completing_must_code_the_outcome(world, falls):
    editor = world["falls_editor"]
    with pytest.raises(Refused) as refused:
        referral_actions.complete_referral(falls, actor=editor, via="test", outcome="Rails fitted.")
    assert refused.value.field == "outcome_code"
    with pytest.raises(Refused) as refused:
        referral_actions.complete_referral(
            falls, actor=editor, via="test", outcome="Rails.", outcome_code="brilliant"
        )
    assert refused.value.field == "outcome_code"
    with pytest.raises(Refused) as refused:
        referral_actions.complete_referral(
            falls,
            actor=editor,
            via="test",
            outcome="Rails.",
            outcome_code="partly",
            outcome_reasons=["bored"],
        )
    assert refused.value.field == "outcome_reasons"
    falls.refresh_from_db()
    assert falls.status == ReferralStatus.ACCEPTED

    referral_actions.complete_referral(
        falls,
        actor=editor,
        via="test",
        outcome="Rails fitted.",
        outcome_code="partly",
        outcome_reasons=["needs_changed"],
    )
    assert ReferralOutcome.objects.get(referral=falls).code == "partly"


def test_did_not_engage_is_coded_by_itself(world, falls):
    referral_actions.did_not_engage(falls, actor=world["falls_editor"], via="test")
    assert ReferralOutcome.objects.get(referral=falls).code == "did_not_engage"


def test_the_outcome_is_recorded_only_by_the_service_and_only_once_ended(world, falls):
    with pytest.raises(Refused, match="when the referral is completed"):
        actions.record_referral_outcome(
            falls, code="achieved", reasons=[], note="", actor=world["falls_editor"], via="t"
        )
    referral_actions.complete_referral(
        falls, actor=world["falls_editor"], via="t", outcome="Done.", outcome_code="achieved"
    )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.record_referral_outcome(
            falls, code="not_achieved", reasons=[], note="", actor=world["lunch_editor"], via="t"
        )
    corrected = actions.record_referral_outcome(
        falls,
        code="partly",
        reasons=["other"],
        note="Rails fitted; no ramp.",
        actor=world["falls_editor"],
        via="t",
    )
    assert corrected.code == "partly" and ReferralOutcome.objects.count() == 1


def test_the_api_refuses_a_completion_without_a_code_naming_the_field(world, case):
    from django.test import Client

    client = Client()
    client.force_login(world["connector"])
    path = f"/api/v1/cases/{case.pk}/discharge"
    refused = client.post(path, {"outcome": "Joined."}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["parameter"] == "outcome_code"
    done = client.post(
        path,
        {"outcome": "Joined.", "outcome_code": "achieved", "outcome_reasons": ["goals_met"]},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "discharged"
