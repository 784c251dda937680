"""Reading the default place's files directly, so tests compare the database with the data."""

import csv
import json
from pathlib import Path

from django.conf import settings


def data_dir() -> Path:
    return Path(settings.PLACE_DATA_DIR)


def csv_rows(pattern: str, directory: Path | None = None) -> list[dict[str, str]]:
    (path,) = (directory or data_dir()).glob(pattern)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def features(pattern: str, directory: Path | None = None) -> list[dict]:
    (path,) = (directory or data_dir()).glob(pattern)
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def rewrite_csv(path: Path, change) -> None:
    """Apply `change(rows) -> (fieldnames, rows)` to a CSV file in place."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fieldnames, rows = change(list(reader.fieldnames), list(reader))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
