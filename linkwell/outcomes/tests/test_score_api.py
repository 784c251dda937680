"""The instruments API, open to anyone: the questionnaires with their wording, options,
bands and licence, and scoring a set of answers, refused per item when it cannot be."""

import pytest

SWEMWBS = {
    "optimistic": 3,
    "useful": 4,
    "relaxed": 2,
    "problems": 3,
    "thinking": 4,
    "close": 3,
    "own_mind": 5,
}


def post_score(client, key, answers):
    return client.post(
        f"/api/v1/instruments/{key}/score", {"answers": answers}, content_type="application/json"
    )


def test_anyone_lists_the_instruments_with_their_wording_and_options(client, db):
    response = client.get("/api/v1/instruments")
    assert response.status_code == 200
    listed = {i["key"]: i for i in response.json()}
    assert set(listed) == {"ons4", "swemwbs", "ucla3"}
    ucla3 = listed["ucla3"]
    assert [i["id"] for i in ucla3["items"]] == ["companionship", "left_out", "isolated"]
    assert ucla3["items"][0]["text"]["en"] == "How often do you feel that you lack companionship?"
    assert [o["value"] for o in ucla3["items"][0]["options"]] == [1, 2, 3]
    assert ucla3["items"][0]["options"][0]["label"]["en"] == "Hardly ever"
    assert ucla3["languages"] == ["en", "pl", "ur", "pa"]
    assert ucla3["wording"]["pa"] == "unvalidated"
    assert [b["code"] for b in ucla3["bands"]] == ["less_lonely", "more_lonely"]


def test_one_instrument_shows_its_copyright_line_and_conversion(client, db):
    body = client.get("/api/v1/instruments/swemwbs").json()
    assert "© NHS Health Scotland" in body["copyright"]
    assert body["conversion"]["7"] == 7.0
    assert body["conversion"]["35"] == 35.0
    assert body["missing"] == {"max_missing": 1, "method": "prorate"}


def test_ons4_lists_each_question_as_a_subscale_with_anxiety_the_other_way(client, db):
    body = client.get("/api/v1/instruments/ons4").json()
    assert body["total"] is None
    subscales = {s["id"]: s for s in body["subscales"]}
    assert subscales["anxiety"]["higher_is_better"] is False
    assert [b["code"] for b in subscales["anxiety"]["bands"]] == [
        "very_low",
        "low",
        "medium",
        "high",
    ]


def test_an_unknown_instrument_is_404_naming_the_known_ones(client, db):
    response = client.get("/api/v1/instruments/phq9")
    assert response.status_code == 404
    assert "ons4, swemwbs, ucla3" in response.json()["detail"]
    assert post_score(client, "phq9", {}).status_code == 404


def test_scoring_gives_the_total_the_metric_and_the_band(client, db):
    response = post_score(client, "swemwbs", SWEMWBS)
    assert response.status_code == 200
    assert response.json() == {
        "total": 24,
        "metric": 21.54,
        "band": "average",
        "subscales": {},
        "prorated": [],
    }


def test_scoring_ons4_gives_each_question_its_band(client, db):
    answers = {"life_satisfaction": 9, "worthwhile": 5, "happiness": 3, "anxiety": 1}
    body = post_score(client, "ons4", answers).json()
    assert body["subscales"] == {
        "life_satisfaction": {"score": 9, "band": "very_high"},
        "worthwhile": {"score": 5, "band": "medium"},
        "happiness": {"score": 3, "band": "low"},
        "anxiety": {"score": 1, "band": "very_low"},
    }
    assert (body["total"], body["metric"], body["band"]) == (None, None, "")


def test_an_item_left_out_within_the_rule_is_prorated_and_said_so(client, db):
    answers = {**SWEMWBS, "own_mind": None}
    body = post_score(client, "swemwbs", answers).json()
    assert (body["total"], body["prorated"]) == (22, ["own_mind"])  # 19 * 7/6 = 22.17


def test_bad_answers_are_400_naming_each_item(client, db):
    answers = {"companionship": 4, "left_out": "often", "lonely": 2}
    response = post_score(client, "ucla3", answers)
    assert response.status_code == 400
    body = response.json()
    problems = {e["item"]: e["message"] for e in body["errors"]}
    assert set(problems) == {"companionship", "left_out", "lonely", "isolated"}
    assert "give one of 1, 2, 3" in problems["companionship"]
    assert "give the number of the answer" in problems["left_out"]
    assert "is not a question" in problems["lonely"]
    assert problems["isolated"] == "needs an answer"
    assert body["errors"][0]["parameter"] == "answers.companionship"
    assert body["detail"].startswith("answers.companionship: ")


@pytest.mark.parametrize("body", [{}, {"answers": [1, 2, 3]}, {"answers": "3"}])
def test_a_body_without_answers_by_item_is_refused(client, db, body):
    response = client.post("/api/v1/instruments/ucla3/score", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "answers"


def test_more_answers_than_any_instrument_has_are_refused(client, db):
    answers = {f"item_{n}": 1 for n in range(201)}
    response = post_score(client, "ucla3", answers)
    assert response.status_code == 400
    assert [e["item"] for e in response.json()["errors"]] == ["answers"]


def test_the_instruments_are_in_the_api_document():
    from config.api import api

    paths = api.get_openapi_schema()["paths"]
    assert {
        "/api/v1/instruments",
        "/api/v1/instruments/{key}",
        "/api/v1/instruments/{key}/score",
    } <= set(paths)
    assert "security" not in paths["/api/v1/instruments/{key}/score"]["post"]
