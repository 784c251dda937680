"""A provider's typo cannot make the feed fail the ORUK schemas."""

import pytest

from linkwell.directory.actions import save_services
from linkwell.directory.oruk import documents as oruk
from linkwell.directory.queries import get_service
from linkwell.directory.records import LocationRecord, OrganizationRecord, ServiceRecord
from linkwell.directory.tests.oruk_validation import problems

pytestmark = pytest.mark.django_db


def test_malformed_links_and_emails_are_left_out_not_published(user):
    record = ServiceRecord(
        name="Typo cafe",
        organization=OrganizationRecord(
            name="Typo Trust", description="Demo", website="www.example.org", is_demo=True
        ),
        url="example/cafe",
        email="cafe at example.org",
        locations=[LocationRecord(name="Online", location_type="virtual", url="not a url")],
        is_demo=True,
    )
    service_id = save_services([record], actor=user, via="test").service_ids[0]

    document = oruk.service(get_service(service_id))

    assert problems(document, "service.json") == []
    assert "url" not in document and "email" not in document
    assert "website" not in document["organization"]
    assert "url" not in document["service_at_locations"][0]["location"]


def test_optional_fields_without_a_value_are_omitted(user):
    record = ServiceRecord(
        name="Bare service",
        organization=OrganizationRecord(name="Bare Trust", description="Demo"),
    )
    service_id = save_services([record], actor=user, via="test").service_ids[0]

    document = oruk.service(get_service(service_id))

    assert None not in document.values() and "" not in document.values()
    assert "schedules" not in document and "minimum_age" not in document
    assert set(document) >= {"id", "name", "status", "organization", "last_modified"}
