"""The referrals tests' personas, services and clean state, for the outcomes pages."""

from linkwell.referrals.tests.conftest import (  # noqa: F401 (fixtures)
    alpha,
    alpha_housing,
    alpha_service,
    beta,
    beta_service,
    details,
    make_person,
    orphan_service,
    people,
    quick_and_clean,
    world,
)
from linkwell.referrals.tests.pages_world import pages_fixture  # noqa: F401 (fixture)
