"""`linkwell create_api_token` says when the token stops working; `linkwell revoke_api_token`
stops it at once, found by the prefix printed when it was made (or its id), and is audited."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from linkwell.accounts.models import Role
from linkwell.accounts.token_models import ApiToken
from linkwell.accounts.tokens import create_api_token, user_for_token
from linkwell.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def gp(make_person, alpha):
    return make_person("gp", Role.PRACTITIONER, alpha)


@pytest.fixture
def connector(make_person, alpha):
    return make_person("connector", Role.CONNECTOR, alpha)


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_only_the_token_and_says_when_it_expires(gp):
    out, err = _run("create_api_token", "gp", "--name", "GP system", "--days", "30")

    row = ApiToken.objects.get(user=gp)
    assert user_for_token(out.strip()) == gp
    local_expiry = timezone.localtime(row.expires_at)
    assert local_expiry.strftime("%Y-%m-%d %H:%M") in err
    assert abs(row.expires_at - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)
    assert row.name == "GP system"


def test_create_refuses_a_token_longer_than_a_year(gp):
    with pytest.raises(CommandError, match="365"):
        _run("create_api_token", "gp", "--days", "400")

    assert not ApiToken.objects.exists()


def test_revoke_by_the_printed_prefix_stops_the_token_and_is_audited(gp):
    row, token = create_api_token(gp, actor=None, via="test", name="GP system")

    out, _err = _run("revoke_api_token", f"{row.prefix}…")

    assert "revoked" in out and row.prefix in out
    assert user_for_token(token) is None
    event = AuditEvent.objects.get(action="accounts.api_token.revoked")
    assert event.via == "command revoke_api_token"
    assert event.target_id == str(gp.pk)
    assert event.details["token"] == row.prefix


def test_revoke_by_id_or_by_the_whole_token(gp):
    first, _ = create_api_token(gp, actor=None, via="test")
    _second, second_token = create_api_token(gp, actor=None, via="test")

    _run("revoke_api_token", str(first.pk))
    _run("revoke_api_token", second_token)

    assert ApiToken.objects.filter(revoked_at=None).count() == 0


def test_revoke_with_user_looks_only_among_that_users_tokens(gp, connector):
    row, token = create_api_token(gp, actor=None, via="test")

    with pytest.raises(CommandError, match="no token of connector"):
        _run("revoke_api_token", str(row.pk), "--user", "connector")

    assert user_for_token(token) == gp
    _run("revoke_api_token", str(row.pk), "--user", "gp")
    assert user_for_token(token) is None


@pytest.mark.parametrize("given", ["lw_nothing", "999999", "not-a-token"])
def test_revoke_refuses_what_matches_no_token(gp, given):
    _row, token = create_api_token(gp, actor=None, via="test")

    with pytest.raises(CommandError, match="token: "):
        _run("revoke_api_token", given)

    assert user_for_token(token) == gp


def test_revoking_an_already_revoked_token_says_so_and_audits_nothing_more(gp):
    row, _token = create_api_token(gp, actor=None, via="test")
    _run("revoke_api_token", row.prefix)

    out, _err = _run("revoke_api_token", row.prefix)

    assert "already revoked" in out
    assert AuditEvent.objects.filter(action="accounts.api_token.revoked").count() == 1
