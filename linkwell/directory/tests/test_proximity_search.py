"""Postcode + proximity search: the database ranks and counts by distance (see proximity.Circle),
so these pin what a user relies on: who is in the circle, in what order, and the figures."""

import dataclasses
import math

import pytest

from linkwell.directory import vocabularies as vocab
from linkwell.directory.queries import (
    ServiceFilters,
    paginate,
    search_service_at_locations,
    search_services,
)
from linkwell.directory.records import LocationRecord, ServiceAreaRecord, TermRef
from linkwell.directory.search.proximity import EARTH_RADIUS_M, haversine_m
from linkwell.directory.tests.page_services import make_services, service_record
from linkwell.places.models import Postcode, Ward

POSTCODE = "BD1 1AA"


@pytest.fixture
def centre(db, place_data) -> Postcode:
    return Postcode.objects.select_related("ward").get(postcode=POSTCODE)


def at(centre: Postcode, metres: float, bearing: float = 0.0) -> LocationRecord:
    """A located place `metres` from the postcode centroid along `bearing` (degrees)."""
    lat1, lon1 = math.radians(centre.latitude), math.radians(centre.longitude)
    angle, theta = metres / EARTH_RADIUS_M, math.radians(bearing)
    lat2 = math.asin(
        math.sin(lat1) * math.cos(angle) + math.cos(lat1) * math.sin(angle) * math.cos(theta)
    )
    lon2 = lon1 + math.atan2(
        math.sin(theta) * math.sin(angle) * math.cos(lat1),
        math.cos(angle) - math.sin(lat1) * math.sin(lat2),
    )
    return LocationRecord(
        name=f"{metres:.1f} m at {bearing:.0f}°",
        latitude=math.degrees(lat2),
        longitude=math.degrees(lon2),
    )


def located(name: str, *places: LocationRecord, **overrides):
    return service_record(name, locations=list(places), **overrides)


def found(proximity: float, **filters) -> list[str]:
    results = search_services(ServiceFilters(postcode=POSTCODE, proximity=proximity, **filters))
    return [s.name for s in results]


def test_the_edge_of_the_circle_is_the_great_circle_distance(centre):
    make_services(
        located("Just inside north", at(centre, 999.5)),
        located("Just outside north", at(centre, 1000.5)),
        located("Just inside east", at(centre, 999.5, 90)),
        located("Just outside east", at(centre, 1000.5, 90)),
    )

    page = paginate(search_services(ServiceFilters(postcode=POSTCODE, proximity=1000)), 1, 10)

    assert sorted(s.name for s in page) == ["Just inside east", "Just inside north"]
    assert page.total_items == 2
    assert all(999 < s.distance_m <= 1000 for s in page)


def test_places_within_a_centimetre_of_the_edge_are_settled_exactly(centre):
    make_services(
        located("Edge inside", at(centre, 999.996, 30)),
        located("Edge outside", at(centre, 1000.004, 60)),
        located("Edge outside but also near", at(centre, 1000.004, 90), at(centre, 10, 90)),
    )

    page = paginate(search_services(ServiceFilters(postcode=POSTCODE, proximity=1000)), 1, 10)
    links = search_service_at_locations(ServiceFilters(postcode=POSTCODE, proximity=1000))

    assert [s.name for s in page] == ["Edge outside but also near", "Edge inside"]
    assert page.total_items == 2
    assert paginate(links, 1, 10).total_items == 2


def test_services_come_nearest_first_across_pages_with_exact_distances(centre):
    metres = [120, 40, 900, 310, 75, 640, 5, 480]
    make_services(*[located(f"Club {m}", at(centre, m, bearing=m)) for m in metres])

    results = search_services(ServiceFilters(postcode=POSTCODE, proximity=1000))
    pages = [paginate(results, number, 3) for number in (1, 2, 3)]

    shown = [s for page in pages for s in page]
    assert [s.name for s in shown] == [f"Club {m}" for m in sorted(metres)]
    assert [page.total_items for page in pages] == [8, 8, 8]
    assert pages[2].last_page and pages[2].size == 2
    for service in shown:
        expected = float(service.name.split()[1])
        assert service.distance_m == pytest.approx(expected, abs=0.01)


