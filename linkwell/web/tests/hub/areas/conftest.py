"""The small hand-made place of the provision tests, refreshed, and the people who may or may
not see the hub: an analyst, a practitioner, and no one signed in."""

import pytest

from linkwell.accounts.models import Role
from linkwell.accounts.tests.personas import alpha, make_person  # noqa: F401 (fixtures)
from linkwell.intelligence.refresh import refresh_hub
from linkwell.intelligence.tests.provision.world import make_world


@pytest.fixture
def world(live_db):
    made = make_world()
    refresh_hub(via="test")
    return made


@pytest.fixture
def analyst(make_person, alpha):
    return make_person("analyst", Role.ANALYST, alpha)


@pytest.fixture
def practitioner(make_person, alpha):
    return make_person("practitioner", Role.PRACTITIONER, alpha)
