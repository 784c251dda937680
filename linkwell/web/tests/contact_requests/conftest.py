"""The referrals tests' personas, services and clean state, for the pages that show them."""

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
