import pytest
from django.core.management import CommandError, call_command

from linkwell.accounts.models import Membership, Organisation, Role
from linkwell.accounts.policies import Action, can
from linkwell.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_create_partner_admin_makes_a_user_who_may_use_the_admin(monkeypatch, client):
    monkeypatch.setenv("LINKWELL_ADMIN_PASSWORD", "a-long-enough-passphrase")
    # The place data, loaded once per test database by other tests, leaves its own event.
    earlier = set(AuditEvent.objects.values_list("pk", flat=True))

    call_command(
        "create_partner_admin",
        "ada",
        "--email=ada@example.org",
        "--organisation=Bradford Council",
        "--kind=council",
        "--no-input",
    )

    membership = Membership.objects.select_related("user", "organisation").get()
    assert membership.role == Role.PARTNERSHIP_ADMIN
    assert membership.organisation.kind == "council"
    assert can(membership.user, Action.USE_ADMIN)
    assert client.login(username="ada", password="a-long-enough-passphrase")
    events = AuditEvent.objects.exclude(pk__in=earlier)
    assert set(events.values_list("action", flat=True)) == {
        "accounts.organisation.created",
        "accounts.user.created",
        "accounts.role.granted",
    }


def test_create_partner_admin_uses_an_existing_organisation(monkeypatch, alpha):
    monkeypatch.setenv("LINKWELL_ADMIN_PASSWORD", "a-long-enough-passphrase")

    call_command("create_partner_admin", "ada", "--organisation=alpha council", "--no-input")

    assert Organisation.objects.count() == 1
    assert Membership.objects.get().organisation == alpha


def test_create_partner_admin_without_a_password_refuses_when_it_may_not_ask(monkeypatch, db):
    monkeypatch.delenv("LINKWELL_ADMIN_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="LINKWELL_ADMIN_PASSWORD"):
        call_command("create_partner_admin", "ada", "--organisation=X", "--no-input")


def test_create_partner_admin_leaves_nothing_behind_when_the_password_is_weak(monkeypatch, db):
    monkeypatch.setenv("LINKWELL_ADMIN_PASSWORD", "password")

    with pytest.raises(CommandError, match="password: "):
        call_command("create_partner_admin", "ada", "--organisation=New Org", "--no-input")

    assert not Organisation.objects.exists()


def test_grant_role_gives_the_role_in_a_department(make_person, alpha_housing):
    sam = make_person("sam")

    call_command("grant_role", "sam", "provider_editor", "Alpha Council: Housing")

    assert Membership.objects.get(user=sam).organisation == alpha_housing


def test_grant_role_names_what_it_could_not_find(make_person, alpha):
    make_person("sam")

    with pytest.raises(CommandError, match="username: no user called 'max'"):
        call_command("grant_role", "max", "analyst", "Alpha Council")
    with pytest.raises(CommandError, match="organisation: no organisation called 'Nowhere'"):
        call_command("grant_role", "sam", "analyst", "Nowhere")
    with pytest.raises(CommandError, match="role: 'boss'"):
        call_command("grant_role", "sam", "boss", "Alpha Council")


def test_grant_role_revoke_takes_the_role_away(make_person, alpha):
    sam = make_person("sam", Role.ANALYST, alpha)

    call_command("grant_role", "sam", "analyst", "Alpha Council", "--revoke")

    assert not Membership.objects.filter(user=sam).exists()


def test_create_partner_admin_asks_twice_for_the_password_and_refuses_a_mismatch(monkeypatch, db):
    monkeypatch.delenv("LINKWELL_ADMIN_PASSWORD", raising=False)
    answers = iter(["a-long-enough-passphrase", "a-different-passphrase"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    with pytest.raises(CommandError, match="password: the two passwords differ"):
        call_command("create_partner_admin", "ada", "--organisation=X")

    assert not Membership.objects.exists()
