"""The message back and the FHIR export carry the coded outcome and the change since
baseline: answers and scores only to readers who see case notes."""

import pytest
from fhir.resources.R4B.bundle import Bundle

from linkwell.outcomes import actions
from linkwell.outcomes.models import Administration, Timepoint
from linkwell.outcomes.tests.records_world import baseline, swemwbs
from linkwell.referrals import actions as referral_actions
from linkwell.referrals import policies
from linkwell.referrals.fhir.export import referral_bundle
from linkwell.referrals.models import Notification, NotificationKind


@pytest.fixture
def discharged(world, case):
    connector = world["connector"]
    baseline(case, connector, level=2)
    follow_up = Administration.objects.get(case=case, timepoint=Timepoint.FOLLOW_UP)
    actions.save_answers(follow_up, swemwbs(4), actor=connector, via="test", complete=True)
    referral_actions.discharge_case(
        case,
        actor=connector,
        via="test",
        outcome="Joined a choir.",
        outcome_code="achieved",
        outcome_reasons=["goals_met"],
    )
    case.referral.refresh_from_db()
    return case.referral


def _by_type(bundle):
    found = {}
    for entry in bundle.entry:
        found.setdefault(entry.resource.get_resource_type(), []).append(entry.resource)
    return found


def test_the_gps_message_back_carries_the_coded_outcome_and_the_change(world, discharged):
    told = (
        Notification.objects.about(discharged)
        .filter(user=world["gp"], kind=NotificationKind.COMPLETION)
        .first()
    )
    assert "Outcome: Achieved (what they wanted to achieve was met)." in told.message
    assert "at the start" in told.message and "meaningful change" in told.message
    assert "Cara" not in told.message and "Jones" not in told.message


def test_the_services_export_carries_answers_scores_and_the_coded_outcome(world, discharged):
    bundle = referral_bundle(discharged, policies.referral_view(world["connector"], discharged))

    Bundle.model_validate(bundle.model_dump())  # valid R4 as a whole
    found = _by_type(bundle)
    responses = found["QuestionnaireResponse"]
    assert len(responses) == 2
    assert {r.basedOn[0].reference for r in responses} == {f"urn:uuid:{discharged.pk}"}
    assert len(responses[0].item) == 7
    scores = [o for o in found["Observation"] if o.valueQuantity is not None]
    assert len(scores) == 2  # SWEMWBS: one headline (the metric score) per administration
    assert all(o.code.coding[0].code == "swemwbs" for o in scores)
    assert {o.derivedFrom[0].reference for o in scores} == {f"urn:uuid:{r.id}" for r in responses}
    [coded] = [o for o in found["Observation"] if o.valueCodeableConcept is not None]
    assert coded.valueCodeableConcept.coding[0].code == "achieved"
    assert coded.component[0].valueCodeableConcept.coding[0].code == "goals_met"


def test_a_referrer_sees_the_coded_outcome_but_no_scores(world, discharged):
    bundle = referral_bundle(discharged, policies.referral_view(world["gp"], discharged))
    found = _by_type(bundle)
    assert "QuestionnaireResponse" not in found
    [coded] = found["Observation"]
    assert coded.valueCodeableConcept.coding[0].code == "achieved"


def test_ons4_reports_each_question_as_its_own_observation(world, case):
    connector = world["connector"]
    started = actions.start_administration(
        case.person,
        "ons4",
        timepoint=Timepoint.BASELINE,
        mode="connector",
        actor=connector,
        via="test",
        case=case,
    )
    answers = {"life_satisfaction": 6, "worthwhile": 7, "happiness": 5, "anxiety": 3}
    actions.save_answers(started, answers, actor=connector, via="test", complete=True)
    bundle = referral_bundle(case.referral, policies.referral_view(connector, case.referral))
    scores = [o for o in _by_type(bundle)["Observation"] if o.valueQuantity is not None]
    assert sorted(o.code.coding[0].code for o in scores) == [
        "ons4.anxiety",
        "ons4.happiness",
        "ons4.life_satisfaction",
        "ons4.worthwhile",
    ]
