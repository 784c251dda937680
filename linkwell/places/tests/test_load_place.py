import shutil

from linkwell.audit.models import AuditEvent
from linkwell.places.actions import load_place
from linkwell.places.models import (
    AreaIndicator,
    CommunityAsset,
    Constituency,
    Deprivation,
    GPPractice,
    Place,
    Postcode,
    PrimaryCareNetwork,
    SmallArea,
    Ward,
)
from linkwell.places.parse import TEXT_COLUMN_RE
from linkwell.places.tests.helpers import (
    copy_place,
    csv_rows,
    data_dir,
    data_dirs,
    features,
    rewrite_csv,
)


def _numeric_cells(rows: list[dict], skip=lambda column: False) -> int:
    count = 0
    for row in rows:
        for column, value in row.items():
            if TEXT_COLUMN_RE.search(column) or column == "area_type" or skip(column):
                continue
            count += value.strip() != ""
    return count


def test_loading_the_default_place_gives_one_row_per_record_in_the_files(db, place_data):
    lsoa11 = {row["lsoa11_code"] for row in csv_rows("lsoa11_*lookup*.csv")}
    imd = csv_rows("imd2019_*.csv")
    assert Ward.objects.filter(place=place_data).count() == len(features("*wards_*.geojson"))
    assert Constituency.objects.count() == len(
        {row["pcon10_code"] for row in csv_rows("*ward_constituency_lookup*.csv")}
    )
    assert SmallArea.objects.filter(vintage=2011).count() == len(
        lsoa11 | {row["lsoa11_code"] for row in imd}
    )
    assert SmallArea.objects.filter(vintage=2021).count() == len(csv_rows("lsoa21_*lookup*.csv"))
    assert Deprivation.objects.count() == len(imd)
    assert Postcode.objects.count() == len(csv_rows("postcodes_*.csv"))
    assert PrimaryCareNetwork.objects.count() == len(csv_rows("pcns_*.csv"))
    assert GPPractice.objects.count() == len(csv_rows("gp_practices_*.csv"))
    assert CommunityAsset.objects.count() == len(features("osm_community_assets_*.geojson"))
    expected_indicators = (
        _numeric_cells(csv_rows("census2021_ward_*.csv"), lambda c: c.startswith("ward_pop"))
        + _numeric_cells(csv_rows("census2021_lsoa21_*.csv"))
        + len(csv_rows("constituency_health_indicators_*.csv"))
        + _numeric_cells(csv_rows("ward_summary_*.csv"))
    )
    assert AreaIndicator.objects.count() == expected_indicators


def test_wards_have_their_constituency_as_locality_and_their_population(db, place_data):
    census = {row["area_code"]: row for row in csv_rows("census2021_ward_*.csv")}
    for row in csv_rows("*ward_constituency_lookup*.csv"):
        ward = Ward.objects.select_related("constituency").get(code=row["ward_code"])
        assert ward.constituency.code == row["pcon10_code"]
        assert ward.locality == row["pcon10_name"]
        assert ward.local_authority_name == row["lad_name"]
        assert ward.geometry["type"] in {"Polygon", "MultiPolygon"}
        if row["ward_code"] in census:
            assert ward.population == int(census[row["ward_code"]]["ward_population_mid2022"])
            assert ward.population_year == "mid-2022"


def test_craven_wards_take_their_population_from_the_iod2019_denominators(db, place_data):
    """No Census 2021 rows for Craven: a ward's population is the IoD2019 mid-2015
    population of its 2011 small areas (lsoa11 lookup), and says so."""
    imd = {row["lsoa11_code"]: int(row["pop_total_mid2015"]) for row in csv_rows("imd2019_*.csv")}
    expected: dict[str, int] = {}
    for row in csv_rows("lsoa11_*lookup*.csv", data_dirs()[1]):
        expected[row["ward_code"]] = expected.get(row["ward_code"], 0) + imd[row["lsoa11_code"]]
    craven = Ward.objects.filter(code__in=expected)

    assert len(expected) == craven.count() == 9
    for ward in craven:
        assert (ward.population, ward.population_year) == (
            expected[ward.code],
            "mid-2015 (IoD2019)",
        )
    # Bradford's own Craven ward (Silsden, Steeton) keeps its census figure.
    bradford_craven = Ward.objects.get(code="E05001349")
    assert (bradford_craven.name, bradford_craven.population_year) == ("Craven", "mid-2022")


def test_deprivation_keeps_the_ranks_and_deciles_of_every_domain(db, place_data):
    row = csv_rows("imd2019_*.csv")[0]
    deprivation = Deprivation.objects.get(
        small_area__code=row["lsoa11_code"], small_area__vintage=2011
    )
    assert deprivation.imd_rank == int(row["imd_rank"])
    assert deprivation.imd_decile == int(row["imd_decile"])
    assert deprivation.health_decile == int(row["health_deprivation_disability_decile"])
    assert deprivation.domain_ranks["crime"] == int(row["crime_rank"])
    assert deprivation.population == int(row["pop_total_mid2015"])


