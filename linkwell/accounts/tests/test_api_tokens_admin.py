"""API tokens in the admin: a partnership admin sees every token (never its hash), filters them
by state and revokes them, audited under their own name; nobody makes or edits one there."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from linkwell.accounts.models import Role
from linkwell.accounts.token_models import ApiToken
from linkwell.accounts.tokens import create_api_token, revoke_api_token, user_for_token
from linkwell.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LIST = "/admin/accounts/apitoken/"


@pytest.fixture
def tokens(people):
    """An active, an expired and a revoked token of the practitioner; one of the connector."""
    gp = people[Role.PRACTITIONER]
    with time_machine.travel(timezone.now() - dt.timedelta(days=10), tick=False):
        expired, _ = create_api_token(gp, actor=None, via="test", name="old", days=1)
    active, active_token = create_api_token(gp, actor=None, via="test", name="GP system")
    revoked, _ = create_api_token(gp, actor=None, via="test", name="gone")
    revoke_api_token(revoked, actor=None, via="test")
    other, other_token = create_api_token(people[Role.CONNECTOR], actor=None, via="test")
    return {
        "active": active,
        "active_token": active_token,
        "expired": expired,
        "revoked": revoked,
        "other": other,
        "other_token": other_token,
    }


@pytest.fixture
def admin_client(client, people):
    client.force_login(people[Role.PARTNERSHIP_ADMIN])
    return client


def test_a_partnership_admin_sees_every_token_but_no_hash(admin_client, tokens):
    response = admin_client.get(LIST)

    assert response.status_code == 200
    page = response.content.decode()
    for name in ["active", "expired", "revoked", "other"]:
        assert tokens[name].prefix in page
        assert tokens[name].token_hash not in page
    assert tokens["active_token"] not in page
    detail = admin_client.get(f"{LIST}{tokens['active'].pk}/change/")
    assert detail.status_code == 200
    assert tokens["active"].token_hash not in detail.content.decode()


@pytest.mark.parametrize(
    ("state", "shown"),
    [("active", {"active", "other"}), ("expired", {"expired"}), ("revoked", {"revoked"})],
)
def test_tokens_filter_by_state(admin_client, tokens, state, shown):
    response = admin_client.get(LIST, {"state": state})

    listed = {t.pk for t in response.context["cl"].result_list}
    assert listed == {tokens[name].pk for name in shown}


def test_revoke_selected_tokens_stops_them_and_audits_the_admin(admin_client, people, tokens):
    selected = [tokens["active"].pk, tokens["revoked"].pk]

    response = admin_client.post(
        LIST,
        {"action": "revoke_selected", "_selected_action": selected},
        follow=True,
    )

    assert response.status_code == 200
    assert user_for_token(tokens["active_token"]) is None
    assert user_for_token(tokens["other_token"]) == people[Role.CONNECTOR]
    events = AuditEvent.objects.filter(action="accounts.api_token.revoked", via="admin")
    assert [(e.actor, e.details["token"]) for e in events] == [
        (people[Role.PARTNERSHIP_ADMIN], tokens["active"].prefix)
    ]
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Revoked 1 token. 1 was already revoked."]


def test_tokens_cannot_be_made_edited_or_deleted_in_the_admin(admin_client, tokens):
    row = tokens["active"]

    assert admin_client.get(f"{LIST}add/").status_code == 403
    changed = admin_client.post(f"{LIST}{row.pk}/change/", {"name": "x", "expires_at": "2100-1-1"})
    assert changed.status_code == 403
    assert admin_client.post(f"{LIST}{row.pk}/delete/", {"post": "yes"}).status_code == 403

    fresh = ApiToken.objects.get(pk=row.pk)
    assert (fresh.name, fresh.expires_at, fresh.token_hash) == (
        row.name,
        row.expires_at,
        row.token_hash,
    )
    actions = admin_client.get(LIST).context["action_form"].fields["action"].choices
    assert [name for name, _label in actions if name] == ["revoke_selected"]


@pytest.mark.parametrize("persona", [Role.PRACTITIONER, Role.ANALYST, "nobody"])
def test_nobody_else_may_list_or_revoke_tokens(client, people, tokens, persona):
    client.force_login(people[persona])

    listing = client.get(LIST)
    revoking = client.post(
        LIST, {"action": "revoke_selected", "_selected_action": [tokens["active"].pk]}
    )

    assert listing.status_code == revoking.status_code == 302
    assert user_for_token(tokens["active_token"]) is not None
