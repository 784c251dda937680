"""The demo directory, loaded into a place: big enough, spread everywhere, honest."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from linkwell.accounts.models import Organisation
from linkwell.audit.models import AuditEvent
from linkwell.directory import models as m
from linkwell.directory import vocabularies as vocab
from linkwell.directory.demo import demo_records
from linkwell.directory.demo.common import activity_kinds
from linkwell.places.models import Place, Ward

DRAMA_PHONE = re.compile(r"^(01632 960\d{3}|07700 900\d{3})$")
EXAMPLE_EMAIL = re.compile(r"^[^@\s]+@example\.org$")
EXAMPLE_URL = re.compile(r"^https://example\.org(/|$)")

NAMED_IN_THE_SEEDS = [
    "Community Connector (Bradford)",
    "Community Connector (Airedale, Wharfedale and Craven)",
    "Champions Show the Way",
    "Health Trainers",
    "Falls Prevention Team",
    "Talking therapies (IAPT)",
    "Family Nurse Partnership",
    "Safe and Well visits",
    "Firesetters programme",
    "Sheltered housing",
    "Trust Care",
    "Housing income team",
    "Volunteering Bradford",
    "Children's centres",
    "Cuppa, Cake and Company",
    "Sing for Joy singing group",
    "Winter Warmth scheme",
]


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo_directory", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db, place_data):
    return load_demo()


def test_the_demo_directory_lists_at_least_150_services(demo):
    assert m.Service.objects.count() >= 150
    assert "services" in demo


def test_every_ward_has_a_service_of_its_own(demo):
    by_area = set(m.ServiceArea.objects.exclude(ward=None).values_list("ward__code", flat=True))
    by_location = set(
        m.ServiceAtLocation.objects.exclude(location__ward=None).values_list(
            "location__ward__code", flat=True
        )
    )
    wards = set(Ward.objects.values_list("code", flat=True))

    assert len(wards) == 39  # Bradford's 30 and Craven's 9
    assert wards - (by_area | by_location) == set()


def test_every_tier_life_stage_and_need_is_used(demo):
    used = set(
        m.ServiceAttribute.objects.values_list(
            "taxonomy_term__taxonomy__key", "taxonomy_term__code"
        )
    )

    assert set(m.Service.objects.values_list("tier", flat=True)) == {1, 2, 3, 4}
    assert {(vocab.LIFE_STAGES.key, t.code) for t in vocab.LIFE_STAGES.terms} <= used
    assert {(vocab.NEEDS.key, code) for code in vocab.NEED_CODES} <= used


def test_every_partner_tier_scheme_goes_through_the_crosswalk(demo):
    schemes = set(m.Service.objects.values_list("tier_scheme__key", flat=True))
    fnp = m.Service.objects.get(name="Family Nurse Partnership")
    safe_and_well = m.Service.objects.get(name="Safe and Well visits")

    assert schemes == {scheme.key for scheme in vocab.TIER_SCHEMES}
    assert (fnp.tier_scheme.key, fnp.tier_in_scheme, fnp.tier) == ("childrens-threshold", "3", 3)
    assert (safe_and_well.tier_in_scheme, safe_and_well.tier) == ("2", 3)


def test_every_demo_service_names_the_details_that_were_invented(demo):
    services = m.Service.objects.prefetch_related(
        "contacts", "schedules", "cost_options", "service_at_locations__location"
    )

    for service in services:
        invented = set(service.demo_fields)
        assert service.is_demo, service.name
        if service.url:
            assert "url" in invented, service.name
        if service.email:
            assert "email" in invented, service.name
        if service.contacts.all():
            assert "contacts" in invented, service.name
        if service.cost_options.all():
            assert "cost_options" in invented, service.name
        if service.annual_cost is not None:
            assert "annual_cost" in invented, service.name
        if any("Demo" in s.description for s in service.schedules.all()):
            assert "schedules" in invented, service.name
        if any(sal.location.is_demo for sal in service.service_at_locations.all()):
            assert "locations" in invented, service.name


def test_invented_activities_at_real_venues_say_so(demo):
    invented = [s for s in m.Service.objects.all() if "whole_listing" in s.demo_fields]
    activities = [s for s in invented if "OpenStreetMap venue" in s.source]

    assert len(activities) >= 60
    for service in activities:
        assert "the venue is real, the session is not" in service.description
        location = service.service_at_locations.get().location
        assert location.external_identifier_type == "openstreetmap"
        assert "OpenStreetMap contributors" in location.description
    # Craven has no OSM venues in the place data: its invented examples are at real postcodes.
    for service in invented:
        if service not in activities:
            assert "the postcode is real, the service is not" in service.description
            assert service.service_at_locations.get().location.is_demo


def test_every_phone_number_is_in_the_drama_range(demo):
    numbers = list(m.Phone.objects.values_list("number", flat=True))

    assert numbers
    assert [n for n in numbers if not DRAMA_PHONE.match(n)] == []


def test_every_email_and_website_is_on_example_org(demo):
    emails = [e for e in m.Service.objects.values_list("email", flat=True)]
    emails += list(m.Contact.objects.values_list("email", flat=True))
    emails += list(m.Organization.objects.values_list("email", flat=True))
    urls = list(m.Service.objects.values_list("url", flat=True))
    urls += list(m.Location.objects.values_list("url", flat=True))
    urls += list(m.Organization.objects.values_list("website", flat=True))

    assert [e for e in emails if e and not EXAMPLE_EMAIL.match(e)] == []
    assert [u for u in urls if u and not EXAMPLE_URL.match(u)] == []


def test_no_two_demo_services_share_an_id(db, place_data):
    records = demo_records()
    ids = [r.id for r in records]
    names = [(r.organization.name, r.name) for r in records]

    assert None not in ids
    assert len(set(ids)) == len(ids)
    assert len(set(names)) == len(names)


def test_the_demo_directory_is_the_same_every_time(db, place_data):
    first, second = demo_records(), demo_records()

    assert [(r.id, r.name, r.contacts[0].phones[0].number) for r in first] == [
        (r.id, r.name, r.contacts[0].phones[0].number) for r in second
    ]


def test_loading_twice_creates_no_duplicates(demo):
    tables = (
        m.Service,
        m.Organization,
        m.Location,
        m.Address,
        m.ServiceAtLocation,
        m.Contact,
        m.Phone,
        m.Schedule,
        m.ServiceArea,
        m.ServiceAttribute,
        Organisation,
    )
    before = {model.__name__: model.objects.count() for model in tables}

    again = load_demo()

    assert {model.__name__: model.objects.count() for model in tables} == before
    assert "0 created" in again


def test_the_services_named_in_the_seeds_are_present(demo):
    names = set(m.Service.objects.values_list("name", flat=True))

    assert [name for name in NAMED_IN_THE_SEEDS if name not in names] == []


def test_practice_based_services_are_at_real_gp_practices(demo):
    champions = m.Service.objects.filter(name__startswith="Practice Health Champions")
    practice_codes = set(
        m.Location.objects.filter(external_identifier_type="ods").values_list(
            "external_identifier", flat=True
        )
    )

    assert champions.count() >= 12
    assert {"B83005", "B83033"} <= practice_codes


def test_the_command_refuses_without_a_place(db):
    Place.objects.all().delete()  # rolled back with the test

    with pytest.raises(CommandError, match=r"run `linkwell load_place` first"):
        load_demo()
    assert m.Service.objects.count() == 0


def test_partners_are_created_with_their_kinds_and_departments(demo):
    council = Organisation.objects.get(parent=None, name="Bradford Council")
    care_trust = Organisation.objects.get(name="Bradford District Care NHS Foundation Trust")
    departments = set(council.departments.values_list("name", "kind"))

    assert council.kind == "council"
    assert (care_trust.kind, care_trust.ods_code) == ("nhs_trust", "TAD")
    assert ("Children's Services", "council_department") in departments
    assert "Partners created" in demo


def test_the_demo_load_is_audited_as_demo(demo):
    events = AuditEvent.objects.filter(action="directory.service.saved")

    assert events.count() == m.Service.objects.count()
    assert set(events.values_list("via", flat=True)) == {"demo"}


def test_every_kind_of_activity_is_placed_at_some_venue(db, place_data):
    names = [r.name for r in demo_records() if "whole_listing" in r.demo_fields]
    prefixes = {kind["name"].split("{venue}")[0] for kind in activity_kinds()}

    assert {p for p in prefixes if not any(n.startswith(p) for n in names)} == set()
