"""Reading the default place's files directly, so tests compare the database with the data."""

import csv
import json
import shutil
from pathlib import Path

from django.conf import settings


def data_dir() -> Path:
    """The default place's first folder (Bradford's files)."""
    return Path(settings.PLACE_DATA_DIR)


def data_dirs() -> list[Path]:
    """Every folder of the default place (Bradford's files, then Craven's rows)."""
    return [Path(folder) for folder in settings.PLACE_DATA_DIRS]


def _paths(pattern: str, directory: Path | None) -> list[Path]:
    if directory is not None:
        (path,) = directory.glob(pattern)
        return [path]
    return [path for folder in data_dirs() for path in sorted(folder.glob(pattern))]


def csv_rows(pattern: str, directory: Path | None = None) -> list[dict[str, str]]:
    """The rows of the files matching `pattern`: in `directory`, else in every folder of the
    default place, one file after another."""
    rows: list[dict[str, str]] = []
    for path in _paths(pattern, directory):
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows += list(csv.DictReader(handle))
    return rows


def features(pattern: str, directory: Path | None = None) -> list[dict]:
    return [
        feature
        for path in _paths(pattern, directory)
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]
    ]


def copy_place(destination: Path) -> list[Path]:
    """A copy of every folder of the default place under `destination`, to change."""
    copies = []
    for folder in data_dirs():
        copy = destination / folder.name
        shutil.copytree(folder, copy)
        copies.append(copy)
    return copies


def rewrite_csv(path: Path, change) -> None:
    """Apply `change(rows) -> (fieldnames, rows)` to a CSV file in place."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fieldnames, rows = change(list(reader.fieldnames), list(reader))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
