"""The shipped instruments score as their published sources say: each end of each range,
every row of the SWEMWBS conversion, the ONS thresholds (anxiety the other way), the
missing-item rule, answers of the wrong kind refused per item, and what counts as change."""

import pytest

from linkwell.outcomes.instruments import AnswersRefused, change, get, score

SWEMWBS_ITEMS = ["optimistic", "useful", "relaxed", "problems", "thinking", "close", "own_mind"]
# Raw total -> metric score, as the SWEMWBS conversion table publishes it.
SWEMWBS_TABLE = {
    7: 7.00, 8: 9.51, 9: 11.25, 10: 12.40, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32,
    15: 15.84, 16: 16.36, 17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98,
    23: 20.73, 24: 21.54, 25: 22.35, 26: 23.21, 27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03,
    31: 28.13, 32: 29.31, 33: 30.70, 34: 32.55, 35: 35.00,
}  # fmt: skip
ONS_POSITIVE = ["life_satisfaction", "worthwhile", "happiness"]
ONS_BANDS = ["low"] * 5 + ["medium"] * 2 + ["high"] * 2 + ["very_high"] * 2  # 0..10
ANXIETY_BANDS = ["very_low"] * 2 + ["low"] * 2 + ["medium"] * 2 + ["high"] * 5  # 0..10


def swemwbs_answers(raw: int) -> dict[str, int]:
    """Seven answers (1 to 5) adding up to `raw`."""
    answers, left = {}, raw
    for index, item in enumerate(SWEMWBS_ITEMS):
        still_to_come = len(SWEMWBS_ITEMS) - index - 1
        answers[item] = min(5, left - still_to_come)
        left -= answers[item]
    return answers


def ons4(**answers: int) -> dict[str, int]:
    return {"life_satisfaction": 7, "worthwhile": 7, "happiness": 7, "anxiety": 3} | answers


# SWEMWBS


@pytest.mark.parametrize(("raw", "metric"), sorted(SWEMWBS_TABLE.items()))
def test_every_swemwbs_raw_total_converts_to_its_published_metric_score(raw, metric):
    scored = score(get("swemwbs"), swemwbs_answers(raw))
    assert (scored.total, scored.metric) == (raw, metric)


def test_swemwbs_runs_from_7_to_35_and_is_banded_on_the_metric_score():
    lowest = score(get("swemwbs"), dict.fromkeys(SWEMWBS_ITEMS, 1))
    highest = score(get("swemwbs"), dict.fromkeys(SWEMWBS_ITEMS, 5))
    assert (lowest.total, lowest.metric, lowest.band) == (7, 7.0, "probable_depression")
    assert (highest.total, highest.metric, highest.band) == (35, 35.0, "high")
    assert score(get("swemwbs"), swemwbs_answers(24)).band == "average"  # metric 21.54
    assert score(get("swemwbs"), swemwbs_answers(20)).band == "possible_depression"  # 18.59


def test_swemwbs_with_one_item_left_out_is_prorated_from_the_others():
    answers = dict.fromkeys(SWEMWBS_ITEMS[:-1], 4)  # 24 over six items -> 28 over seven
    scored = score(get("swemwbs"), answers)
    assert (scored.total, scored.metric, scored.prorated) == (28, 25.03, ("own_mind",))


def test_a_prorated_total_is_rounded_half_up_to_a_row_of_the_table():
    answers = dict(zip(SWEMWBS_ITEMS[:-1], [5, 5, 5, 4, 4, 4], strict=True))  # 27 * 7/6 = 31.5
    assert score(get("swemwbs"), answers).total == 32
    answers = dict(zip(SWEMWBS_ITEMS[:-1], [5, 5, 5, 4, 4, 2], strict=True))  # 25 * 7/6 = 29.17
    assert score(get("swemwbs"), answers).total == 29


def test_swemwbs_with_two_items_left_out_is_refused_naming_both():
    answers = dict.fromkeys(SWEMWBS_ITEMS[:-2], 3) | {"close": None}
    with pytest.raises(AnswersRefused) as refused:
        score(get("swemwbs"), answers)
    assert set(refused.value.problems) == {"close", "own_mind"}
    assert "at most 1 of the 7" in refused.value.problems["close"]


# UCLA 3-item


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ((1, 1, 1), 3, "less_lonely"),
        ((1, 2, 2), 5, "less_lonely"),
        ((2, 2, 2), 6, "more_lonely"),
        ((3, 3, 3), 9, "more_lonely"),
    ],
)
def test_ucla3_sums_hardly_ever_to_often_from_3_to_9(answers, total, band):
    given = dict(zip(["companionship", "left_out", "isolated"], answers, strict=True))
    scored = score(get("ucla3"), given)
    assert (scored.total, scored.metric, scored.band) == (total, None, band)


