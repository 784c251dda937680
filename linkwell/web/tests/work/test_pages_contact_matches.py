"""The contact page's offers come from matching: ranked for the person (their postcode, age
and language), each with its reasons in plain words, a district-wide service saying it
covers their area."""

from django.urls import reverse

from linkwell.directory.records import ServiceAreaRecord, TermRef
from linkwell.directory.tests.page_services import make_service
from linkwell.referrals.models import CapacityMode, ServiceCapacity
from linkwell.referrals.tests.pages_world import pages_fixture, sign_in  # noqa: F401 (fixture)


def test_offers_give_their_reasons_and_a_full_service_comes_after_one_taking_referrals(
    client, pages
):
    ServiceCapacity.objects.update_or_create(
        service=pages["lunch"], defaults={"mode": CapacityMode.PLACES, "places": 0}
    )
    make_service(
        "District befriending",
        minimum_age=None,
        service_areas=[ServiceAreaRecord(name="Bradford District", whole_place=True)],
        terms=[TermRef("linkwell-needs", "loneliness")],
    )
    sign_in(client, "firefighter")
    page = client.get(reverse("referrals:contact_detail", args=[pages["visit"].pk])).text
    section = page[page.index('id="need-loneliness"') :]
    assert "covers your area" in section
    assert "waiting list" in section and " km" in section
    assert section.index("District befriending") < section.index("Lunch club")
