"""Sessions end after 30 idle minutes and, however busy, after 12 hours."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from linkwell.accounts.models import Role

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PAGE = "/referrals/"


@pytest.fixture
def pat(make_person, alpha):
    return make_person("pat", Role.PRACTITIONER, alpha)


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get(PAGE).status_code == 200
    return client


def test_29_idle_minutes_keep_the_session(pat):
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in_client(pat)
        traveller.shift(dt.timedelta(minutes=29))

        assert client.get(PAGE).status_code == 200


def test_30_idle_minutes_sign_out_and_say_why(pat):
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in_client(pat)
        traveller.shift(dt.timedelta(minutes=30))

        response = client.get(PAGE)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={PAGE}"
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"]).content.decode()

    assert "You were signed out after 30 minutes without activity" in page
    assert "Sign in again to carry on" in page


def test_activity_keeps_the_session_going(pat):
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in_client(pat)
        for _ in range(4):
            traveller.shift(dt.timedelta(minutes=20))
            assert client.get(PAGE).status_code == 200


def test_the_idle_limit_comes_from_settings(pat, settings):
    settings.SESSION_IDLE_MINUTES = 10
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in_client(pat)
        traveller.shift(dt.timedelta(minutes=10))

        response = client.get(PAGE)
        page = client.get(response["Location"]).content.decode()

    assert "You were signed out after 10 minutes without activity" in page


def test_twelve_hours_end_even_a_busy_session(pat):
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in_client(pat)
        for _ in range(12 * 3 - 1):
            traveller.shift(dt.timedelta(minutes=20))
            assert client.get(PAGE).status_code == 200
        traveller.shift(dt.timedelta(minutes=20))

        response = client.get(PAGE)
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()

    assert "You were signed out because you had been signed in for 12 hours" in page


def test_activity_is_written_down_at_most_once_a_minute(pat):
    """Each write is a database update of the session; one a minute is plenty for a timeout."""
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in_client(pat)
        stamp = client.session["linkwell_last_activity"]
        traveller.shift(dt.timedelta(seconds=59))
        client.get(PAGE)
        assert client.session["linkwell_last_activity"] == stamp

        traveller.shift(dt.timedelta(seconds=2))
        client.get(PAGE)
        assert client.session["linkwell_last_activity"] > stamp


def test_the_session_cookie_lasts_no_longer_than_the_absolute_limit(settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_MAX_HOURS * 60 * 60 == 43200


def test_a_timeout_is_audited(pat):
    from linkwell.audit.models import AuditEvent

    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in_client(pat)
        traveller.shift(dt.timedelta(minutes=45))
        client.get(PAGE)

    event = AuditEvent.objects.get(action="accounts.session.timed_out")
    assert event.target_id == str(pat.pk)
    assert event.details == {"reason": "idle", "minutes": 30}
