"""Finding and reading the files of a place, with every problem collected, not the first.

A place is one or more folders of CSV / GeoJSON files shaped like /work/shared/data (see
SOURCES.md there and docs/how-to/load-a-place.md). Files are found by the filename patterns of
MANIFEST, so another partnership can name them after its own area (`leeds_wards_2024.geojson`,
`postcodes_leeds.csv`). A place may be spread over several folders (Bradford's files, then
Craven's rows in the same shapes): each folder holds at most one file of a kind, and the files
of one kind are read as one table.
"""

import csv
import json
import math
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ONS_CODE_RE = re.compile(r"^[EWSNKJ][0-9]{8}$")


@dataclass(frozen=True)
class SourceFile:
    """One kind of file a place folder may hold, found by a glob pattern."""

    key: str
    pattern: str
    required: bool
    columns: tuple[str, ...]
    description: str

    @property
    def is_geojson(self) -> bool:
        return self.pattern.endswith(".geojson")


MANIFEST: tuple[SourceFile, ...] = (
    SourceFile(
        "wards",
        "*wards_*.geojson",
        True,
        ("ward_code", "ward_name", "centroid_lat", "centroid_long"),
        "Electoral wards: polygons with code, name and centroid.",
    ),
    SourceFile(
        "ward_constituency",
        "*ward_constituency_lookup*.csv",
        True,
        ("ward_code", "ward_name", "lad_code", "lad_name", "pcon10_code", "pcon10_name"),
        "Ward -> parliamentary constituency (and local authority).",
    ),
    SourceFile(
        "constituencies",
        "*constituencies*.geojson",
        False,
        ("pcon10_code", "pcon10_name"),
        "Constituency polygons (optional).",
    ),
    SourceFile(
        "lsoa11_lookup",
        "lsoa11_*lookup*.csv",
        True,
        (
            "lsoa11_code",
            "lsoa11_name",
            "msoa11_code",
            "msoa11_name",
            "ward_code",
            "ward_share_of_postcodes",
        ),
        "LSOA 2011 -> MSOA and best-fit ward.",
    ),
    SourceFile(
        "lsoa11_boundaries",
        "*lsoa11.geojson",
        False,
        ("lsoa11_code",),
        "LSOA 2011 polygons (optional).",
    ),
    SourceFile(
        "lsoa21_lookup",
        "lsoa21_*lookup*.csv",
        True,
        ("lsoa21_code", "lsoa21_name", "ward_code", "ward_share_of_postcodes"),
        "LSOA 2021 -> best-fit ward.",
    ),
    SourceFile(
        "imd",
        "imd2019_*.csv",
        True,
        (
            "lsoa11_code",
            "lsoa11_name",
            "lad19_code",
            "lad19_name",
            "imd_rank",
            "imd_decile",
        ),
        "English Indices of Deprivation 2019 by LSOA 2011 (domain columns optional).",
    ),
    SourceFile(
        "postcodes",
        "postcodes_*.csv",
        True,
        ("postcode", "lat", "long", "lsoa21_code", "ward_code", "lsoa11_code"),
        "Postcode centroids with their LSOA 2021, LSOA 2011 and ward.",
    ),
    SourceFile(
        "pcns",
        "pcns_*.csv",
        False,
        ("pcn_code", "pcn_name"),
        "Primary care networks.",
    ),
    SourceFile(
        "gp_practices",
        "gp_practices_*.csv",
        False,
        (
            "practice_code",
            "practice_name",
            "postcode",
            "pcn_code",
            "lat",
            "long",
            "in_bradford_district",
            "ward_code",
        ),
        "GP practices (main sites) with PCN and ward.",
    ),
    SourceFile(
        "census_ward",
        "census2021_ward_*.csv",
        False,
        ("area_code", "area_name", "area_type"),
        "Census 2021 shares by ward (+ comparators); optional ward population column.",
    ),
    SourceFile(
        "census_lsoa21",
        "census2021_lsoa21_*.csv",
        False,
        ("area_code", "area_name", "area_type"),
        "Census 2021 shares by LSOA 2021.",
    ),
    SourceFile(
        "constituency_indicators",
        "constituency_health_indicators_*.csv",
        False,
        ("pcon_code", "pcon_name", "indicator", "period", "value"),
        "Constituency indicators in long format.",
    ),
    SourceFile(
        "ward_summary",
        "ward_summary_*.csv",
        False,
        ("ward_code", "ward_name"),
        "Any numeric per-ward figures (every other numeric column becomes an indicator).",
    ),
    SourceFile(
        "assets",
        "osm_community_assets_*.geojson",
        False,
        ("osm_type", "osm_id", "name", "category"),
        "OpenStreetMap community assets (points, ODbL).",
    ),
)
MANIFEST_BY_KEY = {source.key: source for source in MANIFEST}
SOURCES_NOTE = "SOURCES.md"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, precise enough to fix the file."""

    file: str
    reason: str
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.reason}"


class PlaceDataError(Exception):
    """The place folder cannot be loaded; `problems` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{len(problems)} problem(s) in the place data:\n{lines}")


