"""Where people land after signing in without a page in mind: the staff home for staff who
work with people, the home page for everyone else; never a page that does not exist, nor one
that would refuse them."""

import pytest

from linkwell.accounts.models import Role
from linkwell.accounts.tests.signing_in import (
    code_now,
    code_step,
    give_authenticator,
    password_step,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "home"),
    [
        (Role.PARTNERSHIP_ADMIN, "/staff/"),
        (Role.CONNECTOR, "/staff/"),
        (Role.PRACTITIONER, "/staff/"),
        (Role.PROVIDER_EDITOR, "/staff/"),
        (Role.ANALYST, "/hub/"),
        ("nobody", "/"),
    ],
)
def test_staff_land_on_the_staff_home_analysts_on_the_hub_others_on_the_home_page(
    people, persona, home
):
    from linkwell.web.staff_home.landing import staff_home_url

    assert staff_home_url(people[persona]) == home


def test_each_landing_page_opens_for_the_person_landing_there(client, people):
    from linkwell.web.staff_home.landing import staff_home_url

    for person in people.values():
        client.force_login(person)
        assert client.get(staff_home_url(person)).status_code == 200, person.username


def test_someone_with_several_roles_lands_on_the_staff_home(make_person, alpha, beta):
    from linkwell.accounts.actions import grant_role
    from linkwell.web.staff_home.landing import staff_home_url

    both = make_person("both", Role.ANALYST, beta)
    grant_role(actor=None, user=both, organisation=alpha, role=Role.CONNECTOR)

    assert staff_home_url(both) == "/staff/"


def test_a_superuser_lands_on_the_staff_home(make_person):
    from linkwell.web.staff_home.landing import staff_home_url

    root = make_person("root")
    root.is_superuser = True

    assert staff_home_url(root) == "/staff/"


def test_a_practitioner_signing_in_without_a_page_in_mind_lands_on_the_staff_home(
    client, make_person, alpha
):
    device, _codes = give_authenticator(make_person("pat", Role.PRACTITIONER, alpha))
    assert password_step(client, "pat")["Location"] == "/accounts/verify/"

    response = code_step(client, code_now(device))

    assert response["Location"] == "/staff/"
    assert "What needs you today" in client.get("/staff/").content.decode()


def test_a_practitioner_asking_for_a_page_lands_there_instead(client, make_person, alpha):
    device, _codes = give_authenticator(make_person("pat", Role.PRACTITIONER, alpha))
    password_step(client, "pat", next_url="/referrals/")

    response = code_step(client, code_now(device), next_url="/referrals/")

    assert response["Location"] == "/referrals/"


def test_someone_without_a_role_lands_on_the_home_page(client, make_person):
    make_person("nobody")

    assert password_step(client, "nobody")["Location"] == "/"


def test_the_old_profile_address_redirects_instead_of_404(client, people):
    client.force_login(people[Role.CONNECTOR])

    response = client.get("/accounts/profile/")

    assert response.status_code == 302
    assert response["Location"] == "/staff/"


def test_the_profile_address_asks_the_signed_out_to_sign_in(client):
    response = client.get("/accounts/profile/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_next_page_on_another_site_is_ignored(client, make_person):
    make_person("nobody")

    response = password_step(client, "nobody", next_url="https://evil.example/")

    assert response["Location"] == "/"
