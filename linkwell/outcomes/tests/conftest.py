"""Fixtures for the outcomes tests: the referrals' issue 4 world and a connector's case in
it (`records_world`)."""

from linkwell.outcomes.tests.records_world import case  # noqa: F401 (fixture)
from linkwell.referrals.tests.ecc_world import world  # noqa: F401 (fixture)
