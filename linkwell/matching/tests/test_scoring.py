"""Scoring and dealing, on facts made by hand: what ranks up, what drops down, and the words
a practitioner reads (no database)."""

import datetime as dt
import uuid

from django.utils.translation import override

from linkwell.matching.facts import ServiceFacts, Slot
from linkwell.matching.queries import deal
from linkwell.matching.requests import MatchRequest
from linkwell.matching.scoring import Where, clock, score
from linkwell.referrals.queries import Availability

TODAY = dt.date(2026, 6, 1)
HERE = Where(53.79, -1.75, frozenset({"W1", "C1", "P1"}))


def facts(name="Lunch club", needs=("loneliness",), availability=Availability.OPEN, **more):
    made = ServiceFacts(
        service_id=uuid.uuid4(),
        name=name,
        tier=more.pop("tier", 1),
        assured_date=more.pop("assured_date", TODAY - dt.timedelta(days=10)),
        minimum_age=more.pop("minimum_age", None),
        maximum_age=more.pop("maximum_age", None),
        needs=set(needs),
        availability=availability,
        **more,
    )
    return made


def scored(f, request=None, weights=None, **kwargs):
    request = request or MatchRequest(needs=("loneliness",))
    weights = weights or {code: 1.0 for code in request.needs}
    return score(f, request, weights, HERE, today=TODAY, **kwargs)


def test_a_full_service_drops_below_one_with_places_and_says_waiting_list():
    full = scored(facts(availability=Availability.FULL), distance_m=500)
    room = scored(facts(availability=Availability.PLACES), distance_m=2000)
    assert full.score < room.score
    assert "waiting list" in full.reasons and "has places" in room.reasons


def test_a_service_on_a_waiting_list_says_so_too():
    assert "waiting list" in scored(facts(availability=Availability.WAITING_LIST)).reasons


def test_a_service_meeting_two_needs_ranks_above_one_meeting_one():
    request = MatchRequest(needs=("loneliness", "falls_frailty"))
    both = scored(facts(needs=("loneliness", "falls_frailty")), request, distance_m=5000)
    one = scored(facts(needs=("loneliness",)), request, distance_m=100)
    assert both.score > one.score
    assert both.needs == ("loneliness", "falls_frailty") and one.needs == ("loneliness",)


def test_a_need_read_in_the_text_counts_by_how_sure_the_reading_is():
    request = MatchRequest(text="lonely")
    sure = scored(facts(), request, {"loneliness": 0.9})
    unsure = scored(facts(), request, {"loneliness": 0.4})
    assert sure.score > unsure.score


def test_results_cover_each_need_before_a_second_for_any():
    needs = ["loneliness", "falls_frailty", "money_debt"]
    request = MatchRequest(needs=tuple(needs))
    weights = dict.fromkeys(needs, 1.0)
    many_lonely = {f.service_id: f for f in (facts(f"Lonely {i}") for i in range(5))}
    falls = facts("Falls", needs=("falls_frailty",))
    debt = facts("Debt", needs=("money_debt",))
    everything = {**many_lonely, falls.service_id: falls, debt.service_id: debt}
    ranked = {pk: score(f, request, weights, HERE, today=TODAY) for pk, f in everything.items()}
    chosen = deal(needs, ranked, 3)
    assert {pk for pk in chosen} >= {falls.service_id, debt.service_id}
    assert len([pk for pk in chosen if pk in many_lonely]) == 1


def test_a_service_meeting_two_needs_comes_first_in_its_round():
    needs = ["loneliness", "falls_frailty"]
    weights = dict.fromkeys(needs, 1.0)
    request = MatchRequest(needs=tuple(needs))
    lonely = facts("Lonely")
    both = facts("Both", needs=needs)
    falls = facts("Falls", needs=("falls_frailty",))
    ranked = {
        f.service_id: score(f, request, weights, HERE, today=TODAY) for f in (lonely, both, falls)
    }
    chosen = deal(needs, ranked, 10)
    assert chosen[0] == both.service_id and set(chosen) == set(ranked)


def test_the_language_asked_for_is_a_reason_and_ranks_up():
    request = MatchRequest(needs=("loneliness",), language="pa")
    spoken = scored(facts(languages={"pa", "en"}), request)
    not_spoken = scored(facts(languages={"en"}), request)
    assert "Punjabi spoken" in spoken.reasons
    assert spoken.score > not_spoken.score
    assert not any("spoken" in r for r in not_spoken.reasons)