@dataclass
class Row:
    """A CSV row or GeoJSON feature: `number` is the CSV line (header = 1) or feature index."""

    file: str
    number: int
    values: dict[str, Any]
    geometry: dict[str, Any] | None = None


@dataclass
class Problems:
    """Collects problems while parsing, and small typed readers that report instead of raising."""

    items: list[Problem] = field(default_factory=list)
    first_rows: dict[tuple[str, Any], Row] = field(default_factory=dict)

    def first(self, kind: str, key: Any, row: Row, column: str) -> bool:
        """True the first time `key` is met among the rows of `kind` (across every folder's
        file of that kind); a repeat is reported naming where the key was met first."""
        first = self.first_rows.setdefault((kind, key), row)
        if first is row:
            return True
        where = f"row {first.number}"
        if first.file != row.file:
            where = f"{first.file}, {where}"
        self.add(row.file, f"{key!r} appears more than once (also at {where})", row.number, column)
        return False

    def add(self, file: str, reason: str, row: int | None = None, column: str = "") -> None:
        self.items.append(Problem(file=file, row=row, column=column, reason=reason))

    def text(self, row: Row, column: str, *, required: bool = True) -> str:
        value = row.values.get(column)
        value = "" if value is None else str(value).strip()
        if required and not value:
            self.add(row.file, "is empty", row.number, column)
        return value

    def code(self, row: Row, column: str, *, required: bool = True) -> str:
        value = self.text(row, column, required=required)
        if value and not ONS_CODE_RE.match(value):
            self.add(row.file, f"{value!r} is not an ONS code like E05001341", row.number, column)
            return ""
        return value

    def number(
        self,
        row: Row,
        column: str,
        *,
        required: bool = True,
        low: float | None = None,
        high: float | None = None,
    ) -> float | None:
        raw = self.text(row, column, required=required)
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if math.isnan(value) or math.isinf(value):
            self.add(row.file, f"{raw!r} is not a number", row.number, column)
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            self.add(row.file, f"{raw} is outside {low}..{high}", row.number, column)
            return None
        return value

    def integer(
        self,
        row: Row,
        column: str,
        *,
        required: bool = True,
        low: int | None = None,
        high: int | None = None,
    ) -> int | None:
        value = self.number(row, column, required=required, low=low, high=high)
        if value is None:
            return None
        if value != int(value):
            self.add(row.file, f"{value} is not a whole number", row.number, column)
            return None
        return int(value)


