"""The accounts tests' personas (one person per role), for the pages staff land on."""

from linkwell.accounts.tests.conftest import (  # noqa: F401 (fixtures)
    alpha,
    alpha_housing,
    beta,
    fast_password_hashing,
    make_person,
    people,
)
