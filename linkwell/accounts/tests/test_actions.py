import pytest

from linkwell.accounts.actions import (
    AccountsError,
    create_organisation,
    create_user,
    grant_role,
    revoke_role,
)
from linkwell.accounts.models import Membership, Organisation, OrganisationKind, Role
from linkwell.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def events(action):
    return list(AuditEvent.objects.filter(action=action))


def test_creating_an_organisation_is_audited_with_its_actor(make_person):
    admin = make_person("admin")

    organisation = create_organisation(
        actor=admin, name="Gamma PCN", kind=OrganisationKind.PCN, via="test"
    )

    [event] = events("accounts.organisation.created")
    assert event.actor == admin
    assert event.target_id == str(organisation.id)
    assert event.via == "test"


def test_a_department_is_created_under_its_partner(alpha):
    housing = create_organisation(
        actor=None, name="Housing", kind=OrganisationKind.COUNCIL_DEPARTMENT, parent=alpha
    )

    assert housing.parent == alpha
    assert str(housing) == "Alpha Council: Housing"


def test_departments_do_not_nest(alpha_housing):
    with pytest.raises(AccountsError, match=r"parent: .* is itself a department"):
        create_organisation(
            actor=None, name="Repairs", kind=OrganisationKind.OTHER, parent=alpha_housing
        )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": " ", "kind": "council"}, "name: an organisation needs a name"),
        ({"name": "X", "kind": "castle"}, "kind: 'castle' is not one of"),
        ({"name": "alpha council", "kind": "council"}, "name: .* already exists"),
    ],
)
def test_bad_organisation_input_is_refused_naming_the_field(alpha, fields, message):
    with pytest.raises(AccountsError, match=message):
        create_organisation(actor=None, **fields)

    assert Organisation.objects.count() == 1


def test_a_user_created_with_a_password_can_sign_in_and_is_audited(client):
    user = create_user(actor=None, username="sam", password="a-long-enough-passphrase")

    assert client.login(username="sam", password="a-long-enough-passphrase")
    [event] = events("accounts.user.created")
    assert event.target_id == str(user.pk)
    assert event.actor_label == "system"
    assert "a-long-enough-passphrase" not in str(event.details)


def test_a_weak_password_is_refused_and_no_user_is_made(django_user_model):
    events_before = AuditEvent.objects.count()
    with pytest.raises(AccountsError, match="password: "):
        create_user(actor=None, username="sam", password="password")

    assert not django_user_model.objects.exists()
    assert AuditEvent.objects.count() == events_before


def test_a_taken_username_is_refused_whatever_its_case(make_person):
    make_person("Sam")

    with pytest.raises(AccountsError, match="username: 'sam' is already taken"):
        create_user(actor=None, username="sam")


def test_a_bad_email_is_refused(db):
    with pytest.raises(AccountsError, match="email: 'not-an-email'"):
        create_user(actor=None, username="sam", email="not-an-email")


def test_granting_a_role_is_audited_once_even_if_repeated(make_person, alpha):
    admin, sam = make_person("admin"), make_person("sam")

    grant_role(actor=admin, user=sam, organisation=alpha, role=Role.ANALYST)
    grant_role(actor=admin, user=sam, organisation=alpha, role=Role.ANALYST)

    assert Membership.objects.filter(user=sam).count() == 1
    [event] = events("accounts.role.granted")
    assert event.actor == admin
    assert event.details["role"] == "analyst"


def test_an_unknown_role_is_refused_naming_the_roles_there_are(make_person, alpha):
    with pytest.raises(AccountsError, match="role: 'king' is not one of practitioner"):
        grant_role(actor=None, user=make_person("sam"), organisation=alpha, role="king")


def test_revoking_a_role_is_audited_and_revoking_it_again_changes_nothing(make_person, alpha):
    sam = make_person("sam", Role.CONNECTOR, alpha)

    assert revoke_role(actor=None, user=sam, organisation=alpha, role=Role.CONNECTOR)
    assert not revoke_role(actor=None, user=sam, organisation=alpha, role=Role.CONNECTOR)

    assert not Membership.objects.filter(user=sam).exists()
    assert len(events("accounts.role.revoked")) == 1