def test_ucla3_needs_every_answer():
    with pytest.raises(AnswersRefused) as refused:
        score(get("ucla3"), {"companionship": 2, "left_out": 2})
    assert refused.value.problems == {"isolated": "needs an answer"}


# ONS4


@pytest.mark.parametrize("question", ONS_POSITIVE)
@pytest.mark.parametrize("answer", range(11))
def test_each_ons4_question_is_reported_alone_with_the_ons_thresholds(question, answer):
    scored = score(get("ons4"), ons4(**{question: answer}))
    assert scored.subscales[question].score == answer
    assert scored.subscales[question].band == ONS_BANDS[answer]
    assert (scored.total, scored.metric, scored.band) == (None, None, "")


@pytest.mark.parametrize("answer", range(11))
def test_ons4_anxiety_is_banded_the_other_way(answer):
    scored = score(get("ons4"), ons4(anxiety=answer))
    assert scored.subscales["anxiety"].band == ANXIETY_BANDS[answer]


def test_ons4_anxiety_is_not_reverse_scored_only_read_the_other_way():
    scored = score(get("ons4"), ons4(anxiety=8))
    assert scored.subscales["anxiety"].score == 8


# Answers of the wrong kind


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (True, "is not an answer"),
        ("3", "give the number of the answer"),
        (2.5, "give a whole number"),
        ([2], "is not an answer"),
        (0, "give one of 1, 2, 3"),
        (4, "give one of 1, 2, 3"),
        (-1, "give one of 1, 2, 3"),
    ],
)
def test_an_answer_of_the_wrong_kind_or_out_of_range_is_refused_naming_its_item(value, words):
    with pytest.raises(AnswersRefused) as refused:
        score(get("ucla3"), {"companionship": value, "left_out": 1, "isolated": 1})
    assert list(refused.value.problems) == ["companionship"]
    assert words in refused.value.problems["companionship"]


def test_a_whole_number_sent_as_a_float_is_taken():
    scored = score(get("ucla3"), {"companionship": 3.0, "left_out": 1, "isolated": 1})
    assert scored.total == 5


def test_an_unknown_item_is_refused_naming_it_with_the_real_ones():
    with pytest.raises(AnswersRefused) as refused:
        score(get("ucla3"), {"companionship": 1, "left_out": 1, "isolated": 1, "lonely": 2})
    assert "companionship, left_out, isolated" in refused.value.problems["lonely"]


def test_answers_that_are_not_a_mapping_are_refused():
    with pytest.raises(AnswersRefused) as refused:
        score(get("ucla3"), [1, 2, 3])
    assert list(refused.value.problems) == ["answers"]


# Change


def test_swemwbs_change_is_on_the_metric_score_and_meaningful_from_3_points():
    instrument = get("swemwbs")
    baseline = score(instrument, swemwbs_answers(21))  # 19.25
    moved = change(instrument, baseline, score(instrument, swemwbs_answers(25)))  # 22.35
    assert moved["headline"] == {
        "score": "metric",
        "from": 19.25,
        "to": 22.35,
        "change": 3.1,
        "meaningful": True,
        "better": True,
    }
    small = change(instrument, baseline, score(instrument, swemwbs_answers(24)))  # 21.54
    assert (small["headline"]["change"], small["headline"]["meaningful"]) == (2.29, False)
    worse = change(instrument, baseline, score(instrument, swemwbs_answers(17)))  # 16.88
    assert (worse["headline"]["meaningful"], worse["headline"]["better"]) == (False, False)


def test_lower_loneliness_is_better():
    instrument = get("ucla3")
    before = score(instrument, {"companionship": 3, "left_out": 2, "isolated": 2})
    after = score(instrument, {"companionship": 2, "left_out": 2, "isolated": 1})
    moved = change(instrument, before, after)["headline"]
    assert (moved["score"], moved["change"], moved["meaningful"], moved["better"]) == (
        "total",
        -2.0,
        True,
        True,
    )


def test_ons4_change_is_per_question_with_less_anxiety_better():
    instrument = get("ons4")
    before = score(instrument, ons4(life_satisfaction=4, anxiety=7))
    after = score(instrument, ons4(life_satisfaction=4, anxiety=5))
    moved = change(instrument, before, after)
    assert moved["headline"] is None
    assert moved["subscales"]["anxiety"] == {
        "from": 7,
        "to": 5,
        "change": -2.0,
        "meaningful": True,
        "better": True,
    }
    assert moved["subscales"]["life_satisfaction"]["meaningful"] is False
    assert moved["subscales"]["life_satisfaction"]["better"] is False
