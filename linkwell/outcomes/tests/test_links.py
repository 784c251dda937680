"""A person answers through a link with no sign-in: shown once, kept as a hash, saved as a
draft until sent, used up when sent, running out after its days, and asked for again."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from linkwell.audit.models import AuditEvent
from linkwell.outcomes import actions, links, texts
from linkwell.outcomes.links import LinkExpired, LinkProblem, LinkUnknown, LinkUsed, TooManyRequests
from linkwell.outcomes.models import AdministrationStatus, Mode, SelfCompletionLink, Timepoint
from linkwell.outcomes.tests.records_world import swemwbs, token_in
from linkwell.referrals import actions as referral_actions
from linkwell.referrals.errors import Refused
from linkwell.referrals.models import Consent, ConsentPurpose


@pytest.fixture
def draft(world, case):
    return actions.start_administration(
        case.person,
        "swemwbs",
        timepoint=Timepoint.FOLLOW_UP,
        mode=Mode.SELF,
        actor=world["connector"],
        via="test",
        case=case,
        language="pl",
    )


def send(world, draft, capture, channel="text", **kw):
    with capture(execute=True):
        path = actions.send_self_completion_link(
            draft, channel=channel, actor=world["connector"], via="test", **kw
        )
    return path.split("/")[2]


def test_the_link_is_texted_with_a_first_name_at_most_and_only_its_hash_kept(
    world, draft, django_capture_on_commit_callbacks
):
    token = send(world, draft, django_capture_on_commit_callbacks)

    [text] = texts.outbox
    assert text.number == "07700 900123"
    assert token_in(text.message) == token
    assert "Cara" in text.message and "Jones" not in text.message
    link = SelfCompletionLink.objects.get(administration=draft)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(SelfCompletionLink.objects.values()))
    assert link.expires_at - link.created_at == dt.timedelta(days=14)
    assert links.open_link(token).pk == draft.pk


def test_it_e_mails_when_asked_and_refuses_a_channel_with_no_address(
    world, draft, django_capture_on_commit_callbacks
):
    with pytest.raises(Refused) as refused:
        send(world, draft, django_capture_on_commit_callbacks, channel="email")
    assert refused.value.field == "channel"
    draft.person.email = "cara@example.test"
    draft.person.save(update_fields=["email"])
    token = send(world, draft, django_capture_on_commit_callbacks, channel="email")
    [message] = mail.outbox
    assert message.to == ["cara@example.test"] and token in message.body
    assert "Jones" not in message.subject + message.body


def test_a_draft_is_saved_through_the_link_then_sent_once(
    world, draft, django_capture_on_commit_callbacks
):
    token = send(world, draft, django_capture_on_commit_callbacks)

    actions.answer_by_link(token, swemwbs(4, leave_out=2), complete=False)
    assert links.open_link(token).answers == swemwbs(4, leave_out=2)  # still opens
    done = actions.answer_by_link(token, swemwbs(4), complete=True)

    assert done.status == AdministrationStatus.COMPLETE and done.mode == Mode.SELF
    with pytest.raises(LinkUsed) as used:
        links.open_link(token)
    assert not used.value.can_ask_again and "already" in used.value.message
    with pytest.raises(LinkUsed):
        actions.answer_by_link(token, {"optimistic": 1}, complete=False)
    done.refresh_from_db()
    assert done.answers["optimistic"] == 4
    audited = AuditEvent.objects.filter(target_id=str(draft.pk), actor=None)
    assert {e.actor_label for e in audited} == {f"self-completion link {draft.links.get().pk}"}


def test_an_expired_link_says_so_keeps_the_answers_and_a_new_one_can_be_asked_for(
    world, draft, django_capture_on_commit_callbacks
):
    token = send(world, draft, django_capture_on_commit_callbacks)
    actions.answer_by_link(token, {"optimistic": 2}, complete=False)

    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        with pytest.raises(LinkExpired) as expired:
            links.open_link(token)
        assert expired.value.can_ask_again and "lost" in expired.value.message
        with pytest.raises(LinkExpired):
            actions.answer_by_link(token, swemwbs(3), complete=True)

        texts.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            actions.request_new_link(token)

        [text] = texts.outbox
        assert text.number == "07700 900123"  # the same channel, never one given by the asker
        fresh = token_in(text.message)
        with pytest.raises(LinkUnknown):  # the old link is replaced
            links.open_link(token)
        kept = links.open_link(fresh)
        assert kept.answers == {"optimistic": 2}  # nothing answered was lost
        actions.answer_by_link(fresh, swemwbs(3), complete=True)
    assert AuditEvent.objects.filter(action="outcomes.link.reissued").count() == 1


def test_a_new_link_is_not_sent_for_a_link_that_still_works_or_too_often(
    world, draft, django_capture_on_commit_callbacks, settings
):
    settings.OUTCOME_LINK_REQUESTS_PER_DAY = 1
    token = send(world, draft, django_capture_on_commit_callbacks)
    with pytest.raises(LinkProblem, match="still works"):
        actions.request_new_link(token)

    SelfCompletionLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    texts.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_new_link(token)
    fresh = token_in(texts.outbox[-1].message)
    SelfCompletionLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(TooManyRequests) as refused:
        actions.request_new_link(fresh)
    assert not refused.value.can_ask_again and "tomorrow" in refused.value.message


def test_an_unknown_or_revoked_link_opens_nothing(world, draft, django_capture_on_commit_callbacks):
    with pytest.raises(LinkUnknown) as unknown:
        links.open_link("made-up-token")
    assert not unknown.value.can_ask_again
    old = send(world, draft, django_capture_on_commit_callbacks)
    send(world, draft, django_capture_on_commit_callbacks)  # a second link replaces the first
    with pytest.raises(LinkUnknown, match="replaced"):
        links.open_link(old)


def test_a_link_is_not_texted_to_someone_who_has_not_agreed_to_texts(world, case):
    consent = Consent.objects.get(person=case.person, purpose=ConsentPurpose.CONTACT_TEXT)
    referral_actions.withdraw_consent(consent, actor=world["gp"], via="test")
    draft = actions.start_administration(
        case.person,
        "swemwbs",
        timepoint="baseline",
        mode="connector",
        actor=world["connector"],
        via="test",
        case=case,
    )

    with pytest.raises(Refused) as refused:
        actions.send_self_completion_link(
            draft, channel="text", actor=world["connector"], via="test"
        )

    assert refused.value.field == "channel" and "by e-mail" in str(refused.value)
    assert not draft.links.exists()
