"""Messages leave through GOV.UK Notify (a local fake of its API, started here: never the
internet), SMTP or the console: after commit only, with a first name and a link at most; a
temporary failure is kept to try again and shown, a permanent one is shown to its sender with a
notice in their inbox."""

import uuid

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule

from linkwell.accounts.actions import create_user
from linkwell.notifications import channels, delivery, outgoing, queries
from linkwell.notifications.models import (
    MessageStatus,
    Notification,
    NotificationKind,
    OutgoingMessage,
)
from tests.fakes.notify import FakeNotify

TEMPLATES = {"email": str(uuid.uuid4()), "text": str(uuid.uuid4())}
LINK = "https://linkwell.example/answer/tok3n/"


@pytest.fixture
def alice(db):
    return create_user(actor=None, username="alice", email="alice@partner.test")


@pytest.fixture
def charlie(db):
    return create_user(actor=None, username="charlie", email="charlie@partner.test")


@pytest.fixture
def notify(db, settings):
    with FakeNotify() as fake:
        settings.LINKWELL_MAIL = "notify"
        settings.NOTIFY_API_KEY = fake.api_key
        settings.NOTIFY_BASE_URL = fake.url
        settings.NOTIFY_TEMPLATES = TEMPLATES
        yield fake


def a_text(sender=None, to="07700 900123"):
    return outgoing.text(
        to,
        f"Hello Cara. Please answer a few short questions here: {LINK}",
        kind="outcome_link",
        first_name="Cara",
        link=LINK,
        sender=sender,
    )


def deliver_all() -> None:
    """The delivery job itself, as the worker runs it (raising when it must be tried again)."""
    delivery.deliver(*OutgoingMessage.objects.values_list("pk", flat=True))


def queue_and_commit(capture, *messages):
    """Queue in a transaction; return the delivery jobs it left for after commit."""
    with capture() as jobs:
        outgoing.queue(messages)
    return jobs


def test_a_text_reaches_notify_with_only_a_first_name_and_a_link(
    notify, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outgoing.queue([a_text(sender=alice)])

    [sent] = notify.requests
    assert sent.kind == "sms" and notify.refused == []
    assert sent.body["phone_number"] == "07700 900123"
    assert sent.body["template_id"] == TEMPLATES["text"]
    assert set(sent.personalisation) == {"body", "first_name", "link"}
    assert (sent.personalisation["first_name"], sent.personalisation["link"]) == ("Cara", LINK)
    message = OutgoingMessage.objects.get()
    assert (message.status, message.attempts, message.notify_id) == ("sent", 1, sent.id)
    assert message.personalisation == {}  # the link's token is not kept once sent


def test_an_e_mail_reaches_notify_with_its_subject_and_body(
    notify, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outgoing.queue(
            [
                outgoing.email(
                    "cara@example.test",
                    "A few questions",
                    f"Hello Cara. {LINK}\n",
                    kind="outcome_link",
                    first_name="Cara",
                    link=LINK,
                )
            ]
        )
    [sent] = notify.requests
    assert sent.kind == "email" and sent.body["email_address"] == "cara@example.test"
    assert sent.body["template_id"] == TEMPLATES["email"]
    assert sent.personalisation == {
        "subject": "A few questions",
        "body": f"Hello Cara. {LINK}\n",
        "first_name": "Cara",
        "link": LINK,
    }
    assert mail.outbox == []  # not through Django's mail as well


def test_nothing_else_may_travel_in_a_message(db):
    message = outgoing.Outgoing("text", "07700 900123", "outcome_link", {"family_name": "Jones"})
    with pytest.raises(ValueError, match="family_name"):
        outgoing.queue([message])


def test_nothing_is_sent_for_a_change_rolled_back(
    notify, alice, django_capture_on_commit_callbacks
):
    class Undo(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as jobs,
        pytest.raises(Undo),
        transaction.atomic(),
    ):
        outgoing.queue([a_text(sender=alice)])
        raise Undo
    assert jobs == [] and notify.requests == []
    assert not OutgoingMessage.objects.exists()


def test_notify_down_leaves_the_message_to_try_again_and_shown_to_its_sender(
    notify, alice, django_capture_on_commit_callbacks, client
):
    queue_and_commit(django_capture_on_commit_callbacks, a_text(sender=alice))
    notify.fail_next(500, "Internal server error")
    with pytest.raises(delivery.NotSentYet):  # the job raises: the jobs layer tries it again
        deliver_all()

    message = OutgoingMessage.objects.get()
    assert (message.status, message.attempts) == (MessageStatus.RETRYING, 1)
    assert "500" in message.last_error
    assert message.personalisation["link"] == LINK  # still there for the next try
    assert not Notification.objects.filter(user=alice).exists()  # not given up: no notice
    client.force_login(alice)
    page = client.get("/notifications/").content.decode()
    assert "Messages sent" in page and "Not sent yet: trying again" in page
    assert "tried again automatically" in page

    deliver_all()  # the retry: Notify is back
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)
    assert len(notify.requests) == 1


def test_a_failed_delivery_job_is_scheduled_to_run_again(
    notify, django_capture_on_commit_callbacks
):
    jobs = queue_and_commit(django_capture_on_commit_callbacks, a_text())
    notify.fail_next(500)
    jobs[0]()  # run as queued: the failure is kept from the caller, the next try scheduled
    [retry] = Schedule.objects.all()
    assert retry.next_run > timezone.now() and "deliver" in retry.kwargs
    assert OutgoingMessage.objects.get().status == MessageStatus.RETRYING


@pytest.mark.parametrize("status", [429, 503])
def test_notify_busy_is_tried_again_too(notify, status, django_capture_on_commit_callbacks):
    queue_and_commit(django_capture_on_commit_callbacks, a_text())
    notify.fail_next(status)
    with pytest.raises(delivery.NotSentYet):
        deliver_all()
    assert OutgoingMessage.objects.get().status == MessageStatus.RETRYING


def test_notify_unreachable_is_tried_again(notify, settings, django_capture_on_commit_callbacks):
    queue_and_commit(django_capture_on_commit_callbacks, a_text())
    notify.stop()  # nothing listens there now
    with pytest.raises(delivery.NotSentYet):
        deliver_all()
    assert OutgoingMessage.objects.get().status == MessageStatus.RETRYING


def test_a_refused_number_fails_for_good_and_its_sender_is_told(
    notify, alice, charlie, django_capture_on_commit_callbacks, client
):
    jobs = queue_and_commit(
        django_capture_on_commit_callbacks, a_text(sender=alice, to="01632 960001")
    )
    notify.fail_next(400, "Not a UK mobile number")
    jobs[0]()  # recorded, not raised: trying again would not help

    message = OutgoingMessage.objects.get()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 1)
    assert "Not a UK mobile number" in message.last_error
    assert message.personalisation == {}
    [notice] = Notification.objects.filter(user=alice)
    assert notice.kind == NotificationKind.DELIVERY_FAILED
    assert "number ending 001" in notice.message and "Not a UK mobile number" in notice.message
    assert "Check the mobile number" in notice.message  # what to do
    assert "01632" not in notice.message and "Cara" not in notice.message

    client.force_login(alice)
    page = client.get("/notifications/").content.decode()
    assert "Not delivered" in page and "Check the mobile number" in page
    client.force_login(charlie)  # Charlie sees nothing of Alice's messages
    assert "Messages sent" not in client.get("/notifications/").content.decode()

    jobs[0]()  # a job run again never sends what failed for good
    assert notify.requests == [] and Notification.objects.filter(user=alice).count() == 1


