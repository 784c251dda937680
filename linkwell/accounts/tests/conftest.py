"""Personas for permission tests: one person per role at Alpha, an editor at Beta, outsiders."""

import pytest

from linkwell.accounts.actions import create_organisation, create_user, grant_role
from linkwell.accounts.models import OrganisationKind, Role

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs ~0.3 s a user; these tests are about powers, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alpha(db):
    return create_organisation(actor=None, name="Alpha Council", kind=OrganisationKind.COUNCIL)


@pytest.fixture
def alpha_housing(alpha):
    return create_organisation(
        actor=None, name="Housing", kind=OrganisationKind.COUNCIL_DEPARTMENT, parent=alpha
    )


@pytest.fixture
def beta(db):
    return create_organisation(actor=None, name="Beta Trust", kind=OrganisationKind.VOLUNTARY)


@pytest.fixture
def make_person(db):
    def make(username, role=None, organisation=None, **fields):
        user = create_user(actor=None, username=username, password=PASSWORD, **fields)
        if role:
            grant_role(actor=None, user=user, organisation=organisation, role=role)
        return user

    return make


@pytest.fixture
def people(make_person, alpha, beta):
    """One person per role at Alpha, plus a Beta editor and someone with no role at all."""
    found = {role: make_person(role, role, alpha) for role in Role.values}
    found["beta_editor"] = make_person("beta_editor", Role.PROVIDER_EDITOR, beta)
    found["nobody"] = make_person("nobody")
    return found
