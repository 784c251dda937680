"""The one search engine (docs/adr/0028): words as people type them, needs they signal,
typos, and places served by services nearby or covering them."""

import pytest
from django.db import connection

from linkwell.directory.needs import InferredNeed
from linkwell.directory.queries import ServiceFilters, paginate, search_services
from linkwell.directory.records import LocationRecord, ServiceAreaRecord, TermRef
from linkwell.directory.search import relevance, suggestions
from linkwell.directory.search.fulltext import search_words
from linkwell.directory.tests.page_services import make_services, service_record
from linkwell.places.models import Postcode
from linkwell.places.queries import find_place

HERE = "BD1 1AA"


def names(**filters) -> list[str]:
    return [s.name for s in search_services(ServiceFilters(**filters))]


@pytest.fixture(autouse=True)
def fresh_caches():
    relevance.signalled_needs.cache_clear()
    suggestions.clear_cache()
    yield
    relevance.signalled_needs.cache_clear()
    suggestions.clear_cache()


@pytest.fixture
def ward_code(db, place_data) -> str:
    return Postcode.objects.select_related("ward").get(postcode=HERE).ward.code


def plain(name: str, **fields):
    """A listing tagged with no need (so only its words find it)."""
    return service_record(name, **{"terms": [], **fields})


def far_away() -> LocationRecord:
    return LocationRecord(name="Ilkley station", postcode="LS29 8AA")  # about 20 km off


@pytest.fixture
def words_directory(db, place_data):
    make_services(
        plain("Debt advice line", description="Free confidential advice on debts."),
        plain("Money advice", description="Budgeting and benefits advice."),
        plain("Sewing circle", description="Bring your own fabric."),
        plain("Walking group", description="Gentle walking on Saturdays."),
        plain("Café Royal", description="A place to sit and chat."),
    )


def test_a_sentence_finds_services_holding_some_of_its_words(words_directory):
    assert names(search="help with my debts") == ["Debt advice line"]


def test_services_holding_every_word_rank_first(words_directory):
    assert names(search="debt advice") == ["Debt advice line", "Money advice"]
    assert names(search="advice debt", statuses=("active",)) == [
        "Debt advice line",
        "Money advice",
    ]


def test_stop_words_are_dropped_but_not_when_nothing_else_is_left():
    assert search_words("Help with my debts, please") == ["help", "debts"]
    assert search_words("the") == ["the"]


def test_plurals_and_stems_match(words_directory):
    assert names(search="walks") == ["Walking group"]
    assert names(search="debt") == ["Debt advice line"]  # the description says "debts"


def test_case_and_accents_do_not_matter(words_directory):
    assert names(search="CAFÉ") == ["Café Royal"]
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's 'english' configuration keeps accents (docs/adr/0028)")
    assert names(search="cafe") == ["Café Royal"]


def test_a_typo_gets_a_did_you_mean_from_the_directorys_words(words_directory):
    assert suggestions.suggest("walkng group") == "walking group"
    assert suggestions.suggest("sewign") == "sewing"
    assert suggestions.suggest("debt advice") is None  # every word is known
    assert suggestions.suggest("xyzzyq") is None  # nothing near


@pytest.fixture
def tagged_directory(db, place_data):
    make_services(
        plain("Lonely hearts choir", description="Sing with others."),
        plain(
            "Good neighbours scheme",
            description="Volunteers who visit at home.",
            terms=[TermRef("linkwell-needs", "loneliness")],
        ),
        plain("Knit and natter", description="Wool and tea."),
    )


def test_services_tagged_with_a_need_the_words_signal_come_after_word_matches(
    tagged_directory, monkeypatch
):
    monkeypatch.setattr(
        relevance,
        "infer_needs",
        lambda text, language=None: [InferredNeed("loneliness", 0.9, ("lonely",))],
    )
    results = search_services(ServiceFilters(search="lonely"))

    assert [s.name for s in results] == ["Lonely hearts choir", "Good neighbours scheme"]
    assert results.count() == 2
    # The same order through the filtered and the place-and-distance paths.
    assert names(search="lonely", statuses=("active",)) == [
        "Lonely hearts choir",
        "Good neighbours scheme",
    ]
    assert names(search="lonely", postcode=HERE, proximity=5000) == [
        "Lonely hearts choir",
        "Good neighbours scheme",
    ]


def test_a_need_inferred_with_little_confidence_does_not_widen_a_search(
    tagged_directory, monkeypatch
):
    monkeypatch.setattr(
        relevance,
        "infer_needs",
        lambda text, language=None: [InferredNeed("loneliness", 0.1, ("alone",))],
    )
    assert names(search="lonely") == ["Lonely hearts choir"]


@pytest.fixture
def area_directory(db, place_data, ward_code):
    make_services(
        plain("Nearby lunch club", service_areas=[ServiceAreaRecord(ward_code=ward_code)]),
        plain(
            "District falls team",
            description="Falls prevention at home.",
            locations=[],
            service_areas=[ServiceAreaRecord(whole_place=True)],
        ),
        plain(
            "Ward visiting service",
            description="Home visits.",
            locations=[far_away()],
            service_areas=[ServiceAreaRecord(ward_code=ward_code)],
        ),
        plain("Ilkley only", locations=[far_away()]),  # names no area
    )


