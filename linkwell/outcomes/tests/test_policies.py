"""Who may record and see outcomes. Another partner's member with a valid account who knows
the person's id gets the same refusal as for an id that does not exist."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied

from linkwell.audit.models import AuditEvent
from linkwell.outcomes import actions, policies, queries
from linkwell.outcomes.models import Mode, Timepoint
from linkwell.outcomes.tests.records_world import baseline, swemwbs
from linkwell.referrals.models import Person

# persona -> (may record for the case, may see the person's outcomes)
MATRIX = {
    "connector": (True, True),  # the programme's connector
    "admin": (True, True),  # partnership admin
    "gp": (False, True),  # recorded the person: may open the record
    "lunch_editor": (False, False),  # another partner's provider
    "falls_editor": (False, False),
    "firefighter": (False, False),
    "analyst": (False, False),  # aggregates only
    "outsider": (False, False),
}


@pytest.mark.parametrize("persona", MATRIX)
def test_each_persona_may_do_what_the_matrix_says(world, case, persona):
    user = world[persona]
    may_record, may_view = MATRIX[persona]
    assert policies.may_record_for_case(user, case) is may_record
    assert policies.may_record_for_referral(user, case.referral) is may_record
    assert policies.may_view_outcomes(user, case.person) is may_view


def test_status_only_referrers_never_see_scores_even_of_people_they_recorded(world, case):
    ada = world["person"]  # recorded by the firefighter
    assert Person.objects.filter(pk=ada.pk, created_by=world["firefighter"]).exists()
    assert not policies.may_view_outcomes(world["firefighter"], ada)


def test_another_partners_member_knowing_the_id_learns_nothing(world, case):
    done = baseline(case, world["connector"])
    attacker = world["lunch_editor"]
    nobody = Person(pk=uuid.uuid4())

    refusals = []
    for person in (case.person, nobody):
        with pytest.raises(PermissionDenied) as denied:
            queries.scores_over_time(person, actor=attacker, via="test")
        refusals.append(str(denied.value))
        with pytest.raises(PermissionDenied) as denied:
            queries.change_since_baseline(person, "swemwbs", actor=attacker, via="test")
        refusals.append(str(denied.value))
    for an_id in (done.pk, uuid.uuid4(), "not-an-id"):
        with pytest.raises(PermissionDenied) as denied:
            queries.administration_for(attacker, an_id, via="test")
        refusals.append(str(denied.value))
    assert len(set(refusals)) == 1  # the same words whether the record exists or not
    assert not AuditEvent.objects.filter(action__endswith=".viewed", actor=attacker).exists()


def test_another_partners_member_cannot_write(world, case):
    connector, attacker = world["connector"], world["lunch_editor"]
    draft = actions.start_administration(
        case.person,
        "swemwbs",
        timepoint=Timepoint.BASELINE,
        mode=Mode.CONNECTOR,
        actor=connector,
        via="test",
        case=case,
    )
    with pytest.raises(PermissionDenied):
        actions.start_administration(
            case.person,
            "ucla3",
            timepoint=Timepoint.BASELINE,
            mode=Mode.CONNECTOR,
            actor=attacker,
            via="test",
            case=case,
        )
    with pytest.raises(PermissionDenied):
        actions.save_answers(draft, swemwbs(5), actor=attacker, via="test", complete=True)
    with pytest.raises(PermissionDenied):
        actions.send_self_completion_link(draft, channel="text", actor=attacker, via="test")
    draft.refresh_from_db()
    assert draft.answers == {} and not draft.links.exists()


def test_questionnaires_are_asked_within_a_case_or_a_referral(world, case):
    with pytest.raises(PermissionDenied):
        actions.start_administration(
            case.person,
            "swemwbs",
            timepoint=Timepoint.OTHER,
            mode=Mode.CONNECTOR,
            actor=world["admin"],
            via="test",
        )
