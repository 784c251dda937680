"""The one notification path: an inbox row per person, once; one e-mail each after commit,
with no personal details; a mail failure recorded and tried again; each person marks only
their own."""

import pytest
from django.conf import settings
from django.core import mail
from django_q.models import Schedule

from linkwell.accounts.actions import create_organisation, create_user
from linkwell.accounts.models import OrganisationKind
from linkwell.notifications import actions, channels, delivery, queries
from linkwell.notifications.actions import Notice
from linkwell.notifications.models import (
    MessageStatus,
    Notification,
    NotificationKind,
    OutgoingMessage,
)

KIND = NotificationKind.LISTINGS_TO_CHECK


@pytest.fixture
def alice(db):
    return create_user(actor=None, username="alice", email="alice@partner.test")


@pytest.fixture
def bob(db):
    return create_user(actor=None, username="bob", email="bob@partner.test")


@pytest.fixture
def charlie(db):
    return create_user(actor=None, username="charlie")  # no e-mail address


@pytest.fixture
def subject(db):
    return create_organisation(actor=None, name="Good Company", kind=OrganisationKind.VOLUNTARY)


def test_each_person_gets_one_inbox_row_even_if_named_twice(alice, bob, charlie):
    assert actions.notify([alice, bob, alice, charlie, None], KIND, "3 listings to check") == 3
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == [
        "alice",
        "bob",
        "charlie",
    ]


def test_the_e_mails_go_after_commit_one_each(
    alice, bob, charlie, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.notify([alice, bob, charlie], KIND, "3 listings to check", link="/provider/")
    assert mail.outbox == []  # not before commit
    for callback in callbacks:
        callback()
    assert sorted(m.to for m in mail.outbox) == [["alice@partner.test"], ["bob@partner.test"]]
    message = mail.outbox[0]
    assert message.subject == "3 listings to check"
    assert settings.PUBLIC_BASE_URL + "/provider/" in message.body


def test_a_notice_without_a_link_points_at_the_inbox(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.notify([alice], KIND, "Something happened")
    assert actions.INBOX_PATH in mail.outbox[0].body


def test_the_e_mail_subject_and_body_may_be_given(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.notify([alice], KIND, "Short", email_subject="Subject", email_body="Body\n")
    assert (mail.outbox[0].subject, mail.outbox[0].body) == ("Subject", "Body\n")


def test_many_notices_are_one_insert_each_and_one_connection(
    alice, bob, monkeypatch, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    opened = []
    real = channels.get_connection
    monkeypatch.setattr(channels, "get_connection", lambda: opened.append(1) or real())
    notices = [Notice([alice, bob], KIND, f"Notice {n}") for n in range(5)]
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(2):
        assert actions.notify_many(notices) == 10  # the inbox rows, then the e-mails
    assert opened == [1] and len(mail.outbox) == 10
    assert set(OutgoingMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}


def test_a_mail_failure_is_recorded_to_try_again_and_the_inbox_row_kept(
    alice, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "linkwell.referrals.tests.test_notify.BrokenBackend"
    with django_capture_on_commit_callbacks() as callbacks:
        actions.notify([alice], KIND, "Something happened")
    callbacks[0]()  # the job fails: kept from the caller, its next try scheduled
    assert Schedule.objects.filter(kwargs__contains="deliver").count() == 1
    with pytest.raises(delivery.NotSentYet):  # what the job itself does, run on its own
        delivery.deliver(OutgoingMessage.objects.get().pk)
    assert Notification.objects.filter(user=alice).count() == 1
    message = OutgoingMessage.objects.get()
    assert (message.status, message.attempts) == (MessageStatus.RETRYING, 2)
    assert "could not be reached" in message.last_error
    assert "Could not e-mail" in caplog.text


def test_notices_name_what_they_are_about_by_reference(alice, subject):
    actions.notify([alice], KIND, "About the company", about=subject, link="/somewhere/")
    actions.notify([alice], KIND, "About nothing")
    notice = Notification.objects.about(subject).get()
    assert (notice.subject_type, notice.subject_id) == ("accounts.organisation", str(subject.pk))
    assert notice.is_about(subject) and notice.link == "/somewhere/"
    assert queries.subject_pk(notice, "accounts.organisation") == str(subject.pk)
    assert queries.subject_pk(notice, "referrals.referral") is None


def test_forgetting_a_subject_deletes_its_notices_and_messages_only(alice, subject):
    actions.notify([alice], KIND, "About the company", about=subject)
    actions.notify([alice], KIND, "About nothing")
    assert actions.forget([subject]) == 1
    assert list(Notification.objects.values_list("message", flat=True)) == ["About nothing"]
    assert list(OutgoingMessage.objects.values_list("summary", flat=True)) == ["About nothing"]


def test_charlie_cannot_mark_alices_notices_read(alice, charlie):
    actions.notify([alice, charlie], KIND, "For both")
    alices = Notification.objects.get(user=alice)
    assert actions.mark_read(charlie, [alices.pk]) == 0
    assert queries.count_unread(alice) == 1
    assert actions.mark_read(alice, [alices.pk]) == 1
    assert queries.count_unread(alice) == 0
    assert list(queries.notifications_for(alice, unread_only=True)) == []
    assert [n.pk for n in queries.notifications_for(alice)] == [alices.pk]
