"""The search page near a postcode, its empty states, the staff view and its cost in queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linkwell.accounts.actions import create_organisation, create_user, grant_role
from linkwell.directory.records import LocationRecord
from linkwell.directory.tests.page_services import make_services, service_record
from linkwell.places.models import Postcode

pytestmark = pytest.mark.django_db

METRES_PER_DEGREE_LAT = 111_195


@pytest.fixture
def near_and_far(place_data):
    """Two clubs north of BD1 1AA: about 0.5 km and about 3 km away."""
    centroid = Postcode.objects.get(postcode="BD1 1AA")
    lat, lon = centroid.latitude, centroid.longitude
    return make_services(
        service_record(
            "Near club",
            locations=[
                LocationRecord(
                    name="Near", latitude=lat + 500 / METRES_PER_DEGREE_LAT, longitude=lon
                )
            ],
        ),
        service_record(
            "Far club",
            locations=[
                LocationRecord(
                    name="Far", latitude=lat + 3000 / METRES_PER_DEGREE_LAT, longitude=lon
                )
            ],
        ),
    )


def html_of(client, **params) -> str:
    response = client.get("/services/", params)
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def test_a_postcode_search_keeps_services_within_the_distance_nearest_first(client, near_and_far):
    within_5 = html_of(client, postcode="bd1 1aa")  # 5 km unless another distance is chosen
    within_1 = html_of(client, postcode="BD1 1AA", distance="1")

    assert "2 services within 5 km of BD1 1AA" in within_5
    assert within_5.index("Near club") < within_5.index("Far club")
    assert "about 0.5 km away" in within_5 and "about 3.0 km away" in within_5
    assert '<option value="5" selected>' in within_5
    assert "1 service within 1 km of BD1 1AA" in within_1
    assert "Far club" not in within_1


def test_nothing_within_the_distance_offers_the_nearest_wider_one_that_finds_some(
    client, place_data
):
    centroid = Postcode.objects.get(postcode="BD1 1AA")
    make_services(
        service_record(
            "Far club",
            locations=[
                LocationRecord(
                    name="Far",
                    latitude=centroid.latitude + 3000 / METRES_PER_DEGREE_LAT,
                    longitude=centroid.longitude,
                )
            ],
        )
    )

    html = html_of(client, postcode="BD1 1AA", distance="2")

    assert "0 services within 2 km of BD1 1AA" in html
    assert "See the 1 service within 5 km" in html
    assert 'href="/services/?postcode=BD1+1AA&amp;distance=5"' in html


def test_an_unknown_postcode_is_explained_at_the_field(client, place_data):
    response = client.get("/services/", {"postcode": "ZZ9 9ZZ", "need": "food"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "ZZ9 9ZZ" in html.split('id="id_postcode-error"')[1].split("</p>")[0]
    assert 'aria-describedby="id_postcode-hint id_postcode-error"' in html
    assert '<option value="food" selected>' in html  # nothing entered is lost


def test_an_unknown_distance_is_refused_at_the_field(client):
    response = client.get("/services/", {"postcode": "BD1 1AA", "distance": "500"})

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def _person_with_role(role: str):
    person = create_user(actor=None, username=f"pat-{role}", password="s3cret-Passw0rd!")
    organisation = create_organisation(actor=None, name=f"Org for {role}", kind="council")
    grant_role(actor=None, user=person, organisation=organisation, role=role)
    return person


@pytest.mark.parametrize(
    ("role", "sees_staff_fields"),
    [
        (None, False),
        ("provider_editor", False),
        ("analyst", False),
        ("practitioner", True),
        ("connector", True),
        ("partnership_admin", True),
    ],
)
def test_staff_who_refer_see_referral_route_tier_partner_and_live_capacity(
    client, role, sees_staff_fields
):
    service = make_services(service_record(tier=1, partner_name="Alpha Council"))[0]
    if role:
        client.force_login(_person_with_role(role))

    for url in ("/services/", f"/services/{service.id}/"):
        html = client.get(url).content.decode()
        assert ("For staff" in html) is sees_staff_fields
        assert ("Tier 1: universal and community support" in html) is sees_staff_fields
        assert "capacity is not recorded" not in html
    detail = client.get(f"/services/{service.id}/").content.decode()
    assert ("Taking referrals" in detail) is sees_staff_fields  # live: places not counted


def test_the_list_costs_a_fixed_number_of_queries_with_filters_and_a_postcode(
    client, place_data, django_assert_max_num_queries
):
    centroid = Postcode.objects.get(postcode="BD1 1AA")
    make_services(
        *[
            service_record(
                f"Club {n:02d}",
                locations=[
                    LocationRecord(
                        name=f"Venue {n}",
                        postcode="BD1 1AA",
                        latitude=centroid.latitude + n / 100_000,
                        longitude=centroid.longitude,
                    )
                ],
            )
            for n in range(20)
        ]
    )

    with django_assert_max_num_queries(16):
        html = html_of(client, postcode="BD1 1AA", need="food", age="70", free="")

    assert html.count('class="result"') == 20


def test_the_staff_view_of_twenty_results_costs_no_more_queries_than_of_one(client, place_data):
    client.force_login(_person_with_role("practitioner"))
    make_services(service_record("Club 00", partner_name="Alpha Council", email="a@example.org"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            html = html_of(client, q="club")
        assert "For staff" in html and "Alpha Council" in html
        return len(captured.captured_queries)

    one = queries()
    make_services(
        *[
            service_record(f"Club {n:02d}", partner_name="Alpha Council", url="https://a.example")
            for n in range(1, 20)
        ]
    )

    assert queries() <= one  # the search's own queries may vary; the page's do not grow
    assert html_of(client, q="club").count('class="staff-facts"') == 20


def test_past_the_cap_the_page_says_more_than_and_still_pages_on(client, monkeypatch):
    from linkwell.web.find_support import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    monkeypatch.setattr(views, "COUNT_CAP", 3)
    make_services(*[service_record(f"Club {n}") for n in range(5)])

    first = html_of(client)
    second = html_of(client, page="2")

    assert "More than 3 services found" in first
    assert "Page 1</p>" in first and "Page 1 of" not in first
    assert 'rel="next"' in first
    assert second.count('class="result"') == 2