def find_sources(directories: Sequence[Path], problems: Problems) -> dict[str, list[Path]]:
    """The MANIFEST files of the folders, in folder order (at most one per pattern in a
    folder), reporting gaps and clashes. A required kind must be in at least one folder."""
    found: dict[str, list[Path]] = {}
    for directory in directories:
        if not directory.is_dir():
            problems.add(str(directory), "is not a folder")
            continue
        for source in MANIFEST:
            matches = sorted(directory.glob(source.pattern))
            if len(matches) > 1:
                names = ", ".join(path.name for path in matches)
                problems.add(source.pattern, f"more than one file matches: {names}")
            elif matches:
                found.setdefault(source.key, []).append(matches[0])
        if not (directory / SOURCES_NOTE).is_file():
            problems.add(
                SOURCES_NOTE, f"required file is missing in {directory} (sources and attributions)"
            )
    if all(directory.is_dir() for directory in directories):
        for source in MANIFEST:
            if source.required and source.key not in found:
                problems.add(source.pattern, f"required file is missing ({source.description})")
    return found


def read_rows(source: SourceFile, paths: Sequence[Path], problems: Problems) -> list[Row]:
    """All rows of the CSV or GeoJSON files of one kind, one file after another, after checking
    each file has the required columns. Each row keeps the name of its own file."""
    rows: list[Row] = []
    complete = True
    for path in paths:
        try:
            read = list(_read_geojson(path) if source.is_geojson else _read_csv(path))
        except (OSError, UnicodeDecodeError, ValueError, csv.Error) as error:
            problems.add(path.name, f"cannot be read: {error}")
            complete = False
            continue
        columns = _columns(path, read, source.is_geojson)
        missing = [column for column in source.columns if column not in columns]
        for column in missing:
            problems.add(path.name, "required column is missing", column=column)
        complete = complete and not missing
        rows += read
    return rows if complete else []


def _columns(path: Path, rows: list[Row], is_geojson: bool) -> set[str]:
    if is_geojson:
        return set().union(*(row.values for row in rows)) if rows else set()
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return set(next(csv.reader(handle), []))


def _read_csv(path: Path) -> Iterator[Row]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for index, values in enumerate(csv.DictReader(handle), start=2):
            yield Row(file=path.name, number=index, values=values)


def _read_geojson(path: Path) -> Iterator[Row]:
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValueError("not a GeoJSON FeatureCollection")
    for index, feature in enumerate(data.get("features") or [], start=1):
        yield Row(
            file=path.name,
            number=index,
            values=feature.get("properties") or {},
            geometry=feature.get("geometry"),
        )


def read_attributions(directories: Sequence[Path]) -> str:
    """The 'Required attributions' sections of the folders' SOURCES.md, kept as written
    (Markdown), each once, in folder order."""
    sections: list[str] = []
    for directory in directories:
        section = _attributions(directory)
        if section and section not in sections:
            sections.append(section)
    return "\n\n".join(sections)


def _attributions(directory: Path) -> str:
    path = directory / SOURCES_NOTE
    if not path.is_file():
        return ""
    lines = path.read_text(encoding="utf-8").splitlines()
    section: list[str] = []
    inside = False
    for line in lines:
        if line.startswith("#"):
            if inside:
                break
            inside = "attribution" in line.lower()
            continue
        if inside:
            section.append(line)
    return "\n".join(section).strip()


def read_place_name(directories: Sequence[Path]) -> str:
    """The place's name from the first heading of the first folder's SOURCES.md, else that
    folder's name.

    '# Default open dataset: Bradford District (E08000032) and Craven (E07000163)'
    -> 'Bradford District and Craven'.
    """
    directory = directories[0]
    path = directory / SOURCES_NOTE
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                title = line[2:].split(":", 1)[-1]
                title = re.sub(r"\s*\([^)]*\)", "", title)
                return re.sub(r"\s+", " ", title).strip() or directory.name
    return directory.name


def source_dirs_text(directories: Sequence[Path]) -> str:
    """The folders as recorded on the place: absolute paths joined by os.pathsep, the same
    form the LINKWELL_PLACE_DIR setting takes."""
    return os.pathsep.join(str(Path(directory).resolve()) for directory in directories)
