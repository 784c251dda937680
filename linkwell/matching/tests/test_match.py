"""match() over a real directory search: what a practitioner relies on in the list."""

import pytest

from linkwell.directory.needs import InferredNeed
from linkwell.matching import queries
from linkwell.matching.queries import match
from linkwell.matching.requests import MatchRefused, MatchRequest
from linkwell.matching.tests.world import (
    POSTCODE,
    free,
    full,
    make_services,
    service,
    whole_place,
    with_places,
)
from linkwell.places.models import Postcode
from linkwell.places.queries import PlaceMatch


@pytest.fixture
def centre(db, place_data) -> Postcode:
    return Postcode.objects.select_related("ward").get(postcode=POSTCODE)


def names(result) -> list[str]:
    return [m.name for m in result.results]


def test_a_full_service_drops_below_one_with_places_and_says_waiting_list(centre):
    packed, roomy = make_services(
        service(centre, "Packed lunch club", ["loneliness"], north_m=200),
        service(centre, "Roomy lunch club", ["loneliness"], north_m=900),
    )
    full(packed)
    with_places(roomy)
    result = match(MatchRequest(needs=("loneliness",), place=POSTCODE))
    assert names(result) == ["Roomy lunch club", "Packed lunch club"]
    assert "waiting list" in result.results[1].reasons
    assert "has places" in result.results[0].reasons


def test_results_cover_each_need_and_a_service_meeting_two_ranks_up(centre):
    make_services(
        *(service(centre, f"Lunch club {i}", ["loneliness"], north_m=100 + i) for i in range(5)),
        service(centre, "Falls class", ["falls_frailty"], north_m=3000),
        service(centre, "Strength and friends", ["falls_frailty", "loneliness"], north_m=4000),
    )
    result = match(MatchRequest(needs=("loneliness", "falls_frailty"), place=POSTCODE, limit=3))
    assert names(result)[0] == "Strength and friends"
    assert result.results[0].needs == ("loneliness", "falls_frailty")
    assert "Falls class" in names(result)
    assert [code for code, found in result.by_need() if found] == ["loneliness", "falls_frailty"]


def test_each_result_gives_its_distance_day_and_time_language_and_cost(centre):
    make_services(
        service(
            centre,
            "Punjabi lunch club",
            ["loneliness"],
            north_m=800,
            languages=[("pa", "")],
            cost_options=free(),
        ),
    )
    result = match(
        MatchRequest(needs=("loneliness",), place=POSTCODE, language="pa", cost_matters=True)
    )
    (found,) = result.results
    assert found.distance_km == 0.8
    for reason in ("0.8 km", "Tuesdays 2pm", "Punjabi spoken", "free"):
        assert reason in found.reasons


def test_a_service_covering_the_whole_area_says_so(centre):
    make_services(
        service(
            centre,
            "District falls team",
            ["falls_frailty"],
            north_m=100,
            service_areas=whole_place(),
        )
    )
    (found,) = match(MatchRequest(needs=("falls_frailty",), place=POSTCODE)).results
    assert found.covers_area and "covers your area" in found.reasons


def test_needs_read_in_the_text_are_matched_and_returned_with_their_evidence(centre, monkeypatch):
    make_services(service(centre, "Falls class", ["falls_frailty"]))
    read = [InferredNeed("falls_frailty", 0.9, ("x2 falls",)), InferredNeed("food", 0.1, ("ate",))]
    monkeypatch.setattr(queries, "infer_needs", lambda text, language=None: read)
    result = match(MatchRequest(text="pt had x2 falls, ate little", place=POSTCODE))
    assert result.needs == ["falls_frailty"]  # the weak reading is left out
    assert [n.code for n in result.inferred_needs] == ["falls_frailty"]
    assert names(result) == ["Falls class"]


def test_a_need_the_words_only_hint_at_takes_a_place_left_and_says_why(centre, monkeypatch):
    make_services(
        *(
            service(centre, f"Falls class {i}", ["falls_frailty"], north_m=100 + i)
            for i in range(4)
        ),
        service(centre, "Befriending", ["loneliness"], north_m=2000),
    )
    read = [
        InferredNeed("falls_frailty", 0.9, ("x2 falls",)),
        InferredNeed("loneliness", 0.4, ("lives alone",)),
        InferredNeed("food", 0.1, ("ate",)),
    ]
    monkeypatch.setattr(queries, "infer_needs", lambda text, language=None: read)
    result = match(MatchRequest(text="x2 falls, lives alone, ate", place=POSTCODE, limit=3))
    assert [n.code for n in result.inferred_needs] == ["falls_frailty"]
    assert [n.code for n in result.possible_needs] == ["loneliness"]
    assert names(result)[0].startswith("Falls class") and names(result)[1] == "Befriending"
    assert result.results[1].reasons[0] == "in case it helps: \u2018lives alone\u2019"
    assert not any("in case" in r for r in result.results[0].reasons)
    assert len(result.results) == 3


