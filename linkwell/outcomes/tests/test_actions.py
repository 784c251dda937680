"""A connector records a baseline and a follow-up and sees the change; a draft keeps every
answer when completing is refused; complete answers never change; every write is audited."""

import datetime as dt

import pytest
from django.utils import timezone

from linkwell.audit.models import AuditEvent
from linkwell.outcomes import actions, queries
from linkwell.outcomes.instruments import AnswersRefused
from linkwell.outcomes.models import Administration, AdministrationStatus, Mode, Timepoint
from linkwell.outcomes.tests.records_world import baseline, swemwbs
from linkwell.referrals.errors import Refused


def test_a_connector_records_a_baseline_and_a_follow_up_and_sees_the_change(world, case):
    connector = world["connector"]
    assert queries.expected_timepoint(case, "swemwbs") == Timepoint.BASELINE

    first = baseline(case, connector, level=2)

    assert first.status == AdministrationStatus.COMPLETE
    assert first.total == 14 and first.metric is not None
    # Its follow-up is scheduled, due the follow-up weeks after.
    follow_up = Administration.objects.get(case=case, timepoint=Timepoint.FOLLOW_UP)
    assert follow_up.status == AdministrationStatus.DRAFT
    assert follow_up.due_on == timezone.localdate() + dt.timedelta(weeks=12)
    # Starting the follow-up opens the one scheduled rather than a second.
    started = actions.start_administration(
        case.person,
        "swemwbs",
        timepoint=Timepoint.FOLLOW_UP,
        mode=Mode.CONNECTOR,
        actor=connector,
        via="test",
        case=case,
    )
    assert started.pk == follow_up.pk
    actions.save_answers(started, swemwbs(4), actor=connector, via="test", complete=True)

    change = queries.change_since_baseline(case.person, "swemwbs", actor=connector, via="test")
    headline = change["headline"]
    assert headline["from"] < headline["to"]
    assert headline["better"] and headline["meaningful"]
    over_time = queries.scores_over_time(case.person, actor=connector, via="test")
    assert [a.timepoint for a in over_time] == [Timepoint.BASELINE, Timepoint.FOLLOW_UP]


def test_a_second_baseline_is_refused(world, case):
    baseline(case, world["connector"])
    with pytest.raises(Refused) as refused:
        actions.start_administration(
            case.person,
            "swemwbs",
            timepoint=Timepoint.BASELINE,
            mode=Mode.CONNECTOR,
            actor=world["connector"],
            via="test",
            case=case,
        )
    assert refused.value.field == "timepoint"


def _draft(case, connector):
    return actions.start_administration(
        case.person,
        "swemwbs",
        timepoint=Timepoint.BASELINE,
        mode=Mode.CONNECTOR,
        actor=connector,
        via="test",
        case=case,
    )


def test_the_draft_keeps_every_answer_when_completing_is_refused(world, case):
    connector = world["connector"]
    draft = _draft(case, connector)
    answers = swemwbs(3, leave_out=3)  # SWEMWBS allows no missing item
    answers["optimistic"] = 9  # and one out of range

    with pytest.raises(AnswersRefused) as refused:
        actions.save_answers(draft, answers, actor=connector, via="test", complete=True)

    assert "optimistic" in refused.value.problems
    draft.refresh_from_db()
    assert draft.status == AdministrationStatus.DRAFT
    assert draft.answers == answers  # nothing answered is lost
    # Putting it right completes it, with what was kept.
    fix = {"optimistic": 3, **{k: 3 for k in swemwbs(3) if k not in answers}}
    done = actions.save_answers(draft, fix, actor=connector, via="test", complete=True)
    assert done.status == AdministrationStatus.COMPLETE and done.total == 21


def test_complete_answers_cannot_be_changed(world, case):
    done = baseline(case, world["connector"], level=3)
    with pytest.raises(Refused, match="cannot be changed"):
        actions.save_answers(
            done, {"optimistic": 5}, actor=world["connector"], via="test", complete=False
        )
    done.refresh_from_db()
    assert done.answers["optimistic"] == 3 and done.total == 21


def test_an_answer_to_no_question_is_refused_and_nothing_saved(world, case):
    draft = _draft(case, world["connector"])
    with pytest.raises(Refused) as refused:
        actions.save_answers(
            draft,
            {"optimistic": 3, "shoe_size": 9},
            actor=world["connector"],
            via="t",
            complete=False,
        )
    assert refused.value.field == "answers" and "shoe_size" in refused.value.message
    draft.refresh_from_db()
    assert draft.answers == {}


def test_every_write_and_every_read_is_audited(world, case):
    connector = world["connector"]
    done = baseline(case, connector)
    queries.scores_over_time(case.person, actor=connector, via="test")
    queries.change_since_baseline(case.person, "swemwbs", actor=connector, via="test")

    events = AuditEvent.objects.filter(action__startswith="outcomes.").order_by("at", "id")
    assert list(events.values_list("action", flat=True)) == [
        "outcomes.administration.started",
        "outcomes.administration.saved",
        "outcomes.administration.complete",
        "outcomes.administration.scheduled",
        "outcomes.scores.viewed",
        "outcomes.change.viewed",
    ]
    assert events.filter(target_id=str(done.pk)).exclude(actor=connector).count() == 0
    viewed = events.get(action="outcomes.scores.viewed")
    assert viewed.target_id == str(case.person.pk) and viewed.details["administrations"] == [
        str(done.pk)
    ]
    # No names in the log.
    assert not events.filter(target_label__icontains="Jones").exists()