def test_free_is_a_reason_and_ranks_up_when_cost_matters():
    matters = MatchRequest(needs=("loneliness",), cost_matters=True)
    free, paid = facts(free=True), facts(free=False)
    assert "free" in scored(free, matters).reasons
    assert scored(free, matters).score > scored(paid, matters).score
    assert scored(free).score == scored(paid).score  # cost does not matter: a reason only
    assert "free" in scored(free).reasons


def test_a_service_covering_the_area_says_so_and_one_near_gives_its_distance():
    covering = scored(facts(coverage={"W1"}))
    assert covering.covers_area and "covers your area" in covering.reasons
    near = scored(facts(coverage={"*"}), distance_m=800)
    assert not near.covers_area and "0.8 km" in near.reasons
    assert scored(facts(), covers_area=True).covers_area  # as the search marked it


def test_closer_is_better():
    assert scored(facts(), distance_m=300).score > scored(facts(), distance_m=6000).score


def test_prevention_first_the_lower_tier_ranks_up():
    assert scored(facts(tier=1)).score > scored(facts(tier=3)).score


def test_days_and_times_asked_for_rank_up_the_sessions_that_fit_and_are_named():
    tuesday = [Slot(("TU",), dt.time(14), dt.time(16))]
    saturday = [Slot(("SA",), dt.time(10), dt.time(12))]
    request = MatchRequest(needs=("loneliness",), days=("TU",), times=("afternoon",))
    fits, misses = scored(facts(slots=tuesday), request), scored(facts(slots=saturday), request)
    assert "Tuesdays 2pm" in fits.reasons and fits.score > misses.score


def test_an_age_group_is_said_and_a_stale_listing_counts_against():
    older = scored(facts(minimum_age=65))
    assert "for people 65 and over" in older.reasons
    stale = scored(facts(assured_date=TODAY - dt.timedelta(days=400)))
    assert "details not checked recently" in stale.reasons
    assert stale.score < scored(facts()).score


def test_step_free_access_counts_when_asked():
    request = MatchRequest(needs=("loneliness",), accessible=True)
    level = scored(facts(step_free=True), request)
    assert "step-free access" in level.reasons
    assert level.score > scored(facts(step_free=False), request).score


def test_times_are_said_as_people_say_them():
    assert [clock(dt.time(14)), clock(dt.time(10, 30)), clock(dt.time(0, 5))] == [
        "2pm",
        "10:30am",
        "12:05am",
    ]


def test_times_are_said_as_each_language_writes_them():
    assert clock(dt.time(14, 0)) == "2pm"
    assert clock(dt.time(10, 30)) == "10:30am"
    with override("pl"):
        assert clock(dt.time(14, 30)) == "14:30"


def test_a_need_only_hinted_at_gets_one_service_after_each_sure_need_has_its_first():
    needs, hinted = ["falls_frailty", "money_debt"], ["loneliness"]
    weights = {"falls_frailty": 1.0, "money_debt": 1.0, "loneliness": 0.4}
    request = MatchRequest(needs=tuple(needs))
    lonely = [facts(f"Lonely {i}") for i in range(3)]
    falls = [facts(f"Falls {i}", needs=("falls_frailty",)) for i in range(3)]
    debt = [facts(f"Debt {i}", needs=("money_debt",)) for i in range(3)]
    ranked = {
        f.service_id: score(f, request, weights, HERE, today=TODAY) for f in lonely + falls + debt
    }
    chosen = deal(needs, ranked, 10, later=hinted)
    kinds = [
        next(f.name.split()[0] for f in lonely + falls + debt if f.service_id == pk)
        for pk in chosen
    ]
    assert kinds[:2] in (["Falls", "Debt"], ["Debt", "Falls"])
    assert kinds[2] == "Lonely" and kinds.count("Lonely") == 1
    assert len(chosen) == 7  # the sure needs' services fill the rest


def test_with_no_sure_need_the_hints_are_dealt_in_full():
    ranked = {
        f.service_id: score(f, MatchRequest(text="x"), {"loneliness": 0.4}, HERE, today=TODAY)
        for f in (facts(f"Lonely {i}") for i in range(4))
    }
    assert len(deal([], ranked, 10, later=["loneliness"])) == 4
