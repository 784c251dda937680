"""GET /api/v1/hub/provision: one row per area of the level, for analysts only."""

API = "/api/v1/hub/provision"


def test_an_analyst_gets_one_row_per_ward_with_per_10k(client, world, analyst):
    client.force_login(analyst)
    response = client.get(API, {"level": "ward", "need": "falls_frailty"})
    assert response.status_code == 200
    body = response.json()
    assert (body["level"], body["need"], body["tier"]) == ("ward", "falls_frailty", 0)
    rows = {row["name"]: row for row in body["areas"]}
    assert sorted(rows) == ["Northfield", "Southgate"]
    assert rows["Northfield"]["per_10k"] == 2.0
    assert rows["Southgate"]["services_serving"] == 1
    assert rows["Northfield"]["need_measure"] == 100  # IMD rank
    assert rows["Northfield"]["gap"] is False


def test_a_tier_with_no_service_gives_every_ward_a_zero_row(client, world, analyst):
    client.force_login(analyst)
    body = client.get(API, {"level": "ward", "need": "falls_frailty", "tier": "4"}).json()
    assert [(r["name"], r["services_serving"]) for r in body["areas"]] == [
        ("Northfield", 0),
        ("Southgate", 0),
    ]


def test_a_practitioner_is_refused(client, world, practitioner):
    client.force_login(practitioner)
    assert client.get(API).status_code == 403


def test_someone_not_signed_in_is_asked_to_sign_in(client, world):
    assert client.get(API).status_code == 401


def test_an_unknown_level_need_or_tier_is_named_in_the_refusal(client, world, analyst):
    client.force_login(analyst)
    for params, name in (
        ({"level": "county"}, "level"),
        ({"need": "unicorns"}, "need"),
        ({"tier": "7"}, "tier"),
        ({"tier": "two"}, "tier"),
    ):
        response = client.get(API, params)
        assert response.status_code == 422
        assert response.json()["errors"][0]["parameter"] == name
