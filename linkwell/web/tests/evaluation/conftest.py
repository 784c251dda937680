"""The small programme of the report's tests, and the people who may or may not read it."""

from linkwell.accounts.tests.personas import alpha, beta, make_person  # noqa: F401 (fixtures)
from linkwell.outcomes.tests.test_evaluation_report import (  # noqa: F401 (fixtures)
    analyst,
    programme,
)
