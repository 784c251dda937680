"""API tokens expire and can be revoked: after either, the token signs nobody in (401, like any
bad token), while the holder's other tokens keep working."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from linkwell.accounts.models import Role
from linkwell.accounts.token_models import ApiToken
from linkwell.accounts.tokens import (
    MAX_DAYS,
    create_api_token,
    revoke_api_token,
    user_for_token,
)
from linkwell.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

NOTIFICATIONS = "/api/v1/notifications/"


def _get(token: str) -> int:
    return Client().get(NOTIFICATIONS, headers={"Authorization": f"Bearer {token}"}).status_code


@pytest.fixture
def gp(make_person, alpha):
    return make_person("gp", Role.PRACTITIONER, alpha)


def test_a_new_token_lasts_the_configured_number_of_days(gp, settings):
    settings.API_TOKEN_DAYS = 30
    before = timezone.now()

    row, _token = create_api_token(gp, actor=None, via="test")

    assert before + dt.timedelta(days=30) <= row.expires_at
    assert row.expires_at <= timezone.now() + dt.timedelta(days=30)


def test_a_token_works_until_it_expires_and_then_is_401(gp):
    row, token = create_api_token(gp, actor=None, via="test", days=7)

    with time_machine.travel(row.expires_at - dt.timedelta(minutes=1), tick=False):
        assert _get(token) == 200
    with time_machine.travel(row.expires_at + dt.timedelta(seconds=1), tick=False):
        response = Client().get(NOTIFICATIONS, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert user_for_token(token) is None


def test_an_expired_token_is_answered_like_a_made_up_one(gp):
    row, token = create_api_token(gp, actor=None, via="test", days=1)
    made_up = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")

    with time_machine.travel(row.expires_at + dt.timedelta(days=1), tick=False):
        expired = Client().get(NOTIFICATIONS, headers={"Authorization": f"Bearer {token}"})
        wrong = Client().get(NOTIFICATIONS, headers={"Authorization": f"Bearer {made_up}"})

    assert expired.status_code == wrong.status_code == 401
    assert expired.json() == wrong.json()


def test_a_revoked_token_is_401_at_once_and_the_users_other_tokens_still_work(gp):
    row, token = create_api_token(gp, actor=None, via="test", name="GP system")
    _other_row, other = create_api_token(gp, actor=None, via="test", name="spare")
    assert _get(token) == 200

    assert revoke_api_token(row, actor=None, via="test") is True

    assert _get(token) == 401
    assert _get(other) == 200


def test_revoking_twice_changes_nothing_the_second_time(gp):
    row, _token = create_api_token(gp, actor=None, via="test")
    assert revoke_api_token(row, actor=None, via="test") is True
    first = ApiToken.objects.get(pk=row.pk).revoked_at

    assert revoke_api_token(row, actor=None, via="test") is False

    assert ApiToken.objects.get(pk=row.pk).revoked_at == first
    assert AuditEvent.objects.filter(action="accounts.api_token.revoked").count() == 1


def test_making_a_token_is_audited_with_its_expiry_but_never_the_token(gp):
    row, token = create_api_token(gp, actor=None, via="test", days=10)

    event = AuditEvent.objects.get(action="accounts.api_token.created")
    assert event.target_id == str(gp.pk)
    assert event.details["token"] == row.prefix
    assert event.details["expires_at"] == row.expires_at.isoformat()
    assert token not in str(event.details)


@pytest.mark.parametrize("days", [0, -1, MAX_DAYS + 1])
def test_a_token_lasts_at_least_a_day_and_at_most_a_year(gp, days):
    with pytest.raises(ValueError, match="days"):
        create_api_token(gp, actor=None, via="test", days=days)

    assert not ApiToken.objects.exists()


def test_the_model_knows_which_tokens_still_work(gp):
    live, _ = create_api_token(gp, actor=None, via="test", days=1)
    revoked, _ = create_api_token(gp, actor=None, via="test", days=1)
    revoke_api_token(revoked, actor=None, via="test")
    revoked.refresh_from_db()

    assert live.active and not revoked.active
    with time_machine.travel(live.expires_at + dt.timedelta(seconds=1), tick=False):
        assert live.expired and not live.active
