import json
import shutil

import pytest

from linkwell.places import testing
from linkwell.places.actions import load_place
from linkwell.places.queries import (
    PostcodeError,
    area_for_point,
    list_constituencies,
    list_wards,
    lookup_postcode,
)
from linkwell.places.tests.helpers import csv_rows, data_dir

SAMPLE_STEP = 50  # every 50th postcode of the file: 419 postcodes across the district


def _constituency_by_ward() -> dict[str, tuple[str, str]]:
    return {
        row["ward_code"]: (row["pcon10_code"], row["pcon10_name"])
        for row in csv_rows("*ward_constituency_lookup*.csv")
    }


def test_a_real_postcode_gives_its_ward_and_constituency_from_the_data(db, place_data):
    constituencies = _constituency_by_ward()
    for row in csv_rows("postcodes_*.csv")[::1000]:
        found = lookup_postcode(row["postcode"].lower().replace(" ", ""))
        assert found.postcode == row["postcode"]
        assert (found.latitude, found.longitude) == (float(row["lat"]), float(row["long"]))
        assert (found.ward_code, found.ward_name) == (row["ward_code"], row["ward_name"])
        assert (found.small_area_code, found.small_area_name) == (
            row["lsoa21_code"],
            row["lsoa21_name"],
        )
        assert (found.constituency_code, found.constituency_name) == constituencies[
            row["ward_code"]
        ]
        assert found.locality == found.constituency_name


def test_a_postcode_lookup_gives_the_imd_decile_of_its_2011_small_area(db, place_data):
    deciles = {row["lsoa11_code"]: int(row["imd_decile"]) for row in csv_rows("imd2019_*.csv")}
    row = csv_rows("postcodes_*.csv")[0]
    assert row["postcode"] == testing.KNOWN_POSTCODE
    found = lookup_postcode(testing.KNOWN_POSTCODE)
    assert found.imd_decile == deciles[row["lsoa11_code"]]
    assert found.ward_code == testing.KNOWN_POSTCODE_WARD_CODE
    assert found.constituency_code == testing.KNOWN_POSTCODE_CONSTITUENCY_CODE


def test_a_postcode_outside_the_place_is_not_found(db, place_data):
    assert lookup_postcode(testing.POSTCODE_OUTSIDE_PLACE) is None


def test_text_that_is_not_a_postcode_is_refused(db):
    with pytest.raises(PostcodeError):
        lookup_postcode("BD1")


def test_point_in_polygon_agrees_with_the_postcodes_own_areas(db, place_data):
    """LSOA boundaries are nearly full resolution; ward boundaries are generalised (~20 points
    a ward, SOURCES.md file 1), so postcodes near a ward edge can fall in the neighbour."""
    sample = csv_rows("postcodes_*.csv")[::SAMPLE_STEP]
    same_ward = same_lsoa = 0
    for row in sample:
        areas = area_for_point(float(row["lat"]), float(row["long"]))
        same_ward += areas.ward is not None and areas.ward.code == row["ward_code"]
        same_lsoa += areas.small_area is not None and areas.small_area.code == row["lsoa11_code"]
    assert same_lsoa >= 0.99 * len(sample)
    assert same_ward >= 0.9 * len(sample)


def test_a_point_outside_the_place_is_in_no_ward(db, place_data):
    areas = area_for_point(51.5007, -0.1246)  # Westminster
    assert areas.ward is None and areas.small_area is None


def test_coordinates_out_of_range_are_refused(db):
    with pytest.raises(ValueError, match="latitude"):
        area_for_point(91, 0)
    with pytest.raises(ValueError, match="longitude"):
        area_for_point(0, 181)


def test_wards_and_constituencies_are_listed_with_their_links(db, place_data):
    wards = list(list_wards(place_data))
    assert len(wards) == len(_constituency_by_ward())
    assert all(ward.constituency and ward.locality == ward.constituency.name for ward in wards)
    constituencies = list(list_constituencies(place_data))
    assert sum(c.ward_count for c in constituencies) == len(wards)


def test_point_lookups_follow_a_reload_of_the_boundaries(db, place_data, tmp_path):
    folder = tmp_path / "place"
    shutil.copytree(data_dir(), folder)
    wards_file = next(folder.glob("*wards_*.geojson"))
    collection = json.loads(wards_file.read_text(encoding="utf-8"))
    for feature in collection["features"]:
        if feature["properties"]["ward_code"] == testing.KNOWN_POSTCODE_WARD_CODE:
            # A tiny square in the North Sea instead of the city centre.
            feature["geometry"] = {
                "type": "Polygon",
                "coordinates": [[[2.0, 55.0], [2.01, 55.0], [2.01, 55.01], [2.0, 55.0]]],
            }
    wards_file.write_text(json.dumps(collection), encoding="utf-8")
    lat, lon = testing.KNOWN_POSTCODE_LATITUDE, testing.KNOWN_POSTCODE_LONGITUDE
    assert area_for_point(lat, lon).ward.code == testing.KNOWN_POSTCODE_WARD_CODE

    load_place(folder, slug=place_data.slug)

    assert area_for_point(lat, lon).ward is None
    assert area_for_point(55.001, 2.005).ward.code == testing.KNOWN_POSTCODE_WARD_CODE


def test_the_known_facts_of_the_default_place_hold(db, place_data):
    assert list_wards(place_data).count() == testing.WARD_COUNT
    assert list_constituencies(place_data).count() == testing.CONSTITUENCY_COUNT
    assert list_wards(place_data).filter(code=testing.BAILDON_WARD_CODE).get().name == "Baildon"
    found = lookup_postcode(testing.CRAVEN_POSTCODE)
    assert found.ward_name == testing.CRAVEN_POSTCODE_WARD_NAME
    assert found.constituency_name == "Skipton and Ripon"
