"""The admin is for partnership admins: everyone else is sent to its sign-in page."""

import pytest

from linkwell.accounts.models import Membership, Organisation, Role
from linkwell.accounts.tests.conftest import PASSWORD
from linkwell.accounts.tests.signing_in import (
    code_now,
    code_step,
    give_authenticator,
    password_step,
)
from linkwell.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "persona",
    [Role.PRACTITIONER, Role.CONNECTOR, Role.PROVIDER_EDITOR, Role.ANALYST, "nobody"],
)
def test_the_admin_is_refused_to_everyone_but_partnership_admins(client, people, persona):
    client.force_login(people[persona])

    for url in ["/admin/", "/admin/accounts/organisation/", "/admin/audit/auditevent/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/")


def test_a_staff_flag_alone_does_not_open_the_admin(client, make_person):
    client.force_login(make_person("staffer", is_staff=True))

    assert client.get("/admin/").status_code == 302


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_partnership_admin_may_use_every_admin_screen(client, people):
    client.force_login(people[Role.PARTNERSHIP_ADMIN])

    for url in [
        "/admin/",
        "/admin/accounts/organisation/",
        "/admin/accounts/organisation/add/",
        "/admin/accounts/user/",
        "/admin/accounts/membership/",
        "/admin/audit/auditevent/",
    ]:
        assert client.get(url).status_code == 200, url


def test_a_partnership_admin_signs_in_with_password_and_code_then_uses_the_admin(client, people):
    admin = people[Role.PARTNERSHIP_ADMIN]
    device, _codes = give_authenticator(admin)

    to_sign_in = client.get("/admin/login/?next=/admin/")
    assert to_sign_in["Location"] == "/accounts/login/?next=/admin/"
    password_step(client, admin.username, next_url="/admin/")
    assert client.get("/admin/").status_code == 302
    code_step(client, code_now(device), next_url="/admin/")

    assert client.get("/admin/").status_code == 200


def test_a_password_posted_to_the_admin_login_signs_nobody_in(client, people):
    response = client.post(
        "/admin/login/",
        {"username": Role.PARTNERSHIP_ADMIN, "password": PASSWORD, "next": "/admin/"},
    )

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_others_fully_signed_in_are_still_refused_the_admin(client, people):
    editor = people[Role.PROVIDER_EDITOR]
    device, _codes = give_authenticator(editor)
    password_step(client, editor.username)
    code_step(client, code_now(device))

    assert client.get("/admin/").status_code == 302


