"""Two `linkwell serve` processes on one database behave as one: a person signed in on one
carries on on the other (sessions live in the database), and wrong passwords count against the
account wherever they were typed (django-axes keeps its counts in the database too)."""

import pytest
from django.contrib.sessions.models import Session

from linkwell.accounts.actions import create_organisation, create_user, grant_role
from linkwell.accounts.models import OrganisationKind, Role
from linkwell.accounts.tests.signing_in import code_now, give_authenticator
from linkwell.operations.tests.serve.servers import Browser, production_env, serving

PASSWORD = "correct-horse-battery-staple-42"
LIMIT = 3


@pytest.fixture
def practitioner(live_db):
    council = create_organisation(actor=None, name="Alpha Council", kind=OrganisationKind.COUNCIL)
    user = create_user(actor=None, username="priya", password=PASSWORD, email="p@alpha.test")
    grant_role(actor=None, user=user, organisation=council, role=Role.PRACTITIONER)
    device, _codes = give_authenticator(user)
    return user, device


@pytest.fixture(scope="module")
def two_servers(django_db_setup, tmp_path_factory, collected_static):
    """Started once for these tests (each test's rows are its own: `live_db`)."""
    tmp_path = tmp_path_factory.mktemp("servers")
    env = production_env(
        STATIC_ROOT=str(collected_static),
        LINKWELL_WARM_UP="0",
        LINKWELL_SIGNIN_FAILURE_LIMIT=str(LIMIT),
    )
    options = ("--no-collectstatic", "--workers", "1", "--threads", "2")
    with (
        serving(tmp_path, *options, env=env, name="first") as first,
        serving(tmp_path, *options, env=env, name="second") as second,
    ):
        yield first, second


def test_signed_in_on_one_server_the_person_carries_on_on_the_other(practitioner, two_servers):
    _user, device = practitioner
    first, second = two_servers
    browser = Browser()

    status, _page, headers = browser.post_form(
        f"{first.url}/accounts/login/", {"username": "priya", "password": PASSWORD}
    )
    assert status == 302, _page[:2000]
    assert headers["Location"].startswith("/accounts/verify/")
    status, _page, headers = browser.post_form(
        f"{second.url}/accounts/verify/", {"code": code_now(device)}
    )
    assert status == 302, _page[:2000]

    status, page, _headers = browser.request(f"{second.url}/referrals/")
    assert status == 200
    assert "Sign in" not in page.split("<main", 1)[-1][:500]
    status, _page, _headers = browser.request(f"{first.url}/referrals/")
    assert status == 200
    assert Session.objects.count() == 1  # one session, in the database both servers read


def test_a_stranger_is_sent_to_sign_in_by_either_server(live_db, two_servers):
    for server in two_servers:
        status, _page, headers = Browser().request(f"{server.url}/referrals/")
        assert status == 302
        assert headers["Location"].startswith("/accounts/login/")


def test_wrong_passwords_on_both_servers_add_up_to_one_lockout(practitioner, two_servers):
    first, second = two_servers
    browser = Browser()
    wrong = {"username": "priya", "password": "not-the-password"}

    for server in (first, second):
        status, page, _headers = browser.post_form(f"{server.url}/accounts/login/", wrong)
        assert status == 200  # the form again, with its error: not yet locked
    status, page, _headers = browser.post_form(f"{first.url}/accounts/login/", wrong)
    assert status == 429
    assert "Signing in is paused" in page

    # The second server saw only one wrong password, yet refuses the right one now.
    status, page, _headers = Browser().post_form(
        f"{second.url}/accounts/login/", {"username": "priya", "password": PASSWORD}
    )
    assert status == 429
    assert "Signing in is paused" in page
