"""People with a role, for every hub test: an analyst (may see the hub) and a practitioner
(may not)."""

import pytest

from linkwell.accounts.models import Role
from linkwell.accounts.tests.personas import (  # noqa: F401 (fixtures)
    alpha,
    fast_password_hashing,
    make_person,
)


@pytest.fixture
def analyst(make_person, alpha):
    return make_person("analyst", Role.ANALYST, alpha)


@pytest.fixture
def practitioner(make_person, alpha):
    return make_person("practitioner", Role.PRACTITIONER, alpha)