def test_a_service_with_several_locations_counts_once_at_its_nearest(centre):
    make_services(
        located("Two halls", at(centre, 700), at(centre, 200, 180)),
        located("One hall", at(centre, 400, 90)),
    )

    page = paginate(search_services(ServiceFilters(postcode=POSTCODE, proximity=1000)), 1, 10)

    assert [s.name for s in page] == ["Two halls", "One hall"]
    assert page.total_items == 2
    assert page.items[0].distance_m == pytest.approx(200, abs=0.01)


def test_services_at_the_same_place_are_ordered_by_id(centre):
    services = make_services(
        *[located(f"Shared {n}", at(centre, 300, 45)) for n in range(4)],
    )

    ids = [s.id for s in search_services(ServiceFilters(postcode=POSTCODE, proximity=1000))]

    assert ids == sorted((s.id for s in services), key=str)


def test_a_service_area_elsewhere_keeps_a_nearby_service_out(centre):
    elsewhere = Ward.objects.exclude(id=centre.ward_id).first()
    make_services(
        located(
            "Serves elsewhere",
            at(centre, 100),
            service_areas=[ServiceAreaRecord(ward_code=elsewhere.code)],
        ),
        located(
            "Serves this ward",
            at(centre, 200),
            service_areas=[ServiceAreaRecord(ward_code=centre.ward.code)],
        ),
        located("Serves anywhere", at(centre, 300)),
    )

    page = paginate(search_services(ServiceFilters(postcode=POSTCODE, proximity=1000)), 1, 10)

    assert [s.name for s in page] == ["Serves this ward", "Serves anywhere"]
    assert page.total_items == 2


def test_proximity_combines_with_search_and_other_filters(centre):
    make_services(
        located("Lunch near", at(centre, 100)),
        located("Lunch far", at(centre, 3000)),
        # Tagged with no need: "lunch" signals food, and a need's services are found too.
        located("Walks near", at(centre, 50), description="Weekly walks in the park.", terms=[]),
        located("Lunch closed", at(centre, 20), status="inactive"),
    )

    assert found(1000, search="lunch") == ["Lunch closed", "Lunch near"]
    assert found(5000, search="lunch", statuses=("active",)) == ["Lunch near", "Lunch far"]
    assert found(1000, statuses=("active",)) == ["Walks near", "Lunch near"]
    assert found(1000, statuses=("inactive",)) == ["Lunch closed"]


def test_service_at_locations_are_each_ranked_and_counted(centre):
    make_services(
        located("Two halls", at(centre, 700), at(centre, 200, 180)),
        located("One hall", at(centre, 400, 90)),
        located("Far hall", at(centre, 4000)),
    )

    results = search_service_at_locations(ServiceFilters(postcode=POSTCODE, proximity=1000))
    page = paginate(results, 1, 10)

    assert [(sal.service.name, round(sal.distance_m)) for sal in page] == [
        ("Two halls", 200),
        ("One hall", 400),
        ("Two halls", 700),
    ]
    assert page.total_items == 3


def test_a_wide_circle_still_measures_along_the_earth(centre):
    make_services(
        located("Far north", at(centre, 149_000)),
        located("Too far north", at(centre, 151_000)),
    )

    page = paginate(search_services(ServiceFilters(postcode=POSTCODE, proximity=150_000)), 1, 5)

    assert [s.name for s in page] == ["Far north"]
    target = at(centre, 149_000)
    expected = haversine_m(centre.latitude, centre.longitude, target.latitude, target.longitude)
    assert page.items[0].distance_m == pytest.approx(expected)


