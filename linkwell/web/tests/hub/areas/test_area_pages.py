"""The map of need and provision, provision against need and an area's profile: who may see
them, what they show on the small hand-made place, and their CSV downloads."""

import csv
import io

import pytest
from django.urls import reverse

from linkwell.intelligence.tests.provision.world import make_service
from linkwell.web.hub.areas import views
from linkwell.web.hub.areas.figures import PLACEHOLDER

PAGES = [
    reverse("hub:map"),
    reverse("hub:provision"),
    reverse("hub:area", args=["ward", "E05009991"]),
]


def rows_of(response):
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


@pytest.mark.parametrize("url", PAGES)
def test_an_analyst_sees_the_page(client, world, analyst, url):
    client.force_login(analyst)
    response = client.get(url)
    assert response.status_code == 200
    assert "Northfield" in response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_a_practitioner_is_refused(client, world, practitioner, url):
    client.force_login(practitioner)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_someone_not_signed_in_is_sent_to_sign_in(client, world, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_map_page_carries_the_figures_as_a_table_without_javascript(client, world, analyst):
    client.force_login(analyst)
    page = client.get(reverse("hub:map"), {"need": "falls_frailty"}).content.decode()
    # The map panel is hidden until the script shows it; the table is there regardless.
    assert "data-hub-map" in page and "hidden data-hub-map" in page
    assert "<caption" in page and "Wards: need and services for Falls and frailty" in page
    assert 'id="hub-map-data"' in page


def marked(data):
    """The marked services as the script reads them: name -> (places, coverage keys)."""
    return {name: (places, covers) for _id, name, _tier, places, covers in data["services"]}


def test_the_map_marks_only_services_for_the_chosen_need(client, world, analyst):
    client.force_login(analyst)
    response = client.get(reverse("hub:map"), {"need": "falls_frailty"})
    data = response.context["map_data"]
    # Strength and balance has no venue, so only the falls class is marked.
    assert list(marked(data["markers"])) == ["Falls class"]
    assert {f["properties"]["name"] for f in data["features"]} == {"Northfield", "Southgate"}
    assert "1 service marked" in response.content.decode()


def test_a_marked_service_carries_where_it_is_based_and_its_link(client, world, analyst):
    outreach = make_service(
        "Falls outreach",
        "falls_frailty",
        1,
        ward=world.north,
        area={"constituency": world.constituency},
    )
    client.force_login(analyst)
    data = client.get(reverse("hub:map"), {"need": "falls_frailty"}).context["map_data"]
    services = {name: (sid, tier, places, covers) for sid, name, tier, places, covers in
                data["markers"]["services"]}  # fmt: skip
    assert list(services) == ["Falls class", "Falls outreach"]
    service_id, tier, places, covers = services["Falls outreach"]
    assert (tier, places) == (1, [(53.85, -1.75)])
    link = data["markers"]["url"].replace(PLACEHOLDER, service_id)
    assert link == reverse("directory:service_detail", args=[outreach.id])
    # It serves the constituency: the map outlines both wards for it, by their keys.
    for feature in data["features"]:
        assert set(covers) & set(feature["properties"]["keys"])
    assert services["Falls class"][3] == []  # names no area it serves


def test_the_first_visit_marks_no_services_and_says_what_to_choose(client, world, analyst):
    client.force_login(analyst)
    response = client.get(reverse("hub:map"))
    page = response.content.decode()
    assert response.context["map_data"]["markers"]["services"] == []
    assert "Choose a need, tier, partner or life stage to mark services." in page
    # The areas are still shaded and the form to choose is on the page.
    assert {f["properties"]["band"] for f in response.context["map_data"]["features"]} != {None}
    assert 'name="need"' in page and 'name="tier"' in page


def test_a_tier_alone_marks_its_services(client, world, analyst):
    client.force_login(analyst)
    data = client.get(reverse("hub:map"), {"tier": "2"}).context["map_data"]
    assert all(tier == 2 for _id, _name, tier, _places, _covers in data["markers"]["services"])
    assert "Falls class" in marked(data["markers"])


def test_too_many_services_to_mark_says_so(client, world, analyst, monkeypatch):
    monkeypatch.setattr(views, "MARKER_LIMIT", 0)
    client.force_login(analyst)
    response = client.get(reverse("hub:map"), {"need": "falls_frailty"})
    assert response.context["map_data"]["markers"]["services"] == []
    assert "too many to mark on the map" in response.content.decode()


def test_the_provision_table_downloads_as_csv(client, world, analyst):
    client.force_login(analyst)
    response = client.get(
        reverse("hub:provision"), {"need": "falls_frailty", "format": "csv", "table": "areas"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = rows_of(response)
    assert rows[0][:3] == ["Code", "Area", "Population"]
    assert [(r[1], r[6], r[7]) for r in rows[1:]] == [
        ("Northfield", "1", "2.0"),
        ("Southgate", "1", "1.0"),
    ]


def test_the_gap_list_shows_a_deprived_ward_no_service_serves(client, world, analyst):
    client.force_login(analyst)
    response = client.get(reverse("hub:provision"), {"need": "loneliness"})
    assert [row["name"] for row in response.context["gaps"]] == ["Northfield"]
    rows = rows_of(
        client.get(
            reverse("hub:provision"), {"need": "loneliness", "format": "csv", "table": "gaps"}
        )
    )
    assert [r[1] for r in rows[1:]] == ["Northfield"]


def test_an_area_profile_shows_services_by_need_and_tier(client, world, analyst):
    client.force_login(analyst)
    response = client.get(reverse("hub:area", args=["ward", "E05009991"]))
    lines = dict(response.context["lines"])
    falls = lines["Falls and frailty"]
    assert (falls[0]["serving"], falls[0]["based"], falls[2]["serving"]) == (1, 1, 1)
    assert ("Loneliness and isolation", "All tiers") in response.context["gaps"]


def test_an_unknown_area_is_not_found(client, world, analyst):
    client.force_login(analyst)
    assert client.get(reverse("hub:area", args=["ward", "E05000000"])).status_code == 404
    assert client.get(reverse("hub:area", args=["county", "E05009991"])).status_code == 404


def test_a_wrong_choice_says_what_to_choose(client, world, analyst):
    client.force_login(analyst)
    response = client.get(reverse("hub:provision"), {"level": "county"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


def test_before_any_refresh_the_pages_say_what_to_do(client, db, analyst):
    client.force_login(analyst)
    for url in (reverse("hub:map"), reverse("hub:provision")):
        page = client.get(url).content.decode()
        assert "Refresh the figures now" in page