def test_a_bad_key_is_refused_by_the_fake_as_by_notify(
    notify, alice, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_API_KEY = notify.api_key[:-36] + str(uuid.uuid4())  # another secret
    jobs = queue_and_commit(django_capture_on_commit_callbacks, a_text(sender=alice))
    jobs[0]()
    message = OutgoingMessage.objects.get()
    assert message.status == MessageStatus.FAILED and "403" in message.last_error
    assert notify.refused and notify.requests == []


def test_it_gives_up_after_the_last_attempt_and_tells_the_sender(
    notify, alice, settings, django_capture_on_commit_callbacks
):
    settings.LINKWELL_MAIL_ATTEMPTS = 2
    queue_and_commit(django_capture_on_commit_callbacks, a_text(sender=alice))
    notify.fail_next(500, times=2)
    with pytest.raises(delivery.NotSentYet):
        deliver_all()
    deliver_all()  # the last attempt: given up, not raised
    assert OutgoingMessage.objects.get().status == MessageStatus.FAILED
    assert Notification.objects.filter(user=alice, kind="delivery_failed").count() == 1


def test_a_message_being_sent_by_another_worker_is_left_to_it(
    notify, django_capture_on_commit_callbacks
):
    queue_and_commit(django_capture_on_commit_callbacks, a_text())
    message = OutgoingMessage.objects.get()
    assert delivery._claim(message.pk) is not None  # another worker took it
    with pytest.raises(delivery.NotSentYet):  # so this job is tried again later
        deliver_all()
    assert notify.requests == []


def test_smtp_sends_e_mail_through_djangos_backend_and_refuses_texts(
    settings, alice, django_capture_on_commit_callbacks
):
    settings.LINKWELL_MAIL = "smtp"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        outgoing.queue(
            [
                outgoing.email(
                    "cara@example.test",
                    "A few questions",
                    f"Hello Cara. {LINK}\n",
                    kind="outcome_link",
                    sender=alice,
                ),
                a_text(sender=alice),
            ]
        )
    [sent] = mail.outbox
    assert (sent.to, sent.subject) == (["cara@example.test"], "A few questions")
    email, text = OutgoingMessage.objects.order_by("id")
    assert email.status == MessageStatus.SENT
    assert text.status == MessageStatus.FAILED and "Notify" in text.last_error
    assert Notification.objects.filter(user=alice, kind="delivery_failed").count() == 1


def test_the_console_keeps_texts_in_the_outbox(db, settings, django_capture_on_commit_callbacks):
    settings.LINKWELL_MAIL = "console"
    channels.text_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        outgoing.queue([a_text()])
    [text] = channels.text_outbox
    assert text.number == "07700 900123" and LINK in text.message
    channels.text_outbox.clear()


def test_each_sender_lists_only_their_own_messages(alice, charlie):
    outgoing.queue([a_text(sender=alice), a_text(sender=charlie), a_text()])
    assert [m.sent_by for m in queries.messages_sent_by(alice)] == [alice]
