"""Where people land after signing in without a page in mind: the most useful page for their
role (staff), or the home page; never a page that does not exist."""

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
        (Role.PARTNERSHIP_ADMIN, "/review/"),
        (Role.CONNECTOR, "/caseload/"),
        (Role.PRACTITIONER, "/referrals/"),
        (Role.PROVIDER_EDITOR, "/provider/"),
        (Role.ANALYST, "/"),
        ("nobody", "/"),
    ],
)
def test_each_role_lands_on_its_own_page(people, persona, home):
    from linkwell.web.staff_home.landing import staff_home_url

    assert staff_home_url(people[persona]) == home


def test_someone_with_several_roles_lands_on_the_busiest(make_person, alpha, beta):
    from linkwell.accounts.actions import grant_role
    from linkwell.web.staff_home.landing import staff_home_url

    both = make_person("both", Role.PROVIDER_EDITOR, beta)
    grant_role(actor=None, user=both, organisation=alpha, role=Role.CONNECTOR)

    assert staff_home_url(both) == "/caseload/"


def test_a_superuser_lands_where_partnership_admins_do(make_person):
    from linkwell.web.staff_home.landing import staff_home_url

    root = make_person("root")
    root.is_superuser = True

    assert staff_home_url(root) == "/review/"


def test_a_practitioner_signing_in_without_a_page_in_mind_lands_on_their_referrals(
    client, make_person, alpha
):
    device, _codes = give_authenticator(make_person("pat", Role.PRACTITIONER, alpha))
    assert password_step(client, "pat")["Location"] == "/accounts/verify/"

    response = code_step(client, code_now(device))

    assert response["Location"] == "/referrals/"
    assert client.get("/referrals/").status_code == 200


def test_someone_without_a_role_lands_on_the_home_page(client, make_person):
    make_person("nobody")

    assert password_step(client, "nobody")["Location"] == "/"


def test_the_old_profile_address_redirects_instead_of_404(client, people):
    client.force_login(people[Role.CONNECTOR])

    response = client.get("/accounts/profile/")

    assert response.status_code == 302
    assert response["Location"] == "/caseload/"


def test_the_profile_address_asks_the_signed_out_to_sign_in(client):
    response = client.get("/accounts/profile/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_next_page_on_another_site_is_ignored(client, make_person):
    make_person("nobody")

    response = password_step(client, "nobody", next_url="https://evil.example/")

    assert response["Location"] == "/"
