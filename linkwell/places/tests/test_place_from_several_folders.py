"""One place from several folders: Bradford's files and Craven's rows in the same shapes."""

import pytest
from django.core.management import CommandError, call_command

from linkwell.places.actions import load_place
from linkwell.places.models import GPPractice, Place, Postcode, SmallArea, Ward
from linkwell.places.sources import PlaceDataError, source_dirs_text
from linkwell.places.tests.helpers import copy_place, csv_rows, data_dir, data_dirs, rewrite_csv


def test_the_default_place_is_bradford_and_craven_from_both_folders(db, place_data):
    assert len(data_dirs()) == 2
    assert place_data.name == "Bradford District and Craven"
    assert place_data.source_dir == source_dirs_text(data_dirs())
    assert Ward.objects.filter(place=place_data).count() == 39
    assert Postcode.objects.filter(place=place_data).count() == len(csv_rows("postcodes_*.csv"))
    assert Postcode.objects.get(postcode="BD24 9JA").ward.name == "Settle & Penyghent"
    # Craven's 2011 small areas now have their ward (from Craven's LSOA lookup).
    craven_areas = SmallArea.objects.filter(vintage=2011, local_authority_name="Craven")
    assert craven_areas.count() == 32
    assert not craven_areas.filter(ward=None).exists()


def test_the_attributions_of_every_folder_are_kept_once(db, tmp_path):
    bradford, craven = copy_place(tmp_path)
    notes = craven / "SOURCES.md"
    notes.write_text(
        "# Craven rows\n\n## Required attributions\n\n- Craven credit (OGL v3.0).\n\n"
        "## Files\n\nNot credits.\n",
        encoding="utf-8",
    )
    again = tmp_path / "same-notes"
    again.mkdir()
    (again / "SOURCES.md").write_text(notes.read_text(encoding="utf-8"), encoding="utf-8")

    place = load_place([bradford, craven, again], slug="both").place

    assert place.name == "Bradford District and Craven"  # from the first folder
    assert "© OpenStreetMap contributors" in place.attributions
    assert place.attributions.endswith("- Craven credit (OGL v3.0).")
    assert place.attributions.count("Craven credit") == 1
    assert "Not credits" not in place.attributions


def test_the_command_loads_several_folders_as_one_place(db, tmp_path, capsys):
    bradford, craven = copy_place(tmp_path)

    call_command("load_place", str(bradford), str(craven), "--no-progress", "--slug", "both")

    place = Place.objects.get(slug="both")
    assert Ward.objects.filter(place=place).count() == 39
    assert GPPractice.objects.get(postcode="BD24 9JA").ward.name == "Settle & Penyghent"
    assert f"{bradford}, {craven}" in capsys.readouterr().out.replace("\n", "")


def test_the_command_with_no_folder_loads_the_default_folders(db, settings, capsys):
    call_command("load_place", "--no-progress")
    place = Place.objects.get(source_dir=source_dirs_text(settings.PLACE_DATA_DIRS))
    assert Ward.objects.filter(place=place).count() == 39


def test_a_code_in_two_folders_is_refused_naming_both_files(db, tmp_path):
    bradford, craven = copy_place(tmp_path)
    bradford_first = csv_rows("postcodes_*.csv", data_dir())[0]

    def repeat_a_bradford_postcode(fieldnames, rows):
        return fieldnames, [*rows, bradford_first]

    rewrite_csv(next(craven.glob("postcodes_*.csv")), repeat_a_bradford_postcode)
    before = Postcode.objects.count()

    with pytest.raises(PlaceDataError) as caught:
        load_place([bradford, craven], slug="twice")

    (problem,) = [p for p in caught.value.problems if p.column == "postcode"]
    assert problem.file == "postcodes_craven.csv"
    assert "postcodes_bradford.csv, row 2" in problem.reason
    assert f"'{bradford_first['postcode']}' appears more than once" in problem.reason
    assert Postcode.objects.count() == before
    assert not Place.objects.filter(slug="twice").exists()


def test_the_command_names_both_files_of_a_repeated_ward(db, tmp_path, capsys):
    bradford, craven = copy_place(tmp_path)
    rewrite_csv(
        next(craven.glob("*ward_constituency_lookup*.csv")),
        lambda fieldnames, rows: (fieldnames, [*rows, {**rows[0], "ward_code": "E05001349"}]),
    )

    with pytest.raises(CommandError):
        call_command("load_place", str(bradford), str(craven), "--no-progress")

    errors = capsys.readouterr().err
    assert "craven_ward_constituency_lookup.csv, row 11, column ward_code" in errors
    assert "also at bradford_ward_constituency_lookup.csv" in errors


def test_a_missing_second_folder_is_reported(db, tmp_path):
    with pytest.raises(PlaceDataError) as caught:
        load_place([data_dir(), tmp_path / "nowhere"])
    assert [str(p) for p in caught.value.problems] == [f"{tmp_path / 'nowhere'}: is not a folder"]
