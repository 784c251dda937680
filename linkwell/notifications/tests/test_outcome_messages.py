"""A person's self-completion link, texted through GOV.UK Notify (the local fake): it carries
their first name and the link, nothing else about them; its sender sees it went."""

import re

import pytest

from linkwell.notifications.models import MessageStatus, OutgoingMessage
from linkwell.outcomes import actions
from linkwell.outcomes.models import Mode, Timepoint
from tests.fakes.notify import FakeNotify


@pytest.fixture
def notify(db, settings):
    with FakeNotify() as fake:
        settings.LINKWELL_MAIL = "notify"
        settings.NOTIFY_API_KEY = fake.api_key
        settings.NOTIFY_BASE_URL = fake.url
        settings.NOTIFY_TEMPLATES = {"email": "e-template", "text": "t-template"}
        yield fake


def test_a_self_completion_link_is_texted_with_a_first_name_and_the_link_only(
    world, case, notify, django_capture_on_commit_callbacks
):
    connector = world["connector"]
    draft = actions.start_administration(
        case.person,
        "swemwbs",
        timepoint=Timepoint.FOLLOW_UP,
        mode=Mode.SELF,
        actor=connector,
        via="test",
        case=case,
    )
    with django_capture_on_commit_callbacks(execute=True):
        path = actions.send_self_completion_link(draft, channel="text", actor=connector, via="test")

    [sent] = [r for r in notify.requests if r.kind == "sms"]  # (staff were e-mailed too)
    assert sent.kind == "sms" and sent.body["phone_number"] == "07700 900123"
    p = sent.personalisation
    assert p["first_name"] == "Cara" and p["link"].endswith(path)
    assert path in p["body"] and "Cara" in p["body"]
    said = str(sent.body)
    assert "Jones" not in said and not re.search(r"\d{3} ?\d{3} ?\d{4}", said)  # NHS number
    message = OutgoingMessage.objects.get(kind="outcome_link")
    assert (message.sent_by, message.status) == (connector, MessageStatus.SENT)
    assert message.kind == "outcome_link" and message.personalisation == {}