def test_a_need_or_life_stage_term_finds_its_services_near_a_postcode_and_alone(centre):
    make_services(
        located("Young carers near", at(centre, 200), terms=[TermRef("linkwell-needs", "carers")]),
        located("Carers far", at(centre, 3000), terms=[TermRef("linkwell-needs", "carers")]),
        located("Lunch near", at(centre, 100)),  # loneliness, food, ageing well
    )
    carers = vocab.stable_id("term", vocab.NEEDS.key, "carers")
    ageing = vocab.stable_id("term", vocab.LIFE_STAGES.key, "ageing_well")

    assert found(1000, taxonomy_term_id=carers) == ["Young carers near"]
    assert found(5000, taxonomy_term_id=carers) == ["Young carers near", "Carers far"]
    assert found(1000, taxonomy_term_id=ageing) == ["Lunch near"]
    alone = paginate(search_services(ServiceFilters(taxonomy_term_id=carers)), 1, 1)
    assert [s.name for s in alone] == ["Carers far"]  # by name
    assert alone.total_items == 2


def _words_near(search: str, proximity: float, per_page: int) -> tuple[list[str], list[int]]:
    results = search_services(ServiceFilters(postcode=POSTCODE, proximity=proximity, search=search))
    pages = [paginate(results, number, per_page) for number in range(1, 5)]
    return [s.name for page in pages for s in page], [page.total_items for page in pages]


def test_words_near_a_place_rank_nearest_first_then_relevance_then_name_on_every_page(centre):
    same_address = at(centre, 300, 45)
    knitting = {"terms": [], "description": "A knitting circle."}
    make_services(
        located("Knitting circle A", at(centre, 100), **knitting),
        located("Crafts D", dataclasses.replace(same_address, name="D"), **knitting),
        located("Crafts C", dataclasses.replace(same_address, name="C"), **knitting),
        located("Knitting circle B", dataclasses.replace(same_address, name="B"), **knitting),
        located("Knitting circle E", at(centre, 500), **knitting),
        located("Knitting only", at(centre, 50), terms=[], description="Knitting."),
    )
    expected = [
        "Knitting circle A",
        "Knitting circle B",  # at the same address as C and D, and holds the words in its name
        "Crafts C",
        "Crafts D",
        "Knitting circle E",
        "Knitting only",  # nearest, but holds one of the two words
    ]

    for per_page in (2, 4, 10):  # a page of those holding every word, or more than they fill
        names, totals = _words_near("knitting circle", 1000, per_page)
        assert names == expected
        assert set(totals) == {6}


def test_many_services_at_one_address_keep_their_order_across_pages(centre):
    """More services tied at one distance than a page holds, some holding the words in their
    name (more relevant): each page goes on where the last stopped."""
    address = at(centre, 250, 10)
    knitting = {"terms": [], "description": "A knitting circle."}
    crowd = [f"Crafts {n:02d}" for n in range(14)] + ["Knitting circle X", "Knitting circle Y"]
    make_services(
        located("Knitting circle near", at(centre, 50), **knitting),
        *[located(name, dataclasses.replace(address, name=name), **knitting) for name in crowd],
        located("Knitting circle far", at(centre, 800), **knitting),
    )
    expected = [
        "Knitting circle near",
        "Knitting circle X",  # at the address, the words in the name first
        "Knitting circle Y",
        *[f"Crafts {n:02d}" for n in range(14)],  # then by name
        "Knitting circle far",
    ]

    for per_page in (3, 5, 20):
        names, totals = _words_near("knitting circle", 1000, per_page)
        assert names == expected[: 4 * per_page]
        assert set(totals) == {len(expected)}


def test_words_near_a_place_keep_out_a_match_just_beyond_the_edge(centre):
    knitting = {"terms": [], "description": "A knitting circle."}
    make_services(
        located("Knit inside", at(centre, 999.996, 30), **knitting),
        located("Knit outside", at(centre, 1000.004, 60), **knitting),
    )

    for per_page in (1, 2):
        names, totals = _words_near("knitting circle", 1000, per_page)
        assert names == ["Knit inside"]
        assert set(totals) == {1}


