"""A small place and service-mapping spreadsheets for the spend and duplicates tests: rows go
through the real importer (linkwell/directory/importers/spreadsheet.py), then the hub is
refreshed, as in use. The tests need committed rows (DuckDB reads its own connection), so
they run on `live_db`, which empties the database after each: the place is made here, small,
rather than the whole district loaded."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from linkwell.directory.actions import ensure_vocabularies
from linkwell.directory.importers.runner import import_spreadsheet
from linkwell.directory.importers.spreadsheet import COLUMNS
from linkwell.places.models import Constituency, Place, Ward


def make_place() -> Place:
    """Testplace: the North constituency (wards Alder and Birch) and the ward Cedar."""
    ensure_vocabularies()
    place = Place.objects.create(slug="testplace", name="Testplace")
    north = Constituency.objects.create(place=place, code="E14099001", name="North")
    Ward.objects.create(place=place, code="E05099001", name="Alder", constituency=north)
    Ward.objects.create(place=place, code="E05099002", name="Birch", constituency=north)
    Ward.objects.create(place=place, code="E05099003", name="Cedar")
    return place


def write_mapping(path: Path, rows: list[dict[str, Any]]) -> str:
    """A CSV in the template's headings; each row's cells by column key (spreadsheet.COLUMNS)."""
    headings = {c.key: c.heading for c in COLUMNS}
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(headings.values()))
        writer.writeheader()
        for row in rows:
            writer.writerow({headings[key]: value for key, value in row.items()})
    return str(path)


def load_mapping(path: Path, rows: list[dict[str, Any]]) -> None:
    report = import_spreadsheet(write_mapping(path, rows), actor=None)
    assert report.problems == [], report.problems


def service(partner: str, name: str, **cells: Any) -> dict[str, Any]:
    return {"partner": partner, "service": name} | cells