def test_gp_practices_keep_their_pcn_and_ward_and_whether_they_are_in_bradford(db, place_data):
    """Settle's and Skipton's practices are outside Bradford District but inside the place,
    whose Craven wards they lie in."""
    for row in csv_rows("gp_practices_*.csv"):
        practice = GPPractice.objects.select_related("pcn", "ward").get(code=row["practice_code"])
        assert practice.pcn.code == row["pcn_code"]
        assert practice.in_district == (row["in_bradford_district"] == "yes")
        assert practice.ward.code == row["ward_code"]
    settle = GPPractice.objects.get(postcode="BD24 9JA")
    assert (settle.in_district, settle.ward.name) == (False, "Settle & Penyghent")


def test_a_practice_outside_the_district_and_outside_the_place_has_no_ward(db, tmp_path):
    """Bradford's files alone: the Craven practices' wards are not in the place."""
    report = load_place(data_dir(), slug="bradford-alone")
    settle = GPPractice.objects.get(postcode="BD24 9JA", place=report.place)
    assert settle.ward is None and not settle.in_district


def test_the_place_keeps_the_required_attributions_of_its_sources(db, place_data):
    assert "© OpenStreetMap contributors" in place_data.attributions
    assert "Open Government Licence v3.0" in place_data.attributions
    assert "## Files" not in place_data.attributions


def test_reloading_the_same_files_changes_nothing(db, place_data):
    before = {model: model.objects.count() for model in (Ward, SmallArea, Postcode, AreaIndicator)}
    report = load_place(data_dirs())
    assert report.place == place_data
    assert not report.created_place
    for name, counts in report.tables.items():
        assert (counts.created, counts.updated, counts.deleted) == (0, 0, 0), name
    assert before == {model: model.objects.count() for model in before}


def test_reloading_changed_files_updates_rows_in_place(db, place_data, tmp_path):
    bradford, craven = copy_place(tmp_path)

    def move_first_postcode(fieldnames, rows):
        rows[0]["lat"] = "53.80000"
        return fieldnames, rows

    def drop_last_postcode(fieldnames, rows):
        return fieldnames, rows[:-1]

    rewrite_csv(next(bradford.glob("postcodes_*.csv")), move_first_postcode)
    rewrite_csv(next(craven.glob("postcodes_*.csv")), drop_last_postcode)
    rows = csv_rows("postcodes_*.csv")
    report = load_place([bradford, craven], slug=place_data.slug)
    assert report.tables["postcodes"].updated == 1
    assert report.tables["postcodes"].deleted == 1
    assert Postcode.objects.get(postcode=rows[0]["postcode"]).latitude == 53.8
    assert not Postcode.objects.filter(postcode=rows[-1]["postcode"]).exists()
    assert Postcode.objects.count() == len(rows) - 1
    assert Place.objects.count() == 1


def test_a_load_is_recorded_in_the_audit_log(db, place_data, user):
    load_place(data_dirs(), actor=user)
    event = AuditEvent.objects.filter(action="places.load_place").latest("at")
    assert event.actor == user
    assert event.target_id == str(place_data.pk)
    assert event.details["tables"]["postcodes"]["unchanged"] == Postcode.objects.count()


def test_another_place_loads_from_its_own_files_of_the_same_shape(db, tmp_path):
    """Only the required files, named after another area: patterns, not names, find them."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    renames = {
        "*wards_*.geojson": "elsewhere_wards_2024.geojson",
        "*ward_constituency_lookup*.csv": "elsewhere_ward_constituency_lookup.csv",
        "lsoa11_*lookup*.csv": "lsoa11_elsewhere_lookup.csv",
        "lsoa21_*lookup*.csv": "lsoa21_elsewhere_ward_lookup.csv",
        "imd2019_*.csv": "imd2019_lsoa11_elsewhere.csv",
        "postcodes_*.csv": "postcodes_elsewhere.csv",
    }
    for pattern, name in renames.items():
        shutil.copy(next(data_dir().glob(pattern)), folder / name)
    (folder / "SOURCES.md").write_text(
        "# Open data: Elsewhere (E00000000)\n\n## Required attributions\n\n"
        "- Source: ONS, OGL v3.0.\n\n## Files\n\nNot credits.\n",
        encoding="utf-8",
    )

    report = load_place(folder)

    place = report.place
    assert (place.slug, place.name) == ("elsewhere", "Elsewhere")
    assert place.attributions == "- Source: ONS, OGL v3.0."
    assert Postcode.objects.filter(place=place).count() == len(
        csv_rows("postcodes_*.csv", data_dir())
    )
    assert Ward.objects.filter(place=place).count() == len(features("*wards_*.geojson", data_dir()))
    for table in ("gp_practices", "pcns", "assets"):
        assert report.tables[table].total == 0
    # No census file: every ward's population comes from the IoD2019 denominators.
    assert set(Ward.objects.filter(place=place).values_list("population_year", flat=True)) == {
        "mid-2015 (IoD2019)"
    }
