"""The public search page's filters: each narrows the list, and bad input is explained."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from linkwell.directory.records import CostOptionRecord, LocationRecord, ScheduleRecord, TermRef
from linkwell.directory.tests.page_services import make_services, service_record

pytestmark = pytest.mark.django_db


def names(client, **params) -> str:
    response = client.get("/services/", params)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_the_need_filter_keeps_services_helping_with_that_need(client):
    make_services(
        service_record("Lunch club", terms=[TermRef("linkwell-needs", "food")]),
        service_record("Debt clinic", terms=[TermRef("linkwell-needs", "money_debt")]),
    )

    html = names(client, need="money_debt")

    assert "Debt clinic" in html
    assert "Lunch club" not in html
    assert "1 service found" in html


def test_the_life_stage_filter_keeps_services_for_that_stage(client):
    make_services(
        service_record("Toddler group", terms=[TermRef("linkwell-life-stages", "starting_well")]),
        service_record("Tea dance", terms=[TermRef("linkwell-life-stages", "ageing_well")]),
    )

    html = names(client, life_stage="starting_well")

    assert "Toddler group" in html and "Tea dance" not in html


def test_an_age_keeps_services_open_to_a_person_of_that_age(client):
    make_services(
        service_record("Over sixties club", minimum_age=60),
        service_record("Youth club", minimum_age=11, maximum_age=19),
    )

    assert "Youth club" in names(client, age="15") and "Over sixties" not in names(client, age="15")
    html = names(client, age="72")
    assert "Over sixties club" in html and "Youth club" not in html


def test_day_and_times_keep_sessions_on_that_day_within_those_hours(client):
    make_services(
        service_record(
            "Tuesday lunch",
            schedules=[ScheduleRecord("WEEKLY", "TU", dt.time(11, 30), dt.time(14))],
        ),
        service_record(
            "Friday evening walk",
            schedules=[ScheduleRecord("WEEKLY", "FR", dt.time(18), dt.time(19, 30))],
        ),
    )

    tuesday = names(client, day="TU")
    assert "Tuesday lunch" in tuesday and "Friday evening walk" not in tuesday
    daytime = names(client, start_time="09:00", end_time="17:00")
    assert "Tuesday lunch" in daytime and "Friday evening walk" not in daytime
    evening = names(client, start_time="17:00")
    assert "Friday evening walk" in evening and "Tuesday lunch" not in evening


def test_free_only_keeps_services_that_say_they_are_free(client):
    make_services(
        service_record("Free cuppa", cost_options=[CostOptionRecord(option="Free")]),
        service_record("Paid yoga", cost_options=[CostOptionRecord("Per session", Decimal(5))]),
        service_record("Unknown cost", cost_options=[]),
    )

    html = names(client, free="on")

    assert "Free cuppa" in html
    assert "Paid yoga" not in html and "Unknown cost" not in html


def test_language_keeps_services_offered_in_it(client):
    make_services(
        service_record("Urdu coffee morning", languages=[("ur", "Urdu")]),
        service_record("Polish advice", languages=[("pl", "Polish")]),
    )

    html = names(client, language="ur")

    assert "Urdu coffee morning" in html and "Polish advice" not in html


def test_step_free_access_keeps_services_at_a_place_that_says_so(client):
    make_services(
        service_record(
            "Ground floor cafe",
            locations=[LocationRecord(name="Cafe", accessibility=["Wheelchair accessible"])],
        ),
        service_record("Upstairs club", locations=[LocationRecord(name="Upstairs")]),
    )

    html = names(client, accessible="on")

    assert "Ground floor cafe" in html and "Upstairs club" not in html


def test_online_or_in_person_keeps_services_offered_that_way(client):
    make_services(
        service_record(
            "Video befriending",
            locations=[LocationRecord(name="Online", location_type="virtual")],
        ),
        service_record("Drop-in", locations=[LocationRecord(name="Hall")]),
    )

    online = names(client, mode="online")
    in_person = names(client, mode="in_person")

    assert "Video befriending" in online and "Drop-in" not in online
    assert "Drop-in" in in_person and "Video befriending" not in in_person


def test_an_end_time_before_the_start_is_explained_at_the_field_keeping_the_input(client):
    make_services(service_record())

    response = client.get("/services/", {"start_time": "14:00", "end_time": "10:00", "q": "tea"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "The finishing time must be later than the starting time (14:00)." in html
    assert 'href="#id_end_time"' in html  # the error summary links to the field
    assert 'aria-describedby="id_end_time-hint id_end_time-error"' in html
    assert 'value="14:00"' in html and 'value="10:00"' in html and 'value="tea"' in html


@pytest.mark.parametrize(
    ("age", "message"),
    [
        ("sixty", "Enter an age in whole years, like 67."),
        ("130", "Age must be 120 or less."),
        ("-1", "Age must be 0 or more."),
    ],
)
def test_a_bad_age_is_explained_at_the_field(client, age, message):
    response = client.get("/services/", {"age": age})

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'value="{age}"' in html
    assert '<details class="filters" open>' in html  # the field in error is not hidden


def test_markup_typed_in_the_search_box_is_shown_as_text(client):
    response = client.get("/services/", {"q": "<script>alert(1)</script>"})

    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_over_long_words_are_refused_at_the_field_and_kept(client):
    response = client.get("/services/", {"q": "x" * 201})

    assert response.status_code == 400
    assert "Use 200 characters or fewer (you used 201)." in response.content.decode()


def test_filters_are_folded_away_until_one_is_used(client):
    make_services(service_record())

    assert '<details class="filters">' in names(client)
    assert '<details class="filters" open>' in names(client, need="food")


def test_pages_of_results_keep_the_filters(client):
    make_services(*[service_record(f"Lunch club {n:02d}") for n in range(25)])

    first = names(client, need="food", age="70")
    second = names(client, need="food", age="70", page="2")

    assert "25 services found" in first
    assert 'href="?need=food&amp;age=70&amp;page=2"' in first
    assert second.count('class="result"') == 5


def test_a_result_says_where_when_and_what_it_costs(client, place_data):
    from linkwell.places.models import Postcode

    centroid = Postcode.objects.select_related("ward").get(postcode="BD1 1AA")
    make_services(
        service_record(
            locations=[
                LocationRecord(
                    name="Chapel",
                    postcode="BD1 1AA",
                    latitude=centroid.latitude,
                    longitude=centroid.longitude,
                )
            ],
            cost_options=[CostOptionRecord(option="Free")],
        )
    )

    html = names(client)

    assert centroid.ward.name in html
    assert "Every Tuesday, 11:30 to 14:00" in html
    assert "<dt>Cost</dt><dd>Free</dd>" in html
    assert '"lat": ' in html  # the map's data, for the enhancement


def test_listings_past_their_review_and_grace_period_are_left_out_by_default(client, settings):
    settings.LISTING_STALE_AFTER_DAYS, settings.LISTING_STALE_GRACE_DAYS = 100, 30
    today = timezone.localdate()
    make_services(
        service_record("Checked lately", assured_date=today - dt.timedelta(days=20)),
        service_record("In its grace period", assured_date=today - dt.timedelta(days=120)),
        service_record("Long unchecked", assured_date=today - dt.timedelta(days=131)),
        service_record("Never checked", assured_date=None),
    )

    default = names(client)
    included = names(client, include_stale="on")

    assert "Checked lately" in default and "In its grace period" in default
    assert "Never checked" in default  # no review date to be past (docs/adr/0009)
    assert "Long unchecked" not in default
    assert "Long unchecked" in included


def test_a_search_finding_only_old_listings_offers_to_include_them(client, settings):
    settings.LISTING_STALE_AFTER_DAYS, settings.LISTING_STALE_GRACE_DAYS = 100, 30
    old = timezone.localdate() - dt.timedelta(days=400)
    make_services(service_record("Old club", assured_date=old, minimum_age=None))

    html = names(client, need="food")

    assert "0 services found" in html
    assert "Include 1 listing not checked recently" in html
    assert 'href="/services/?need=food&amp;include_stale=on"' in html
    assert "Remove the filter “Help with”" in html
