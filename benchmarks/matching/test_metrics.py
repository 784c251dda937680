"""The benchmark's scores and baseline, checked on cases small enough to work out by hand.

Run with `pytest benchmarks/matching` (the suite's testpaths do not include benchmarks).
"""

import math

import pytest
from metrics import coverage_at, hit_at, ndcg_at, set_scores
from plain_search import Listing, PlainSearch


def test_perfect_inference_scores_one():
    scores = set_scores(
        [{"food"}, {"housing", "money_debt"}], [{"food"}, {"money_debt", "housing"}]
    )
    assert (scores.precision, scores.recall, scores.f1, scores.macro_f1) == (1, 1, 1, 1)


def test_a_need_labelled_despite_a_negation_costs_precision_not_recall():
    # "no falls, wants a walking group": falls_frailty wrongly inferred
    scores = set_scores(
        [{"physical_activity_weight"}], [{"physical_activity_weight", "falls_frailty"}]
    )
    assert scores.precision == 0.5
    assert scores.recall == 1
    assert scores.f1 == pytest.approx(2 / 3)


def test_a_missed_need_costs_recall_not_precision():
    scores = set_scores([{"loneliness", "bereavement"}], [{"loneliness"}])
    assert scores.precision == 1
    assert scores.recall == 0.5


def test_micro_figures_pool_decisions_across_items():
    gold = [{"loneliness"}, {"loneliness"}, {"loneliness"}, {"end_of_life"}]
    predicted = [{"loneliness"}, {"loneliness"}, {"loneliness"}, set()]
    scores = set_scores(gold, predicted)
    assert scores.recall == 0.75  # 3 of 4 labelled needs found
    assert scores.precision == 1
    # macro: loneliness F1 1, end_of_life F1 0, so the rare miss weighs half
    assert scores.macro_f1 == 0.5


def test_nothing_predicted_scores_zero_without_dividing_by_zero():
    scores = set_scores([{"food"}], [set()])
    assert (scores.precision, scores.recall, scores.f1) == (0, 0, 0)


def test_gold_and_predicted_must_pair_up():
    with pytest.raises(ValueError):
        set_scores([{"food"}], [])


def test_coverage_counts_needs_served_in_the_first_five_only():
    tags = [{"loneliness", "food"}, set(), set(), set(), set(), {"bereavement"}]
    assert coverage_at({"loneliness", "bereavement"}, tags, 5) == 0.5
    assert coverage_at({"loneliness", "bereavement"}, tags, 6) == 1


def test_hit_is_a_result_tagged_with_the_need_within_the_first_five():
    tags = [set(), set(), set(), set(), {"food"}]
    assert hit_at("food", tags, 5)
    assert not hit_at("food", tags, 4)
    assert not hit_at("food", [], 5)


def test_ndcg_is_one_when_every_place_is_relevant_and_falls_with_rank():
    assert ndcg_at([True] * 10, 10) == pytest.approx(1)
    first = ndcg_at([True] + [False] * 9, 10)
    last = ndcg_at([False] * 9 + [True], 10)
    assert first > last > 0
    ideal = sum(1 / math.log2(rank + 2) for rank in range(10))
    assert first == pytest.approx(1 / ideal)


def test_ndcg_ideal_is_shorter_when_few_relevant_services_exist():
    assert ndcg_at([True, True, False], 10, available=2) == pytest.approx(1)
    assert ndcg_at([False, True, True], 10, available=2) < 1
    assert ndcg_at([], 10, available=0) == 0


def test_a_short_list_scores_below_a_full_one():
    assert ndcg_at([True, True], 10) < ndcg_at([True] * 10, 10)


@pytest.fixture
def plain():
    listings = {
        "lunch": Listing(
            name="Lunch club",
            name_words={"lunch", "club"},
            words={"lunch", "club", "company", "older", "people"},
            points=[(53.7937, -1.7547)],  # Bradford centre
        ),
        "lonely": Listing(
            name="Befriending",
            name_words={"befriending"},
            words={"befriending", "loneliness", "lunch"},
            points=[(53.9626, -2.0417)],  # Skipton, about 25 km away
        ),
    }
    return PlainSearch(listings, {"BD1 2AA": (53.79372, -1.75469)})


def test_plain_search_needs_every_word_whole(plain):
    assert plain.search("lunch club") == ["lunch"]
    assert plain.search("lonely") == []  # no stemming: "loneliness" is not "lonely"
    assert plain.search("LUNCH CLUB") == ["lunch"]  # case does not matter


def test_plain_search_ranks_words_in_the_name_first(plain):
    assert plain.search("lunch") == ["lunch", "lonely"]


def test_plain_search_keeps_services_within_ten_km_of_a_known_postcode(plain):
    assert plain.search("lunch", "bd12aa") == ["lunch"]


def test_plain_search_refuses_places_other_than_a_known_full_postcode(plain):
    assert plain.search("lunch", "BD1") is None
    assert plain.search("lunch", "Skipton") is None
    assert plain.search("lunch", "BD23 1UD") is None  # not in today's place data