def test_a_need_asked_for_is_not_also_a_hint(centre, monkeypatch):
    make_services(service(centre, "Befriending", ["loneliness"]))
    read = [InferredNeed("loneliness", 0.4, ("lives alone",))]
    monkeypatch.setattr(queries, "infer_needs", lambda text, language=None: read)
    result = match(MatchRequest(text="lives alone", needs=("loneliness",), place=POSTCODE))
    assert result.possible_needs == []
    assert not any("in case" in r for r in result.results[0].reasons)


def test_a_service_for_another_age_is_not_offered(centre):
    make_services(
        service(centre, "Youth club", ["loneliness"], minimum_age=11, maximum_age=18),
        service(centre, "Over 65s club", ["loneliness"], minimum_age=65),
    )
    result = match(MatchRequest(needs=("loneliness",), place=POSTCODE, age=80))
    assert names(result) == ["Over 65s club"]
    assert "for people 65 and over" in result.results[0].reasons


def test_a_place_without_a_postcode_is_measured_from_its_centre(centre, monkeypatch):
    make_services(
        service(centre, "Near the middle", ["loneliness"], north_m=1500),
        service(centre, "Out of town", ["loneliness"], north_m=30_000),
    )
    town = PlaceMatch(
        text="Middleton",
        label="Middleton",
        kind="town",
        latitude=centre.latitude,
        longitude=centre.longitude,
        place_id=centre.place_id,
        ward_ids=(centre.ward_id,),
        constituency_ids=(),
    )
    monkeypatch.setattr(queries, "find_place", lambda text: town)
    result = match(MatchRequest(needs=("loneliness",), place="Middleton", max_distance_km=5))
    assert names(result) == ["Near the middle"]
    assert result.results[0].distance_km == 1.5 and result.place == town


def test_without_a_place_services_are_matched_anywhere(centre):
    make_services(service(centre, "Lunch club", ["loneliness"]))
    result = match(MatchRequest(needs=("loneliness",)))
    assert names(result) == ["Lunch club"] and result.results[0].distance_km is None
    assert result.place is None


@pytest.mark.parametrize(
    ("asked", "field"),
    [
        (MatchRequest(), "text"),
        (MatchRequest(text="   "), "text"),
        (MatchRequest(needs=("flying",)), "needs"),
        (MatchRequest(text="x" * 5001), "text"),
        (MatchRequest(needs=("food",), limit=0), "limit"),
        (MatchRequest(needs=("food",), limit=51), "limit"),
        (MatchRequest(needs=("food",), age=121), "age"),
        (MatchRequest(needs=("food",), max_distance_km=0), "max_distance_km"),
        (MatchRequest(needs=("food",), place="nowhere at all"), "place"),
        (MatchRequest(needs=("food",), days=("XX",)), "days"),
    ],
)
def test_what_cannot_be_matched_is_refused_naming_the_field(db, place_data, asked, field):
    with pytest.raises(MatchRefused) as refused:
        match(asked)
    assert refused.value.field == field


def test_the_refusals_say_what_to_do(db):
    with pytest.raises(MatchRefused, match="Give text or at least one need code"):
        match(MatchRequest())
    with pytest.raises(MatchRefused, match="at most 5,000 characters"):
        match(MatchRequest(text="x" * 5001))
    with pytest.raises(MatchRefused, match="'flying'"):
        match(MatchRequest(needs=("flying",)))


def test_a_need_with_nothing_near_gets_the_nearest_further_away_with_its_distance(centre):
    make_services(
        service(centre, "Lunch club", ["loneliness"], north_m=300),
        service(centre, "Grief cafe far away", ["bereavement"], north_m=14_000),
        service(centre, "Grief group further", ["bereavement"], north_m=25_000),
    )
    result = match(
        MatchRequest(needs=("loneliness", "bereavement"), place=POSTCODE, max_distance_km=10)
    )

    assert names(result) == ["Lunch club", "Grief cafe far away", "Grief group further"]
    far = result.results[1]
    assert far.distance_km == 14.0 and "14.0 km" in far.reasons
    assert [code for code, found in result.by_need() if found] == ["loneliness", "bereavement"]


def test_a_need_met_near_is_not_padded_with_services_further_away(centre):
    make_services(
        service(centre, "Grief cafe", ["bereavement"], north_m=2_000),
        service(centre, "Grief group far away", ["bereavement"], north_m=14_000),
    )
    result = match(MatchRequest(needs=("bereavement",), place=POSTCODE, max_distance_km=10))

    assert names(result) == ["Grief cafe"]
