"""Personas and services for the referrals tests.

Alpha Council (with a Housing department) and Beta Trust each run a service; a third service
belongs to no partner, so only partnership admins read its requests.
"""

import pytest
from django.core.cache import cache

from linkwell.accounts.models import Role
from linkwell.accounts.tests.personas import (  # noqa: F401 (fixtures)
    PASSWORD,
    alpha,
    alpha_housing,
    beta,
    make_person,
)
from linkwell.directory.tests.page_services import make_service
from linkwell.referrals.tests.ecc_world import world  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def quick_and_clean(settings):
    """Fast hashing; no timing delay unless a test asks; rate-limit counts start at zero."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REFERRALS_FORM_MIN_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people(make_person, alpha, beta):
    return {
        "alpha_editor": make_person("alpha_editor", Role.PROVIDER_EDITOR, alpha),
        "beta_editor": make_person("beta_editor", Role.PROVIDER_EDITOR, beta),
        "practitioner": make_person("practitioner", Role.PRACTITIONER, alpha),
        "connector": make_person("connector", Role.CONNECTOR, alpha),
        "analyst": make_person("analyst", Role.ANALYST, alpha),
        "admin": make_person("admin", Role.PARTNERSHIP_ADMIN, alpha),
        "nobody": make_person("nobody"),
    }


@pytest.fixture
def alpha_service(alpha):
    return make_service("Alpha Lunch Club", partner_name="Alpha Council")


@pytest.fixture
def beta_service(beta):
    return make_service("Beta Walking Group", partner_name="Beta Trust")


@pytest.fixture
def orphan_service(db):
    return make_service("Nobody's Chess Club")


@pytest.fixture
def details():
    """A valid request, as the form's cleaned data would hold it."""
    return {
        "name": "Sam Example",
        "contact_method": "phone",
        "phone": "01274 123456",
        "email": "",
        "best_time": "Mornings",
        "message": "I would like to join the lunch club.",
    }