def test_services_covering_the_area_follow_the_nearby_ones_and_say_so(area_directory):
    results = search_services(ServiceFilters(postcode=HERE, proximity=5000))
    page = paginate(results, 1, 10)

    assert [(s.name, s.covers_area) for s in page] == [
        ("Nearby lunch club", False),
        ("District falls team", True),
        ("Ward visiting service", True),  # located 20 km off, but serves this ward
    ]
    assert page.total_items == 3
    assert page.items[0].distance_m < 100
    assert page.items[1].distance_m is None and page.items[2].distance_m is None
    # Paging goes on across the two parts.
    assert [s.name for s in paginate(results, 2, 2)] == ["Ward visiting service"]


def test_coverage_holds_with_words_and_filters_too(area_directory):
    assert names(search="falls", postcode=HERE, proximity=1000) == ["District falls team"]
    assert names(search="falls home", postcode=HERE, proximity=1000) == [
        "District falls team",  # both words: more relevant
        "Ward visiting service",
    ]
    assert names(postcode=HERE, proximity=1000, minimum_age=60) == [
        "Nearby lunch club",
        "District falls team",
        "Ward visiting service",
    ]


def test_without_a_distance_unlocated_services_covering_the_area_are_marked(area_directory):
    page = paginate(search_services(ServiceFilters(postcode=HERE)), 1, 10)

    assert [(s.name, s.covers_area) for s in page] == [
        ("Nearby lunch club", False),
        ("Ilkley only", False),  # no distance asked: naming no area, it serves everyone
        ("Ward visiting service", False),  # it has a distance to show
        ("District falls team", True),
    ]


def test_a_place_already_found_is_searched_from_without_asking_again(area_directory):
    place = find_place(HERE)
    assert names(postcode="anything", place=place, proximity=5000) == names(
        postcode=HERE, proximity=5000
    )


def test_an_outward_code_is_a_place(area_directory):
    assert "Nearby lunch club" in names(postcode="BD1", proximity=5000)


FIRE = TermRef("linkwell-needs", "fire_safety")
FALLS = TermRef("linkwell-needs", "falls_frailty")


@pytest.fixture
def tiers_directory(db, place_data, monkeypatch):
    make_services(
        plain("Smoke alarm loans", description="Borrow one while yours is mended."),
        plain("Fire safety visit", description="We fit a smoke alarm.", terms=[FIRE]),
        plain("Safer homes", description="Smoke-free homes advice.", terms=[FIRE]),
        plain("Home fire check", description="Visits to make homes safer.", terms=[FIRE, FALLS]),
        plain("Alarm clock repair", description="Clocks mended."),
        plain("Stop smoking clinic", description="Quit for good."),
        plain("Falls team", description="Help after a fall.", terms=[FALLS]),
        plain("Sewing circle", description="Bring your own fabric."),
    )
    monkeypatch.setattr(
        relevance,
        "infer_needs",
        lambda text, language=None: [
            InferredNeed("fire_safety", 0.85, ("smoke", "alarm")),
            InferredNeed("falls_frailty", 0.35, ("alarm",)),
        ],
    )


def assert_in_tiers(found: list[str]) -> None:
    """Every word; a confident need (those holding a word first, then by name); some words;
    a weaker need. Each service once."""
    assert set(found[:2]) == {"Smoke alarm loans", "Fire safety visit"}
    assert found[2:4] == ["Safer homes", "Home fire check"]
    assert set(found[4:6]) == {"Alarm clock repair", "Stop smoking clinic"}
    assert found[6:] == ["Falls team"]


def test_a_confidently_signalled_need_ranks_above_services_holding_some_of_the_words(
    tiers_directory,
):
    results = search_services(ServiceFilters(search="smoke alarm"))

    assert_in_tiers([s.name for s in results])
    assert results.count() == 7


def test_the_tiers_hold_through_filters_and_places(tiers_directory):
    assert_in_tiers(names(search="smoke alarm", statuses=("active",)))
    assert_in_tiers(names(search="smoke alarm", postcode=HERE, proximity=5000))
    assert_in_tiers(names(search="smoke alarm", postcode=HERE))


def test_a_service_holding_every_word_ranks_above_a_need_match(tiers_directory):
    assert names(search="alarm loans")[0] == "Smoke alarm loans"
    assert names(search="alarm loans", postcode=HERE, proximity=5000)[0] == "Smoke alarm loans"


def test_tiers_are_paged_and_counted_as_one_list(tiers_directory):
    whole = names(search="smoke alarm")
    filters = ServiceFilters(search="smoke alarm")

    second = paginate(search_services(filters, count_cap=3), 2, 3)

    assert [s.name for s in second] == whole[3:6]
    assert second.total_items == 4  # more than the cap of 3
    assert paginate(search_services(filters), 3, 3).total_items == 7
