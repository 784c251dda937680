"""Guessing passwords: a few wrong ones lock the account, and the address, for a while."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from linkwell.accounts.models import Role
from linkwell.accounts.tests.personas import PASSWORD
from linkwell.accounts.tests.signing_in import ADDRESS, OTHER_ADDRESS, password_step
from linkwell.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def ann(make_person, alpha):
    """An analyst: sees no personal data, so her password alone signs her in."""
    return make_person("ann", Role.ANALYST, alpha)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, ann):
    for _ in range(30):
        password_step(client, "ann", "not-her-password")

    response = password_step(client, "ann")

    assert response.status_code == 429
    assert not signed_in(client)
    page = response.content.decode()
    assert "Wait 15 minutes" in page
    assert "ask a partnership admin" in page


def test_the_fifth_wrong_password_locks_the_account(client, ann):
    for _ in range(4):
        assert password_step(client, "ann", "not-her-password").status_code == 200

    assert password_step(client, "ann", "not-her-password").status_code == 429
    assert password_step(client, "ann").status_code == 429


def test_a_locked_account_stays_locked_from_another_address(client, ann):
    for _ in range(5):
        password_step(client, "ann", "not-her-password", address=ADDRESS)

    response = password_step(client, "ann", address=OTHER_ADDRESS)

    assert response.status_code == 429
    assert not signed_in(client)


def test_an_address_guessing_many_accounts_is_locked_for_every_account(client, ann, settings):
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 12
    for n in range(12):  # two guesses each at six names: no account reaches its own limit
        password_step(client, f"someone-{n % 6}", "guess", address=ADDRESS)

    assert password_step(client, "ann", address=ADDRESS).status_code == 429
    assert password_step(client, "ann", address=OTHER_ADDRESS).status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, ann):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            password_step(client, "ann", "not-her-password")

        traveller.shift(dt.timedelta(minutes=14, seconds=59))
        assert password_step(client, "ann").status_code == 429

        traveller.shift(dt.timedelta(seconds=2))
        response = password_step(client, "ann")

        assert response.status_code == 302
        assert signed_in(client)


def test_limits_come_from_settings(client, ann, settings):
    settings.SIGNIN_FAILURE_LIMIT = 3
    settings.SIGNIN_COOLOFF_MINUTES = 40
    for _ in range(3):
        password_step(client, "ann", "not-her-password")

    response = password_step(client, "ann")

    assert response.status_code == 429
    assert "Wait 40 minutes" in response.content.decode()


def test_failures_and_the_lockout_are_audited(client, ann):
    for _ in range(5):
        password_step(client, "ann", "not-her-password")
    password_step(client, "ann")

    actions = list(
        AuditEvent.objects.filter(target_id=str(ann.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions.count("accounts.sign_in.failed") == 4
    assert actions.count("accounts.sign_in.locked_out") == 1
    assert actions[-1] == "accounts.sign_in.refused_locked"
    event = AuditEvent.objects.filter(action="accounts.sign_in.locked_out").get()
    assert event.details["address"] == ADDRESS


def test_a_wrong_username_is_audited_without_echoing_what_was_typed(client, ann):
    password_step(client, "my-secret-password-typed-as-a-name", "x")

    event = AuditEvent.objects.get(action="accounts.sign_in.failed")
    assert "my-secret" not in f"{event.target_label} {event.details}"


def test_a_partnership_admin_unlocks_an_account_in_the_admin(client, ann, people):
    for _ in range(5):
        password_step(client, "ann", "not-her-password")
    admin_client = type(client)()
    admin_client.force_login(people[Role.PARTNERSHIP_ADMIN])

    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [ann.pk]},
    )

    assert response.status_code == 302
    assert password_step(client, "ann").status_code == 302
    event = AuditEvent.objects.get(action="accounts.sign_in.unlocked")
    assert event.target_id == str(ann.pk)
    assert event.actor == people[Role.PARTNERSHIP_ADMIN]


def test_the_admin_lists_lockouts_and_unlocks_an_address(client, ann, people):
    for _ in range(5):
        password_step(client, "ann", "not-her-password")
    admin_client = type(client)()
    admin_client.force_login(people[Role.PARTNERSHIP_ADMIN])

    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert ADDRESS in listing.content.decode()

    from axes.models import AccessAttempt

    response = admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {
            "action": "unlock_attempts",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert AuditEvent.objects.filter(action="accounts.sign_in.unlocked").exists()


def test_a_partner_systems_token_keeps_working_while_the_password_is_locked(
    client, make_person, alpha
):
    """Bearer tokens are not passwords: guessing at the sign-in page does not cut off the API."""
    from linkwell.accounts.tokens import create_api_token

    pia = make_person("pia", Role.PRACTITIONER, alpha)
    _row, token = create_api_token(pia, actor=None, via="test")
    for _ in range(5):
        password_step(client, "pia", "not-her-password")
    assert password_step(client, "pia").status_code == 429

    response = client.get("/api/v1/notifications/", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(client, ann, settings):
    """Whatever the client writes into X-Forwarded-For itself stays on the left: a new
    made-up address each time does not escape the per-address limit."""
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.PROXY_COUNT = 1
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 6
    for n in range(6):
        client.post(
            reverse("login"),
            {"username": f"someone-{n}", "password": "guess"},
            REMOTE_ADDR="10.0.0.1",  # the proxy
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 100}, 203.0.113.7",
        )

    refused = client.post(
        reverse("login"),
        {"username": "ann", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    other = client.post(
        reverse("login"),
        {"username": "ann", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )

    assert refused.status_code == 429
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("header", "count", "forwarded", "expected"),
    [
        ("", 1, "203.0.113.7", "10.0.0.1"),  # no proxy configured: the header is ignored
        ("X-Forwarded-For", 1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        ("X-Forwarded-For", 2, "198.51.100.1, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        ("X-Forwarded-For", 1, "", "10.0.0.1"),  # not through the proxy
        ("X-Forwarded-For", 1, "not-an-address", "10.0.0.1"),
    ],
)
def test_the_client_address_comes_from_settings(settings, header, count, forwarded, expected):
    from django.test import RequestFactory

    from linkwell.accounts.signin.lockout import client_address

    settings.CLIENT_IP_HEADER, settings.PROXY_COUNT = header, count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == expected
