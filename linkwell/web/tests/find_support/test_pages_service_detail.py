import datetime as dt
import uuid

import pytest
from django.test import override_settings
from django.utils import timezone

from linkwell.directory.tests.page_services import make_service

pytestmark = pytest.mark.django_db

STALE_TITLE = "This listing may be out of date"
DEMO_TITLE = "Demo data"


def page(client, service):
    response = client.get(f"/services/{service.id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_service_page_says_what_who_when_where_and_how_to_get_in_touch(client):
    service = make_service(
        partner_name="Alpha Council", department_name="Adult Services", tier=2, maximum_age=99
    )

    html = page(client, service)

    assert "<h1>Cuppa Cake and Company</h1>" in html
    assert "Run by Example Community Trust" in html
    assert "A weekly lunch club for older people." in html
    assert "Loneliness and isolation" in html and "Food" in html
    assert "Ageing Well" in html
    assert "Ages 60 to 99" in html
    assert "Every Tuesday, 11:30 to 14:00" in html
    assert "1 Chapel Street" in html and "BD1 1AA" in html
    assert 'href="tel:01274000000"' in html
    assert "Alpha Council: Adult Services" in html
    assert "Tier 2: additional needs met through" not in html  # shown to staff only
    assert timezone.localdate().strftime("%Y") in html


def test_an_unknown_service_is_not_found(client):
    response = client.get(f"/services/{uuid.uuid4()}/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert client.get("/services/not-a-uuid/").status_code == 404


@override_settings(LISTING_STALE_AFTER_DAYS=100)
def test_a_listing_reviewed_too_long_ago_is_flagged_as_possibly_out_of_date(client):
    old = make_service(assured_date=timezone.localdate() - dt.timedelta(days=101))

    html = page(client, old)

    assert STALE_TITLE in html
    assert "more than 100 days ago" in html


@override_settings(LISTING_STALE_AFTER_DAYS=100)
def test_a_recently_reviewed_listing_has_no_out_of_date_banner(client):
    recent = make_service(assured_date=timezone.localdate() - dt.timedelta(days=100))

    assert STALE_TITLE not in page(client, recent)


def test_a_listing_never_reviewed_is_flagged(client):
    never = make_service(assured_date=None)

    html = page(client, never)

    assert STALE_TITLE in html
    assert "We have no record of it being reviewed." in html


def test_a_demo_listing_names_the_invented_details(client):
    demo = make_service(is_demo=True, demo_fields=["contacts", "annual_cost", "opening_notes"])

    html = page(client, demo)

    assert DEMO_TITLE in html
    assert "Invented details: contact details, annual cost, opening notes." in html


def test_a_real_listing_has_no_demo_notice(client):
    assert DEMO_TITLE not in page(client, make_service())


def test_a_temporarily_closed_service_says_so(client):
    closed = make_service(status="temporarily closed", alert="Closed for repairs until May.")

    html = page(client, closed)

    assert "Temporarily closed" in html
    assert "Closed for repairs until May." in html
