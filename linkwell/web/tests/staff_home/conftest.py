"""The accounts tests' personas (one person per role), for the pages staff land on; and the
referrals world (partners, their staff, Ada; with `pages`, something on every page)."""

from linkwell.accounts.tests.conftest import (  # noqa: F401 (fixtures)
    alpha,
    alpha_housing,
    beta,
    fast_password_hashing,
    make_person,
    people,
)
from linkwell.referrals.tests.ecc_world import world  # noqa: F401 (fixture)
from linkwell.referrals.tests.pages_world import pages_fixture  # noqa: F401 (fixture)
