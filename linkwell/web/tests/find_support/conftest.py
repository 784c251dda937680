"""The referrals world (partners, staff, services with capacity), for the service page as
staff who refer see it."""

from linkwell.referrals.tests.ecc_world import world  # noqa: F401 (fixture)
