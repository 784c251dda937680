"""The demo directory in Craven: invented examples, flagged, serving Craven's towns."""

from io import StringIO

import pytest
from django.core.management import call_command

from linkwell.directory import models as m
from linkwell.directory import vocabularies as vocab
from linkwell.directory.demo.common import data_file, example_services, operating_tier
from linkwell.places.queries import find_place

EXAMPLES = example_services()


@pytest.fixture
def demo(db, place_data):
    call_command("load_demo_directory", stdout=StringIO())


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda s: s["key"])
def test_every_example_uses_known_codes_and_a_described_organisation(spec):
    assert spec.get("needs") and set(spec["needs"]) <= set(vocab.NEED_CODES)
    assert spec.get("stages")
    assert operating_tier(spec["tier"]) in {1, 2, 3, 4}
    assert spec["organization"] in data_file("organizations.yaml")
    assert "Demo listing - an invented example" in spec["description"]
    assert set(spec["area"]) == {"wards"} and spec["base"]["ward"] in spec["area"]["wards"]


def test_craven_has_befriending_lunch_clubs_and_advice_serving_its_towns(demo):
    """A person in Skipton, Settle, Bentham or Cross Hills finds services of their own."""

    def serving(town: str) -> dict[str, set[str]]:
        wards = find_place(town).ward_ids
        services = m.Service.objects.filter(service_areas__ward_id__in=wards).distinct()
        return {
            s.name: set(
                s.attributes.filter(taxonomy_term__taxonomy__key=vocab.NEEDS.key).values_list(
                    "taxonomy_term__code", flat=True
                )
            )
            for s in services
        }

    skipton = serving("Skipton")
    assert {"Skipton befriending", "Skipton community lunch club"} <= set(skipton)
    assert "loneliness" in skipton["Skipton befriending"]
    assert {"food", "money_debt", "carers"} <= set().union(*skipton.values())
    assert "Settle community coffee morning" in serving("Settle")
    assert any("befriending" in name for name in serving("Bentham"))
    assert any("over-60s" in name for name in serving("Cross Hills"))
    craven = m.Service.objects.filter(source__contains="Invented example for Craven")
    assert craven.count() >= 8
    for service in craven:
        location = service.service_at_locations.get().location
        assert location.ward.local_authority_name == "North Yorkshire", service.name
        assert set(service.service_areas.values_list("ward__local_authority_name", flat=True)) == {
            "North Yorkshire"
        }
        assert "whole_listing" in service.demo_fields


def test_ward_partnerships_are_bradford_councils_only(demo):
    partnerships = m.Service.objects.filter(name__endswith="Ward Partnership")
    assert partnerships.count() == 30
    assert not partnerships.filter(service_areas__ward__local_authority_name="North Yorkshire")


def test_the_examples_say_every_detail_is_invented(demo):
    for service in m.Service.objects.filter(source__contains="Invented example for Craven"):
        invented = set(service.demo_fields)
        assert {"whole_listing", "name", "description", "service_areas", "locations"} <= invented
        assert service.is_demo
        if service.minimum_age is not None:
            assert "minimum_age" in invented
