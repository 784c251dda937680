"""Turning the rows of a place folder into checked field values, ready to write.

Parsing happens before any write so that every problem of every file can be reported at once and
nothing is committed when there is one. The values are plain dicts of model field names, keyed
by the natural key (ONS / NHS code, postcode, OSM reference) that makes reloading idempotent.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linkwell.places.queries import PostcodeError, normalise_postcode
from linkwell.places.sources import (
    MANIFEST_BY_KEY,
    Problems,
    Row,
    find_sources,
    read_attributions,
    read_place_name,
    read_rows,
)

ODS_CODE_RE = re.compile(r"^[A-Z0-9]{3,8}$")
IMD_DOMAINS = {
    "income": "income",
    "employment": "employment",
    "education_skills_training": "education",
    "health_deprivation_disability": "health",
    "crime": "crime",
    "barriers_housing_services": "housing_services",
    "living_environment": "living_environment",
}
IMD_RANK_MAX = 32_844  # LSOAs in England (2011), rank 1 = most deprived
TEXT_COLUMN_RE = re.compile(r"(_code|_name|_type|_method|_codes|_by_area_overlap)$")


@dataclass
class PlaceData:
    """Everything a place folder holds, checked. Keys are natural keys; values are field dicts."""

    name: str
    attributions: str
    files: dict[str, list[Path]]
    constituencies: dict[str, dict[str, Any]] = field(default_factory=dict)
    wards: dict[str, dict[str, Any]] = field(default_factory=dict)
    small_areas: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    deprivation: dict[str, dict[str, Any]] = field(default_factory=dict)  # by LSOA 2011 code
    postcodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    pcns: dict[str, dict[str, Any]] = field(default_factory=dict)
    practices: dict[str, dict[str, Any]] = field(default_factory=dict)
    indicators: dict[tuple[str, str, str, str], dict[str, Any]] = field(default_factory=dict)
    assets: dict[str, dict[str, Any]] = field(default_factory=dict)


def parse_place(directories: Sequence[Path], problems: Problems) -> PlaceData:
    """Read and check every file of the folders, as one place; problems are collected in
    `problems`. Files of the same kind in several folders are read as one table."""
    files = find_sources(directories, problems)
    data = PlaceData(
        name=read_place_name(directories),
        attributions=read_attributions(directories),
        files=files,
    )
    rows = {key: read_rows(MANIFEST_BY_KEY[key], paths, problems) for key, paths in files.items()}
    rows = {key: value for key, value in rows.items() if value}
    required = [key for key, source in MANIFEST_BY_KEY.items() if source.required]
    if any(key not in rows for key in required):
        return data  # the missing file or columns are already reported; references can't be checked
    lad_by_ward = _constituencies_and_wards(data, rows, problems)
    _small_areas(data, rows, problems, lad_by_ward)
    _postcodes(data, rows["postcodes"], problems)
    _primary_care(data, rows, problems)
    _indicators(data, rows, problems)
    _population_from_deprivation(data)
    _assets(data, rows.get("assets", []), problems)
    return data


IOD_POPULATION_YEAR = "mid-2015 (IoD2019)"


def _population_from_deprivation(data: PlaceData) -> None:
    """A ward with no census population (Craven has no Census 2021 rows) gets the sum of the
    IoD2019 mid-2015 population denominators of its 2011 small areas (best fit, as in the
    LSOA 2011 lookup), when every one of them has that figure."""
    by_ward: dict[str, list[int | None]] = {}
    for (code, vintage), values in data.small_areas.items():
        if vintage == 2011 and values["ward_code"]:
            population = data.deprivation.get(code, {}).get("population")
            by_ward.setdefault(values["ward_code"], []).append(population)
    for code, ward in data.wards.items():
        populations = by_ward.get(code, [])
        if ward["population"] is None and populations and None not in populations:
            ward["population"] = sum(p for p in populations if p is not None)
            ward["population_year"] = IOD_POPULATION_YEAR


def _unique(problems: Problems, kind: str, key: Any, row: Row, column: str) -> bool:
    """True the first time `key` is met in the files of `kind`; reports a repeat otherwise,
    with both places it was met (two folders' files of a kind are one table)."""
    return problems.first(kind, key, row, column)


def _known(problems: Problems, known: Any, code: str, row: Row, column: str, what: str) -> bool:
    if code and code not in known:
        problems.add(row.file, f"{code!r} is not a known {what}", row.number, column)
        return False
    return bool(code)


def _constituencies_and_wards(data: PlaceData, rows: dict, problems: Problems) -> dict[str, tuple]:
    lookup: dict[str, str] = {}
    lad_by_ward: dict[str, tuple[str, str]] = {}
    for row in rows["ward_constituency"]:
        ward = problems.code(row, "ward_code")
        pcon = problems.code(row, "pcon10_code")
        name = problems.text(row, "pcon10_name")
        if not (ward and pcon and _unique(problems, "ward_constituency", ward, row, "ward_code")):
            continue
        lookup[ward] = pcon
        lad_by_ward[ward] = (problems.text(row, "lad_code"), problems.text(row, "lad_name"))
        data.constituencies.setdefault(
            pcon, {"name": name, "boundary_set": "pre-2024 (2010 boundaries)", "geometry": None}
        )
    for row in rows.get("constituencies", []):
        pcon = problems.code(row, "pcon10_code")
        if _known(problems, data.constituencies, pcon, row, "pcon10_code", "constituency"):
            data.constituencies[pcon]["geometry"] = _geometry(problems, row)
    for row in rows["wards"]:
        code = problems.code(row, "ward_code")
        name = problems.text(row, "ward_name")
        lat = problems.number(row, "centroid_lat", required=False, low=-90, high=90)
        lon = problems.number(row, "centroid_long", required=False, low=-180, high=180)
        if not (code and _unique(problems, "wards", code, row, "ward_code")):
            continue
        if code not in lookup:
            problems.add(
                row.file, f"{code!r} has no row in the ward lookup", row.number, "ward_code"
            )
        pcon = lookup.get(code)
        data.wards[code] = {
            "name": name,
            "constituency_code": pcon,
            "locality": data.constituencies[pcon]["name"] if pcon else "",
            "local_authority_code": lad_by_ward.get(code, ("", ""))[0],
            "local_authority_name": lad_by_ward.get(code, ("", ""))[1],
            "latitude": lat,
            "longitude": lon,
            "geometry": _geometry(problems, row),
            "population": None,
            "population_year": "",
        }
    for row in rows["ward_constituency"]:
        ward = (row.values.get("ward_code") or "").strip()
        _known(problems, data.wards, ward, row, "ward_code", "ward (not in the ward boundaries)")
    return lad_by_ward


def _geometry(problems: Problems, row: Row) -> dict | None:
    geometry = row.geometry
    if geometry is None:
        return None
    if geometry.get("type") not in {"Polygon", "MultiPolygon", "Point"} or not isinstance(
        geometry.get("coordinates"), list
    ):
        problems.add(row.file, "geometry is not a Polygon, MultiPolygon or Point", row.number)
        return None
    return geometry


def _small_areas(data: PlaceData, rows: dict, problems: Problems, lad_by_ward: dict) -> None:
    imd_lad = {  # bad codes are reported once, by _deprivation
        row.values["lsoa11_code"].strip(): (row.values["lad19_code"], row.values["lad19_name"])
        for row in rows["imd"]
    }
    for vintage, key in ((2011, "lsoa11_lookup"), (2021, "lsoa21_lookup")):
        prefix = f"lsoa{vintage % 100}"
        for row in rows[key]:
            code = problems.code(row, f"{prefix}_code")
            ward = problems.code(row, "ward_code")
            share = problems.number(row, "ward_share_of_postcodes", required=False, low=0, high=1)
            if not (code and _unique(problems, key, code, row, f"{prefix}_code")):
                continue
            _known(problems, data.wards, ward, row, "ward_code", "ward")
            lad_code, lad_name = (
                imd_lad.get(code)
                if vintage == 2011 and code in imd_lad
                else (lad_by_ward.get(ward, ("", "")))
            )
            data.small_areas[(code, vintage)] = {
                "name": problems.text(row, f"{prefix}_name"),
                "ward_code": ward if ward in data.wards else None,
                "ward_share": share,
                "msoa_code": (row.values.get("msoa11_code") or "").strip(),
                "msoa_name": (row.values.get("msoa11_name") or "").strip(),
                "local_authority_code": lad_code,
                "local_authority_name": lad_name,
                "geometry": None,
            }
    lsoa11_codes = {code for code, vintage in data.small_areas if vintage == 2011}
    for row in rows.get("lsoa11_boundaries", []):
        code = problems.code(row, "lsoa11_code")
        if _known(
            problems,
            lsoa11_codes,
            code,
            row,
            "lsoa11_code",
            "LSOA 2011 (not in the LSOA 2011 lookup)",
        ):
            data.small_areas[(code, 2011)]["geometry"] = _geometry(problems, row)
    _deprivation(data, rows["imd"], problems)


def _deprivation(data: PlaceData, rows: list[Row], problems: Problems) -> None:
    """IMD rows; an LSOA outside the lookups (e.g. Craven) becomes a ward-less 2011 small area."""
    for row in rows:
        code = problems.code(row, "lsoa11_code")
        rank = problems.integer(row, "imd_rank", low=1, high=IMD_RANK_MAX)
        decile = problems.integer(row, "imd_decile", low=1, high=10)
        if not (code and _unique(problems, "imd", code, row, "lsoa11_code")):
            continue
        values: dict[str, Any] = {"imd_rank": rank, "imd_decile": decile, "domain_ranks": {}}
        for column, field_prefix in IMD_DOMAINS.items():
            if f"{column}_decile" in row.values:
                values[f"{field_prefix}_decile"] = problems.integer(
                    row, f"{column}_decile", required=False, low=1, high=10
                )
            if f"{column}_rank" in row.values:
                values["domain_ranks"][column] = problems.integer(
                    row, f"{column}_rank", required=False, low=1, high=IMD_RANK_MAX
                )
        if "imd_rank_within_lad" in row.values:
            values["domain_ranks"]["imd_rank_within_lad"] = problems.integer(
                row, "imd_rank_within_lad", required=False, low=1
            )
        for column, field_name in (
            ("pop_total_mid2015", "population"),
            ("pop_children_0_15_mid2015", "population_0_15"),
            ("pop_60_plus_mid2015", "population_60_plus"),
        ):
            if column in row.values:
                values[field_name] = problems.integer(row, column, required=False, low=0)
        data.deprivation[code] = values
        if (code, 2011) not in data.small_areas:
            data.small_areas[(code, 2011)] = {
                "name": problems.text(row, "lsoa11_name"),
                "ward_code": None,
                "ward_share": None,
                "msoa_code": "",
                "msoa_name": "",
                "local_authority_code": problems.text(row, "lad19_code"),
                "local_authority_name": problems.text(row, "lad19_name"),
                "geometry": None,
            }


def _postcodes(data: PlaceData, rows: list[Row], problems: Problems) -> None:
    for row in rows:
        raw = problems.text(row, "postcode")
        try:
            postcode = normalise_postcode(raw) if raw else ""
        except PostcodeError:
            problems.add(row.file, f"{raw!r} is not a UK postcode", row.number, "postcode")
            postcode = ""
        lat = problems.number(row, "lat", low=49, high=61)
        lon = problems.number(row, "long", low=-9, high=2)
        lsoa21 = problems.code(row, "lsoa21_code", required=False)
        lsoa11 = problems.code(row, "lsoa11_code", required=False)
        ward = problems.code(row, "ward_code", required=False)
        _known(problems, data.wards, ward, row, "ward_code", "ward")
        for code, vintage, column in ((lsoa21, 2021, "lsoa21_code"), (lsoa11, 2011, "lsoa11_code")):
            if code and (code, vintage) not in data.small_areas:
                problems.add(
                    row.file, f"{code!r} is not a known LSOA {vintage}", row.number, column
                )
        if not (postcode and _unique(problems, "postcodes", postcode, row, "postcode")):
            continue
        data.postcodes[postcode] = {
            "latitude": lat,
            "longitude": lon,
            "lsoa21": lsoa21 or None,
            "lsoa11": lsoa11 or None,
            "ward_code": ward or None,
        }


def _ods(problems: Problems, row: Row, column: str, *, required: bool = True) -> str:
    value = problems.text(row, column, required=required).upper()
    if value and not ODS_CODE_RE.match(value):
        problems.add(row.file, f"{value!r} is not an NHS ODS code", row.number, column)
        return ""
    return value


def _primary_care(data: PlaceData, rows: dict, problems: Problems) -> None:
    for row in rows.get("pcns", []):
        code = _ods(problems, row, "pcn_code")
        if code and _unique(problems, "pcns", code, row, "pcn_code"):
            data.pcns[code] = {"name": problems.text(row, "pcn_name")}
    has_pcn_file = bool(rows.get("pcns"))
    for row in rows.get("gp_practices", []):
        code = _ods(problems, row, "practice_code")
        pcn = _ods(problems, row, "pcn_code", required=False)
        lat = problems.number(row, "lat", required=False, low=49, high=61)
        lon = problems.number(row, "long", required=False, low=-9, high=2)
        ward = problems.code(row, "ward_code", required=False)
        in_district = _in_district(problems, row)
        if in_district:
            _known(problems, data.wards, ward, row, "ward_code", "ward")
        if pcn and not has_pcn_file:
            data.pcns.setdefault(pcn, {"name": problems.text(row, "pcn_name", required=False)})
        _known(problems, data.pcns, pcn, row, "pcn_code", "PCN")
        if not (code and _unique(problems, "gp_practices", code, row, "practice_code")):
            continue
        data.practices[code] = {
            "name": problems.text(row, "practice_name"),
            "postcode": problems.text(row, "postcode", required=False).upper(),
            "pcn_code": pcn if pcn in data.pcns else None,
            "latitude": lat,
            "longitude": lon,
            "ward_code": ward if ward in data.wards else None,
            "in_district": in_district,
        }


def _in_district(problems: Problems, row: Row) -> bool:
    """`in_district` (or the place-named `in_<place>_district`) yes/no; yes when absent."""
    column = next((c for c in row.values if re.fullmatch(r"in_(\w+_)?district", c)), None)
    if column is None:
        return True
    value = problems.text(row, column, required=False).lower()
    if value not in {"", "yes", "no", "true", "false", "1", "0"}:
        problems.add(row.file, f"{value!r} is not yes or no", row.number, column)
    return value not in {"no", "false", "0"}


def _indicators(data: PlaceData, rows: dict, problems: Problems) -> None:
    lsoa21_codes = {code for code, vintage in data.small_areas if vintage == 2021}
    for key, period, known_type in (
        ("census_ward", "2021", "ward"),
        ("census_lsoa21", "2021", "lsoa21"),
    ):
        for row in rows.get(key, []):
            area_type = problems.text(row, "area_type")
            code = problems.code(row, "area_code")
            if area_type == known_type:
                known = data.wards if known_type == "ward" else lsoa21_codes
                if not _known(problems, known, code, row, "area_code", known_type):
                    continue
            for column in row.values:
                if column.startswith("ward_population"):
                    population = problems.integer(row, column, required=False, low=0)
                    if area_type == "ward" and code in data.wards and population is not None:
                        data.wards[code]["population"] = population
                        data.wards[code]["population_year"] = re.sub(
                            r"^mid(\d{4})$", r"mid-\1", column.rsplit("_", 1)[-1]
                        )
                elif not TEXT_COLUMN_RE.search(column) and column != "area_type":
                    _indicator(data, problems, row, area_type, code, column, period, "Census 2021")
    for row in rows.get("constituency_indicators", []):
        code = problems.code(row, "pcon_code")
        value = problems.number(row, "value")
        indicator = problems.text(row, "indicator")
        sex = (row.values.get("sex") or "").strip()
        if sex and sex not in {"all", "persons"}:
            indicator = f"{indicator}_{sex}"
        key = ("constituency", code, indicator, problems.text(row, "period", required=False))
        unique = _unique(problems, "constituency_indicators", key, row, "indicator")
        if code and indicator and value is not None and unique:
            data.indicators[key] = {
                "area_name": problems.text(row, "pcon_name"),
                "value": value,
                "unit": _unit(indicator),
                "source": (row.values.get("source_note") or row.file)[:300],
            }
    for row in rows.get("ward_summary", []):
        code = problems.code(row, "ward_code")
        if _known(problems, data.wards, code, row, "ward_code", "ward"):
            for column in row.values:
                if not TEXT_COLUMN_RE.search(column):
                    source = f"{row.file} (derived)"
                    _indicator(data, problems, row, "ward", code, column, "", source)


def _indicator(
    data: PlaceData,
    problems: Problems,
    row: Row,
    area_type: str,
    code: str,
    column: str,
    period: str,
    source: str,
) -> None:
    value = problems.number(row, column, required=False)
    if value is None or not code:
        return
    data.indicators[(area_type, code, column, period)] = {
        "area_name": (row.values.get("area_name") or row.values.get("ward_name") or "").strip(),
        "value": value,
        "unit": _unit(column),
        "source": source,
    }


def _unit(indicator: str) -> str:
    if indicator.startswith("pct_") or indicator.endswith("_pct"):
        return "%"
    for suffix, unit in (
        ("_rate", "proportion"),
        ("_count", "count"),
        ("_years", "years"),
        ("_per_10k_pop", "per 10,000"),
        ("_rank", "rank"),
    ):
        if indicator.endswith(suffix):
            return unit
    return ""


ASSET_FIELDS = {"osm_type", "osm_id", "name", "category", "ward_code", "ward_name"}


def _assets(data: PlaceData, rows: list[Row], problems: Problems) -> None:
    for row in rows:
        osm_ref = f"{problems.text(row, 'osm_type')}/{problems.text(row, 'osm_id')}"
        coordinates = (row.geometry or {}).get("coordinates")
        if (row.geometry or {}).get("type") != "Point" or not isinstance(coordinates, list):
            problems.add(row.file, "geometry must be a Point", row.number)
            continue
        lon, lat = coordinates[:2]
        if not (isinstance(lat, (int, float)) and -90 <= lat <= 90 and -180 <= lon <= 180):
            problems.add(row.file, f"{coordinates!r} is not a lon/lat point", row.number)
            continue
        ward = problems.code(row, "ward_code", required=False)
        _known(problems, data.wards, ward, row, "ward_code", "ward")
        if not _unique(problems, "assets", osm_ref, row, "osm_id"):
            continue
        tags = {
            k: v for k, v in row.values.items() if k not in ASSET_FIELDS and v not in ("", None)
        }
        postcode = str(tags.get("nearest_postcode") or tags.get("addr_postcode") or "")[:8]
        data.assets[osm_ref] = {
            "name": problems.text(row, "name")[:255],
            "category": problems.text(row, "category")[:40],
            "latitude": float(lat),
            "longitude": float(lon),
            "postcode": postcode,
            "ward_code": ward if ward in data.wards else None,
            "tags": tags,
        }