def test_words_near_a_place_count_each_service_nearby_or_covering_the_area_once(centre):
    ward = ServiceAreaRecord(ward_code=centre.ward.code)
    elsewhere = ServiceAreaRecord(ward_code=Ward.objects.exclude(id=centre.ward_id).first().code)
    knitting = {"terms": [], "description": "A knitting circle."}
    make_services(
        located("Knit near", at(centre, 200), **knitting),
        located("Knit in two halls", at(centre, 300), at(centre, 600, 180), **knitting),
        located("Knit near for the ward", at(centre, 400, 90), service_areas=[ward], **knitting),
        located("Knit far for the ward", at(centre, 9000, 90), service_areas=[ward], **knitting),
        located(
            "Knit at the edge for the ward",
            at(centre, 1000.004, 60),
            service_areas=[ward],
            **knitting,
        ),
        located("Knit just beyond the edge", at(centre, 1000.004, 120), **knitting),
        located("Knit far", at(centre, 3000), **knitting),
        located(
            "Knit near for elsewhere", at(centre, 100, 200), service_areas=[elsewhere], **knitting
        ),
        located("Sewing near", at(centre, 100, 300), terms=[], description="Sewing."),
    )
    counted = {
        "Knit near",
        "Knit in two halls",
        "Knit near for the ward",
        "Knit far for the ward",  # beyond the circle, but serves the place's ward
        "Knit at the edge for the ward",
    }

    filters = ServiceFilters(postcode=POSTCODE, proximity=1000, search="knitting circle")
    for per_page in (2, 3, 10):  # a page from every-word matches alone, or from them all
        results = search_services(filters)
        pages = [paginate(results, number, per_page) for number in range(1, 4)]
        assert sorted(s.name for page in pages for s in page) == sorted(counted)
        assert {page.total_items for page in pages} == {len(counted)}


def test_several_words_near_a_place_count_those_holding_any_word_once(centre):
    """Words signalling a need ("lunch club"): the count reads the words' matches once for
    both its parts (on PostgreSQL), and its total is that of every service listed, whether
    the page came from every-word matches alone or from them all."""
    ward = ServiceAreaRecord(ward_code=centre.ward.code)
    both = {"terms": [], "description": "A lunch club."}
    lunch = {"terms": [], "description": "Lunch on Tuesdays."}
    club = {"terms": [], "description": "A chess club."}
    make_services(
        *[located(f"Both {n}", at(centre, 100 + 50 * n, 40 * n), **both) for n in range(4)],
        located("Lunch near", at(centre, 250, 10), **lunch),
        located("Club near", at(centre, 350, 200), **club),
        located("Club far for the ward", at(centre, 8000, 90), service_areas=[ward], **club),
        located("Lunch far", at(centre, 5000, 270), **lunch),
        located("Both just beyond the edge", at(centre, 1000.004, 120), **both),
        located("Sewing near", at(centre, 100, 300), terms=[], description="Sewing."),
    )
    counted = {*(f"Both {n}" for n in range(4)), "Lunch near", "Club near", "Club far for the ward"}

    filters = ServiceFilters(postcode=POSTCODE, proximity=1000, search="lunch club")
    for per_page in (2, 4, 10):  # the page from every-word matches alone, or from them all
        results = search_services(filters)
        pages = [paginate(results, number, per_page) for number in range(1, 6)]
        names = [s.name for page in pages for s in page]
        assert sorted(names) == sorted(counted)
        assert names[:4] == [f"Both {n}" for n in range(4)]
        assert {page.total_items for page in pages} == {len(counted)}


@pytest.mark.parametrize("set_by_the_database", ["on", "off"])
def test_index_scans_turn_sequential_scans_off_inside_and_back_to_what_they_were(
    db, set_by_the_database
):
    from django.db import connection

    from linkwell.directory.search.proximity import index_scans

    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL's planner is told to prefer the full-text index")

    def seqscan() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_seqscan')")
            return cursor.fetchone()[0]

    with connection.cursor() as cursor:  # a database's own choice, for this transaction
        cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [set_by_the_database])
    with index_scans(connection.alias):
        assert seqscan() == "off"
    assert seqscan() == set_by_the_database