def test_the_audit_log_stays_read_only_in_the_admin(client, people):
    client.force_login(people[Role.PARTNERSHIP_ADMIN])
    event = AuditEvent.objects.first()

    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert (
        client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_adding_an_organisation_in_the_admin_is_audited(client, people):
    admin = people[Role.PARTNERSHIP_ADMIN]
    client.force_login(admin)

    response = client.post(
        "/admin/accounts/organisation/add/",
        {
            "name": "Gamma Housing Association",
            "kind": "housing",
            "ods_code": "",
            "departments-TOTAL_FORMS": "0",
            "departments-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    organisation = Organisation.objects.get(name="Gamma Housing Association")
    event = AuditEvent.objects.get(action="accounts.organisation.created", actor=admin)
    assert event.target_id == str(organisation.id)
    assert event.via == "admin"


def test_deleting_a_membership_in_the_admin_is_audited_as_a_revoked_role(client, people):
    admin = people[Role.PARTNERSHIP_ADMIN]
    membership = Membership.objects.get(user=people[Role.ANALYST])
    client.force_login(admin)

    response = client.post(f"/admin/accounts/membership/{membership.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="accounts.role.revoked", actor=admin)
    assert event.target_id == str(membership.pk)


def test_granting_a_role_in_the_admin_is_audited_as_a_granted_role(client, people, beta):
    admin = people[Role.PARTNERSHIP_ADMIN]
    client.force_login(admin)

    response = client.post(
        "/admin/accounts/membership/add/",
        {"user": people["nobody"].pk, "organisation": beta.pk, "role": Role.ANALYST},
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="accounts.role.granted", actor=admin)
    assert event.target_id == str(Membership.objects.get(user=people["nobody"]).pk)


def test_departments_added_inline_in_the_admin_are_audited_too(client, people):
    admin = people[Role.PARTNERSHIP_ADMIN]
    client.force_login(admin)

    response = client.post(
        "/admin/accounts/organisation/add/",
        {
            "name": "Gamma Council",
            "kind": "council",
            "departments-TOTAL_FORMS": "1",
            "departments-INITIAL_FORMS": "0",
            "departments-0-name": "Parks",
            "departments-0-kind": "council_department",
        },
    )

    assert response.status_code == 302
    parks = Organisation.objects.get(name="Parks")
    assert parks.parent.name == "Gamma Council"
    created = AuditEvent.objects.filter(action="accounts.organisation.created", actor=admin)
    assert {e.target_label for e in created} == {"Gamma Council", "Gamma Council: Parks"}


def test_only_partnership_admins_are_offered_the_administration_link(client, people):
    client.force_login(people[Role.PROVIDER_EDITOR])
    assert "/admin/" not in client.get("/").content.decode()

    client.force_login(people[Role.PARTNERSHIP_ADMIN])
    assert 'href="/admin/"' in client.get("/").content.decode()


def test_changing_a_password_in_the_admin_is_audited_without_the_password(client, people):
    admin, sam = people[Role.PARTNERSHIP_ADMIN], people["nobody"]
    client.force_login(admin)

    response = client.post(
        f"/admin/accounts/user/{sam.pk}/password/",
        {"password1": "another-long-passphrase", "password2": "another-long-passphrase"},
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="accounts.user.password_changed")
    assert (event.actor, event.target_id) == (admin, str(sam.pk))
    assert "another-long-passphrase" not in str(event.details)


def user_change_form(user, **changes) -> dict:
    """What the admin's change form posts for `user`, with `changes` (a crafted POST)."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    data.update(changes)
    return data


def make_superuser(make_person, username="root"):
    root = make_person(username)
    root.is_superuser = True
    root.save(update_fields=["is_superuser"])
    return root


def test_a_partnership_admin_is_not_offered_the_superuser_box(client, people):
    client.force_login(people[Role.PARTNERSHIP_ADMIN])

    page = client.get(f"/admin/accounts/user/{people['nobody'].pk}/change/").content.decode()

    assert 'name="is_superuser"' not in page
    assert 'name="user_permissions"' not in page
    assert 'name="groups"' not in page


def test_a_crafted_post_by_a_partnership_admin_cannot_make_a_superuser(client, people):
    sam = people["nobody"]
    client.force_login(people[Role.PARTNERSHIP_ADMIN])

    response = client.post(
        f"/admin/accounts/user/{sam.pk}/change/",
        user_change_form(sam, is_superuser="on", first_name="Sam"),
    )

    assert response.status_code == 302
    sam.refresh_from_db()
    assert sam.first_name == "Sam"  # the rest of the form was saved
    assert sam.is_superuser is False


def test_a_partnership_admin_cannot_make_themself_a_superuser(client, people):
    admin = people[Role.PARTNERSHIP_ADMIN]
    client.force_login(admin)

    client.post(
        f"/admin/accounts/user/{admin.pk}/change/", user_change_form(admin, is_superuser="on")
    )

    admin.refresh_from_db()
    assert admin.is_superuser is False


def test_a_superuser_may_grant_superuser(client, people, make_person):
    sam = people["nobody"]
    client.force_login(make_superuser(make_person))

    response = client.post(
        f"/admin/accounts/user/{sam.pk}/change/", user_change_form(sam, is_superuser="on")
    )

    assert response.status_code == 302
    sam.refresh_from_db()
    assert sam.is_superuser is True


def test_a_partnership_admin_cannot_change_a_superusers_account(client, people, make_person):
    root = make_superuser(make_person)
    client.force_login(people[Role.PARTNERSHIP_ADMIN])

    change = client.post(
        f"/admin/accounts/user/{root.pk}/change/", user_change_form(root, is_active="")
    )
    password = client.post(
        f"/admin/accounts/user/{root.pk}/password/",
        {"password1": "taken-over-passphrase", "password2": "taken-over-passphrase"},
    )

    assert change.status_code == 403
    assert password.status_code == 403
    root.refresh_from_db()
    assert root.is_active and not root.check_password("taken-over-passphrase")
