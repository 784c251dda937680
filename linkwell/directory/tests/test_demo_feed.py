"""The demo directory, once loaded, is published as a valid Open Referral UK feed."""

from io import StringIO

import pytest
from django.core.management import call_command

from linkwell.directory import models as m
from linkwell.directory.tests.oruk_validation import page_problems, problems

API = "/api/v1"


@pytest.fixture
def demo(db, place_data):
    call_command("load_demo_directory", stdout=StringIO())


def test_every_demo_service_validates_as_an_oruk_service(client, demo):
    first = client.get(f"{API}/services", {"per_page": 100}).json()
    assert page_problems(first, "service_list.json") == []
    assert first["total_items"] == m.Service.objects.count()

    invalid = {}
    for service_id in m.Service.objects.values_list("id", flat=True):
        document = client.get(f"{API}/services/{service_id}").json()
        found = problems(document, "service.json")
        if found:
            invalid[document.get("name", str(service_id))] = found[:3]

    assert invalid == {}


def test_demo_services_publish_which_details_are_invented(client, demo):
    service = m.Service.objects.get(name="Safe and Well visits")
    document = client.get(f"{API}/services/{service.id}").json()
    values = [
        attribute.get("value", "")
        for attribute in document.get("attributes", [])
        if attribute.get("taxonomy_term", {}).get("term") == "demo"
    ]

    assert values and "contacts" in values[0]
