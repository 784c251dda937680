"""Shared personas for permission tests of any app: import the fixtures into a conftest.

Alpha Council (with a Housing department) and Beta Trust; `make_person` makes a user with a
role at an organisation (and an e-mail address, for tests of who is notified).
"""

import pytest

from linkwell.accounts.actions import create_organisation, create_user, grant_role
from linkwell.accounts.models import OrganisationKind

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
        fields.setdefault("email", f"{username}@partner.test")
        user = create_user(actor=None, username=username, password=PASSWORD, **fields)
        if role:
            grant_role(actor=None, user=user, organisation=organisation, role=role)
        return user

    return make
