"""Who may do what. Read the matrix row by row: a role, an action, allowed or not."""

import pytest
from django.contrib.auth.models import AnonymousUser

from linkwell.accounts.actions import revoke_role
from linkwell.accounts.models import Role
from linkwell.accounts.policies import Action, can, editable_services, organisations_for
from linkwell.directory.tests.page_services import make_service

pytestmark = pytest.mark.django_db

A = Action
ALLOWED = {
    Role.PRACTITIONER: {A.VIEW_PUBLIC, A.MAKE_REFERRAL},
    Role.CONNECTOR: {A.VIEW_PUBLIC, A.MAKE_REFERRAL, A.MANAGE_CASES},
    Role.PROVIDER_EDITOR: {A.VIEW_PUBLIC, A.EDIT_SERVICE, A.EDIT_ORGANISATION},
    Role.ANALYST: {A.VIEW_PUBLIC, A.VIEW_INTELLIGENCE},
    Role.PARTNERSHIP_ADMIN: set(Action),
    "nobody": {A.VIEW_PUBLIC},
}


@pytest.mark.parametrize("persona", list(ALLOWED))
@pytest.mark.parametrize("action", list(Action))
def test_each_role_may_do_exactly_its_own_actions(people, persona, action):
    assert can(people[persona], action) is (action in ALLOWED[persona])


@pytest.mark.parametrize("action", list(Action))
def test_anonymous_visitors_may_only_read_the_public_directory(action):
    assert can(AnonymousUser(), action) is (action == Action.VIEW_PUBLIC)
    assert can(None, action) is (action == Action.VIEW_PUBLIC)


def test_an_unknown_action_is_refused_even_to_a_partnership_admin(people):
    assert can(people[Role.PARTNERSHIP_ADMIN], "delete_everything") is False


def test_a_deactivated_account_loses_every_power(people):
    admin = people[Role.PARTNERSHIP_ADMIN]
    admin.is_active = False
    admin.save()

    assert not can(admin, Action.USE_ADMIN)
    assert not can(admin, Action.EDIT_SERVICE)
    assert editable_services(admin).count() == 0
    assert not organisations_for(admin).exists()


def test_a_superuser_may_do_everything(make_person):
    root = make_person("root")
    root.is_superuser = True

    assert all(can(root, action) for action in Action)


def test_a_provider_editor_may_edit_their_own_organisations_services_only(people, alpha, beta):
    ours = make_service("Alpha lunch club", partner_name="Alpha Council")
    theirs = make_service("Beta lunch club", partner_name="Beta Trust")
    editor = people[Role.PROVIDER_EDITOR]

    assert can(editor, Action.EDIT_SERVICE, ours)
    assert not can(editor, Action.EDIT_SERVICE, theirs)
    assert list(editable_services(editor)) == [ours]
    assert list(editable_services(people["beta_editor"])) == [theirs]


def test_a_partners_editor_may_edit_its_departments_services(people, alpha_housing):
    housing = make_service(
        "Tenancy support", partner_name="Alpha Council", department_name="Housing"
    )

    assert can(people[Role.PROVIDER_EDITOR], Action.EDIT_SERVICE, housing)


def test_a_departments_editor_may_not_edit_the_rest_of_the_partner(
    make_person, alpha, alpha_housing
):
    editor = make_person("housing_editor", Role.PROVIDER_EDITOR, alpha_housing)
    housing = make_service(
        "Tenancy support", partner_name="Alpha Council", department_name="Housing"
    )
    parks = make_service("Park walks", partner_name="Alpha Council")

    assert can(editor, Action.EDIT_SERVICE, housing)
    assert not can(editor, Action.EDIT_SERVICE, parks)
    assert list(editable_services(editor)) == [housing]


def test_a_service_run_by_a_partners_directory_organisation_is_theirs_to_edit(people, alpha):
    from linkwell.directory.records import OrganizationRecord

    service = make_service(
        "Warm spaces",
        organization=OrganizationRecord(
            name="Alpha Warm Spaces", description="x", partner_name="Alpha Council"
        ),
    )

    assert can(people[Role.PROVIDER_EDITOR], Action.EDIT_SERVICE, service)


def test_an_unassigned_service_is_editable_only_by_partnership_admins(people):
    orphan = make_service("Orphan service")

    assert not can(people[Role.PROVIDER_EDITOR], Action.EDIT_SERVICE, orphan)
    assert can(people[Role.PARTNERSHIP_ADMIN], Action.EDIT_SERVICE, orphan)
    assert orphan in editable_services(people[Role.PARTNERSHIP_ADMIN])


@pytest.mark.parametrize("persona", ["nobody", Role.ANALYST, Role.CONNECTOR, Role.PRACTITIONER])
def test_people_without_an_editing_role_may_edit_no_service(people, persona):
    make_service("Alpha lunch club", partner_name="Alpha Council")

    assert editable_services(people[persona]).count() == 0
    assert editable_services(AnonymousUser()).count() == 0


def test_organisations_for_an_editor_are_their_own_and_its_departments(
    people, alpha, alpha_housing, beta
):
    editor = people[Role.PROVIDER_EDITOR]

    assert set(organisations_for(editor)) == {alpha, alpha_housing}
    assert can(editor, Action.EDIT_ORGANISATION, alpha_housing)
    assert not can(editor, Action.EDIT_ORGANISATION, beta)
    assert set(organisations_for(people[Role.PARTNERSHIP_ADMIN])) == {alpha, alpha_housing, beta}
    assert not organisations_for(AnonymousUser()).exists()
    assert not organisations_for(people["nobody"]).exists()


def test_a_revoked_role_stops_working_at_once(people, alpha):
    editor = people[Role.PROVIDER_EDITOR]
    assert can(editor, Action.EDIT_SERVICE)

    revoke_role(actor=None, user=editor, organisation=alpha, role=Role.PROVIDER_EDITOR)

    assert not can(editor, Action.EDIT_SERVICE)
