"""The service page for staff who refer ("Refer someone", with live capacity) and for
everyone: the venue's address with directions, each e-mail address once, "Back to results"
keeping the search, and a printout that does not repeat an address after a link showing it."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from linkwell.directory.models import Service
from linkwell.directory.records import AddressRecord, ContactRecord, LocationRecord
from linkwell.directory.tests.page_services import make_service
from linkwell.referrals import actions
from linkwell.referrals.models import CapacityMode, CapacityUnit
from linkwell.referrals.tests.ecc_world import PASSWORD

pytestmark = pytest.mark.django_db


def page(client, service, **params) -> str:
    response = client.get(f"/services/{service.id}/", params)
    assert response.status_code == 200
    return response.content.decode()


def staff_box(html: str) -> str:
    start = html.index('class="staff-facts"')
    return html[start : html.index("</dl>", start)]


@pytest.fixture
def signed_in(client, world):
    def as_(username):
        assert client.login(username=username, password=PASSWORD)
        return client

    return as_


def test_a_practitioner_sees_refer_someone_leading_to_the_refer_page(signed_in, world):
    client = signed_in("firefighter")

    html = page(client, world["falls"])

    refer = reverse("referrals:refer_to_service", args=[world["falls"].pk])
    assert re.search(rf'<a class="button" href="{refer}">Refer someone</a>', html)
    assert "Taking referrals" in staff_box(html)
    assert "capacity is not recorded" not in html


@pytest.mark.parametrize(
    ("mode", "places", "unit", "shown"),
    [
        (CapacityMode.PLACES, 3, CapacityUnit.WEEK, "3 places left this week"),
        (CapacityMode.PLACES, 1, CapacityUnit.MONTH, "1 place left this month"),
        (CapacityMode.PLACES, 0, CapacityUnit.WEEK, "Full for now: new referrals join the waiting"),
        (CapacityMode.WAITING_LIST, None, CapacityUnit.WEEK, "Waiting list"),
        (CapacityMode.CLOSED, None, CapacityUnit.WEEK, "Closed to referrals"),
    ],
)
def test_the_staff_box_shows_live_capacity(signed_in, world, mode, places, unit, shown):
    actions.set_capacity(
        world["lunch"], actor=world["lunch_editor"], via="test", mode=mode, places=places, unit=unit
    )
    client = signed_in("connector")

    assert shown in staff_box(page(client, world["lunch"]))


def test_capacity_counts_places_taken_this_period(signed_in, world):
    from linkwell.referrals.tests.ecc_world import consent_to, refer

    ada = world["person"]
    consent_to(world["firefighter"], ada, world["lunch"])
    actions.accept_referral(
        refer(world["firefighter"], ada, world["lunch"]), actor=world["lunch_editor"], via="test"
    )
    client = signed_in("gp")

    assert "Full for now" in staff_box(page(client, world["lunch"]))


@pytest.mark.parametrize("username", [None, "lunch_editor", "analyst", "outsider"])
def test_no_one_else_sees_refer_someone_or_capacity(signed_in, client, world, username):
    if username:
        signed_in(username)

    html = page(client, world["lunch"])

    assert "Refer someone" not in html
    assert "1 place left" not in html
    assert "/refer/" not in html


def test_no_refer_someone_for_a_service_no_longer_taking_referrals(signed_in, world):
    Service.objects.filter(pk=world["lunch"].pk).update(status="inactive")
    client = signed_in("firefighter")

    html = client.get(f"/services/{world['lunch'].id}/").content.decode()

    assert "Refer someone" not in html


def test_the_venue_has_its_street_address_and_directions(client, db):
    service = make_service(
        "Mapped club",
        locations=[
            LocationRecord(
                name="Chapel Hall",
                latitude=53.79,
                longitude=-1.75,
                postcode="BD1 1AA",
                addresses=[AddressRecord("1 Chapel Street", "Bradford", "BD1 1AA")],
            )
        ],
    )

    html = page(client, service)

    assert "<address>1 Chapel Street<br>Bradford<br>BD1 1AA</address>" in html
    assert 'href="https://www.openstreetmap.org/directions?to=53.79000%2C-1.75000"' in html
    assert "Get directions" in html
    assert "<script" not in html.split("openstreetmap.org/directions")[0].split("</main>")[-1]


def test_a_venue_without_a_position_has_no_directions_link(client, db):
    service = make_service("Unmapped", locations=[LocationRecord(name="Somewhere")])

    assert "Get directions" not in page(client, service)


def test_an_email_address_is_shown_once(client, db):
    service = make_service(
        email="hello@club.example",
        contacts=[
            ContactRecord(name="Pat", email="HELLO@club.example"),
            ContactRecord(name="Sam", email="sam@club.example"),
        ],
    )

    html = page(client, service)

    assert html.lower().count(">hello@club.example</a>") == 1
    assert html.count(">sam@club.example</a>") == 1


def test_back_to_results_keeps_the_search(client, db):
    service = make_service()
    listing = client.get("/services/", {"q": "lunch club", "need": "loneliness"}).content.decode()
    link = re.search(rf'href="(/services/{service.id}/\?back=[^"]+)"', listing)
    assert link, "the result links to the service with the search"

    html = client.get(link.group(1).replace("&amp;", "&")).content.decode()

    back = re.search(r'<p class="back-link"><a href="([^"]+)">Back to results</a>', html)
    assert back and back.group(1).replace("&amp;", "&") == "/services/?q=lunch+club&need=loneliness"


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_back_never_leaves_the_search_page(client, db, back):
    service = make_service()

    html = page(client, service, back=back)

    href = re.search(r'<p class="back-link"><a href="([^"]+)"', html).group(1)
    assert href.startswith("/services/?")


def test_without_a_search_the_link_is_to_all_services(client, db):
    html = page(client, make_service())

    assert '<p class="back-link"><a href="/services/">All services</a></p>' in html


def test_a_printout_does_not_repeat_an_address_the_link_already_shows(client, db):
    from django.contrib.staticfiles import finders

    service = make_service(url="https://club.example/", email="hello@club.example")
    html = page(client, service)
    css = Path(finders.find("linkwell/site.css")).read_text(encoding="utf-8")

    for href in ("https://club.example/", "mailto:hello@club.example", "http://testserver/"):
        assert re.search(rf'<a href="{re.escape(href)}[^"]*" class="[^"]*url-shown', html), href
    assert 'href="tel:01274000000" class="url-shown"' in html
    last_print = css[css.rindex("@media print") :]
    assert "a.url-shown::after { content: none; }" in last_print
