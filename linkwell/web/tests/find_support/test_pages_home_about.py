import pytest
from django.test import override_settings
from django.utils import timezone

from linkwell.places.models import Place

pytestmark = pytest.mark.django_db


def test_the_home_page_says_what_linkwell_is_and_offers_a_search(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "one shared directory" in html
    assert 'action="/services/"' in html
    assert 'name="q"' in html and 'name="postcode"' in html


def test_every_page_has_a_skip_link_landmarks_and_its_language(client):
    html = client.get("/").content.decode()

    assert 'href="#main-content"' in html
    assert '<main id="main-content"' in html
    assert '<html lang="en-gb" dir="ltr">' in html
    assert 'href="/about/"' in html
    assert "<footer" in html and "<header" in html and "<nav" in html


@override_settings(LANGUAGES=[("en-gb", "English"), ("ur", "Urdu")])
def test_a_right_to_left_language_lays_the_page_out_right_to_left(client):
    html = client.get("/", headers={"accept-language": "ur"}).content.decode()

    assert '<html lang="ur" dir="rtl">' in html


def test_the_about_page_credits_each_places_data_and_openstreetmap(client):
    Place.objects.create(
        slug="test-credits",
        loaded_at=timezone.now(),
        name="Testshire District",
        attributions="Contains OS data © Crown copyright and database right 2024.",
    )

    response = client.get("/about/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Testshire District" in html
    assert "Contains OS data © Crown copyright and database right 2024." in html
    assert "OpenStreetMap contributors" in html
    assert "Open Referral UK" in html


def test_the_sign_in_page_renders_in_the_site_layout(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'autocomplete="current-password"' in html
    assert 'href="#main-content"' in html


def test_signing_in_returns_to_the_home_page(client, user):
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": "s3cret-Passw0rd", "next": "/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "Sign out (alice)" in client.get("/").content.decode()


def test_credits_written_as_a_bullet_list_are_shown_one_per_item(client):
    Place.objects.create(
        slug="test-bullets",
        loaded_at=timezone.now(),
        name="Bulletshire",
        attributions=(
            "- **Census 2021**: Office for National Statistics,\n  OGL v3.0.\n- `osm.geojson`: ODbL"
        ),
    )

    html = client.get("/about/").content.decode()

    assert "<li>Census 2021: Office for National Statistics, OGL v3.0.</li>" in html
    assert "<li>osm.geojson: ODbL</li>" in html
