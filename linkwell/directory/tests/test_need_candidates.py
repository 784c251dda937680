"""A need's candidate services for matching: tagged with it, with the status asked, open to
the person's age; nothing for a code outside the vocabulary."""

import pytest

from linkwell.directory.queries.candidates import services_for_need
from linkwell.directory.records import TermRef
from linkwell.directory.tests.page_services import make_services, service_record

pytestmark = pytest.mark.django_db

ACTIVE = ("active",)


@pytest.fixture
def services(place_data):
    food = [TermRef("linkwell-needs", "food")]
    return {
        s.name: s.id
        for s in make_services(
            service_record("Lunch club", terms=food, minimum_age=60),
            service_record("Food bank", terms=food, minimum_age=None),
            service_record("Closed pantry", terms=food, minimum_age=None, status="inactive"),
            service_record("Walks", terms=[TermRef("linkwell-needs", "loneliness")]),
        )
    }


def test_services_tagged_with_the_need_and_active(services):
    found = services_for_need("food", statuses=ACTIVE)
    assert set(found) == {services["Lunch club"], services["Food bank"]}


def test_an_age_keeps_only_services_open_to_it(services):
    assert services_for_need("food", statuses=ACTIVE, age=30) == [services["Food bank"]]


def test_the_limit_and_an_unknown_code(services):
    assert len(services_for_need("food", statuses=ACTIVE, limit=1)) == 1
    assert services_for_need("not_a_need", statuses=ACTIVE) == []
