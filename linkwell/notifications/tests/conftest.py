"""The outcomes' world (a connector's case for Cara), for messages sent to a person."""

from linkwell.outcomes.tests.records_world import case  # noqa: F401 (fixture)
from linkwell.referrals.tests.ecc_world import world  # noqa: F401 (fixture)
