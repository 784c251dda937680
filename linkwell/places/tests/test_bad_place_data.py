import shutil

import pytest
from django.core.management import CommandError, call_command

from linkwell.places.actions import load_place
from linkwell.places.models import Place, Postcode, Ward
from linkwell.places.sources import PlaceDataError
from linkwell.places.tests.helpers import data_dir, features, rewrite_csv


@pytest.fixture
def folder(tmp_path):
    """A copy of the default place's first folder (Bradford's files, a place by itself), to
    break."""
    copy = tmp_path / "place"
    shutil.copytree(data_dir(), copy)
    return copy


def _counts() -> tuple[int, int, int]:
    return Place.objects.count(), Ward.objects.count(), Postcode.objects.count()


def _problems(folder) -> list[tuple]:
    before = _counts()
    with pytest.raises(PlaceDataError) as caught:
        load_place(folder, slug="broken")
    assert _counts() == before  # nothing committed
    assert not Place.objects.filter(slug="broken").exists()
    return [(p.file, p.row, p.column, p.reason) for p in caught.value.problems]


def test_every_bad_row_is_reported_and_nothing_is_loaded(db, folder):
    def break_postcodes(fieldnames, rows):
        rows[0]["ward_code"] = "E05999999"
        rows[1]["lat"] = "north"
        rows[2]["postcode"] = "NOT A POSTCODE"
        rows[4]["postcode"] = rows[3]["postcode"]
        return fieldnames, rows

    def break_imd(fieldnames, rows):
        rows[0]["imd_decile"] = "11"
        rows[1]["lsoa11_code"] = "X123"
        return fieldnames, rows

    rewrite_csv(next(folder.glob("postcodes_*.csv")), break_postcodes)
    rewrite_csv(next(folder.glob("imd2019_*.csv")), break_imd)
    postcodes = "postcodes_bradford.csv"
    imd = "imd2019_lsoa11_bradford_craven.csv"

    problems = _problems(folder)

    assert (postcodes, 2, "ward_code", "'E05999999' is not a known ward") in problems
    assert (postcodes, 3, "lat", "'north' is not a number") in problems
    assert (postcodes, 4, "postcode", "'NOT A POSTCODE' is not a UK postcode") in problems
    assert any(p[:3] == (postcodes, 6, "postcode") and "more than once" in p[3] for p in problems)
    assert (imd, 2, "imd_decile", "11 is outside 1..10") in problems
    assert [p for p in problems if p[:3] == (imd, 3, "lsoa11_code")] == [
        (imd, 3, "lsoa11_code", "'X123' is not an ONS code like E05001341")
    ]


def test_a_missing_column_and_a_missing_file_are_both_reported(db, folder):
    rewrite_csv(
        next(folder.glob("lsoa21_*lookup*.csv")),
        lambda fieldnames, rows: ([f for f in fieldnames if f != "ward_code"], rows),
    )
    next(folder.glob("pcns_*.csv")).unlink()  # optional: PCNs then come from the practices
    next(folder.glob("postcodes_*.csv")).unlink()

    problems = _problems(folder)

    assert ("lsoa21_bradford_ward_lookup.csv", None, "ward_code", "required column is missing") in (
        problems
    )
    assert any(p[0] == "postcodes_*.csv" and "required file is missing" in p[3] for p in problems)
    assert len(problems) == 2


def test_two_files_matching_one_pattern_are_reported(db, folder):
    shutil.copy(next(folder.glob("postcodes_*.csv")), folder / "postcodes_extra.csv")
    problems = _problems(folder)
    assert any(p[0] == "postcodes_*.csv" and "more than one file" in p[3] for p in problems)


def test_the_command_lists_every_problem_and_fails(db, folder, capsys):
    rewrite_csv(
        next(folder.glob("gp_practices_*.csv")),
        lambda fieldnames, rows: (fieldnames, [{**rows[0], "pcn_code": "U00000"}, *rows[1:]]),
    )
    before = _counts()
    with pytest.raises(CommandError) as caught:
        call_command("load_place", str(folder), "--no-progress")
    assert caught.value.returncode == 1
    errors = capsys.readouterr().err
    assert (
        "gp_practices_bradford_craven.csv, row 2, column pcn_code: 'U00000' is not a known PCN"
        in (errors)
    )
    assert _counts() == before


def test_the_command_prints_a_summary_of_the_load(db, folder, capsys):
    call_command("load_place", str(folder), "--no-progress", "--slug", "copy")
    out = capsys.readouterr().out
    assert "postcodes" in out and "Loaded in" in out
    place = Place.objects.get(slug="copy")
    assert Ward.objects.filter(place=place).count() == len(features("*wards_*.geojson", folder))
