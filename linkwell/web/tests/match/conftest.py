"""The referrals world (partners, their staff, services near BD1 1AA) for the match pages."""

from linkwell.referrals.tests.conftest import world  # noqa: F401 (fixture)
