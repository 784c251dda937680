"""Personas for permission tests: one person per role at Alpha, an editor at Beta, outsiders."""

import pytest

from linkwell.accounts.models import Role
from linkwell.accounts.tests.personas import (  # noqa: F401 (fixtures)
    PASSWORD,
    alpha,
    alpha_housing,
    beta,
    fast_password_hashing,
    make_person,
)


@pytest.fixture
def people(make_person, alpha, beta):
    """One person per role at Alpha, plus a Beta editor and someone with no role at all."""
    found = {role: make_person(role, role, alpha) for role in Role.values}
    found["beta_editor"] = make_person("beta_editor", Role.PROVIDER_EDITOR, beta)
    found["nobody"] = make_person("nobody")
    return found
