"""Partners' service-mapping spreadsheets (CSV or XLSX), as the 2017 review asked for them.

One row per service: partner, service, annual cost, internal or external commissioning, the
tier in the partner's own scheme, where it is based and the area it covers, and so on (see
`COLUMNS` and docs/templates/service-mapping-template.csv). Headers are matched forgivingly;
every bad cell is reported with the row number Excel shows and the column's own heading.
"""

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from linkwell.directory.importers import values
from linkwell.directory.importers.lookups import (
    LIFE_STAGE_LOOKUP,
    NEED_LOOKUP,
    AreaError,
    Lookups,
    squash,
)
from linkwell.directory.importers.problems import ImportSourceError, Problem
from linkwell.directory.records import (
    AddressRecord,
    ContactRecord,
    LocationRecord,
    OrganizationRecord,
    PhoneRecord,
    ServiceAreaRecord,
    ServiceRecord,
    TermRef,
)
from linkwell.places.queries import PostcodeError, normalise_postcode

DEFAULT_SCHEME = "operating-model"


@dataclass(frozen=True)
class Column:
    key: str
    heading: str  # as written in the template and the export
    aliases: tuple[str, ...] = ()
    required: bool = False


COLUMNS = (
    Column("partner", "Partner", ("organisation", "organization", "partner organisation"), True),
    Column("department", "Department", ("directorate", "team")),
    Column("service", "Service", ("service name", "name"), True),
    Column("description", "Description", ("what it does",)),
    Column("annual_cost", "Annual cost (GBP)", ("cost", "service cost", "annual cost gbp")),
    Column("commissioning", "Commissioning (internal or external)", ("internal or external",)),
    Column("tier", "Tier (in your scheme)", ("tier", "level", "tier of intervention")),
    Column("tier_scheme", "Tier scheme", ("scheme",)),
    Column("address", "Where based: address", ("address", "where based", "base address")),
    Column("postcode", "Where based: postcode", ("postcode", "post code", "base postcode")),
    Column(
        "area",
        "Area covered",
        ("area", "areas covered", "coverage", "wards", "where covered", "service area"),
    ),
    Column("life_stage", "Life stage", ("life stages",)),
    Column("needs", "Needs", ("need codes", "needs met")),
    Column("funding", "Funding (recurrent or short-term)", ("funding", "funding type")),
    Column("website", "Website", ("url", "web site", "web")),
    Column("phone", "Phone", ("telephone", "phone number")),
    Column("email", "Email", ("email address", "e-mail")),
    Column("evidence", "Evidence rating", ("evidence", "eif rating")),
    Column("last_reviewed", "Last reviewed", ("reviewed", "assured date", "last checked")),
)
HEADINGS = [c.heading for c in COLUMNS]


def _header_key(text: object) -> str:
    """'Annual cost (£) ' -> 'annual cost': what a heading is matched on."""
    text = re.sub(r"\(.*?\)", " ", str(text or ""))
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


_BY_HEADER: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.heading, _column.key, *_column.aliases):
        _BY_HEADER.setdefault(_header_key(_name), _column.key)
        _BY_HEADER.setdefault(_header_key(_name).replace(" ", ""), _column.key)


@dataclass
class Sheet:
    rows: Iterator[tuple[int, dict[str, Any]]]  # (Excel row number, cells by column key)
    headings: dict[str, str]  # column key -> 'Heading (column C)'
    total: int | None


def open_sheet(path: str) -> Sheet:
    """Rows of a CSV or XLSX file. Raises ImportSourceError if it cannot be a mapping sheet."""
    file = Path(path)
    if not file.is_file():
        raise ImportSourceError(f"{path}: no such file")
    suffix = file.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raw = _xlsx_rows(file)
    elif suffix in (".csv", ".txt"):
        raw = _csv_rows(file)
    else:
        raise ImportSourceError(f"{path}: expected a .csv or .xlsx file")
    for header_row, header in raw:  # noqa: B007 (used after the loop)
        if any(str(cell or "").strip() for cell in header):
            break
    else:
        raise ImportSourceError(f"{path}: the sheet is empty")
    positions: dict[int, str] = {}
    headings: dict[str, str] = {}
    for index, cell in enumerate(header):
        key = _BY_HEADER.get(_header_key(cell)) or _BY_HEADER.get(
            _header_key(cell).replace(" ", "")
        )
        if key and key not in headings:
            positions[index] = key
            headings[key] = f"{str(cell).strip()} (column {get_column_letter(index + 1)})"
    missing = [c.heading for c in COLUMNS if c.required and c.key not in headings]
    if missing:
        raise ImportSourceError(
            f"{path}: row {header_row} has no column for {', '.join(missing)} "
            "(see docs/templates/service-mapping-template.csv)"
        )

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for number, cells in raw:
            if not any(str(c).strip() for c in cells if c is not None):
                continue
            yield (
                number,
                {
                    key: cells[index] if index < len(cells) else None
                    for index, key in positions.items()
                },
            )

    return Sheet(rows(), headings, _estimate_rows(file, suffix, header_row))


def _csv_rows(file: Path) -> Iterator[tuple[int, list[Any]]]:
    def read() -> Iterator[tuple[int, list[Any]]]:
        try:
            with file.open(newline="", encoding="utf-8-sig") as handle:
                yield from enumerate(csv.reader(handle), start=1)
        except UnicodeDecodeError as error:
            raise ImportSourceError(f"{file}: not UTF-8 text ({error.reason})") from None

    return read()


def _xlsx_rows(file: Path) -> Iterator[tuple[int, list[Any]]]:
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        raise ImportSourceError(f"{file}: not a readable .xlsx file ({error})") from None

    def read() -> Iterator[tuple[int, list[Any]]]:
        try:
            sheet = book.worksheets[0]
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(cells)
        finally:
            book.close()

    return read()


def _estimate_rows(file: Path, suffix: str, header_row: int) -> int | None:
    if suffix != ".csv":
        return None
    with file.open("rb") as handle:
        return max(sum(1 for _ in handle) - header_row, 0)


def read_sheet(
    sheet: Sheet, lookups: Lookups, *, scheme: str = "", source: str = ""
) -> Iterator[tuple[int, ServiceRecord | None, list[Problem]]]:
    for number, cells in sheet.rows:
        yield (number, *map_row(number, cells, sheet.headings, lookups, scheme, source))


def _text(cells: dict[str, Any], key: str) -> str:
    value = cells.get(key)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,\n]", text) if part.strip()]


def map_row(
    number: int,
    cells: dict[str, Any],
    headings: dict[str, str],
    lookups: Lookups,
    default_scheme: str = "",
    source: str = "",
) -> tuple[ServiceRecord | None, list[Problem]]:
    """The record for one spreadsheet row, or None and every problem in it."""
    problems: list[Problem] = []

    def bad(key: str, reason: str) -> None:
        problems.append(Problem(number, headings.get(key, key), reason))

    def parsed(key: str, parse: Any, default: Any = None) -> Any:
        try:
            result = parse(cells.get(key))
        except ValueError as error:
            bad(key, str(error))
            return default
        return default if result is None else result

    partner, service = _text(cells, "partner"), _text(cells, "service")
    if not partner:
        bad("partner", "is required")
    if not service:
        bad("service", "is required")
    record = ServiceRecord(
        name=service[:255],
        organization=OrganizationRecord(
            name=partner[:255], description=partner, partner_name=partner
        ),
        description=_text(cells, "description"),
        partner_name=partner,
        department_name=_text(cells, "department"),
        annual_cost=parsed("annual_cost", values.parse_money),
        commissioning=parsed("commissioning", values.parse_commissioning, ""),
        funding_type=parsed("funding", values.parse_funding_type, ""),
        evidence_rating=parsed("evidence", values.parse_evidence, "not_rated"),
        url=parsed("website", values.parse_url, ""),
        email=parsed("email", values.parse_email, ""),
        assured_date=parsed("last_reviewed", values.parse_date),
        source=source,
    )
    if tier := _text(cells, "tier"):
        scheme = _text(cells, "tier_scheme") or default_scheme or DEFAULT_SCHEME
        try:
            record.tier_in_scheme, record.tier = lookups.tier(scheme, tier)
            record.tier_scheme_key = scheme
        except ValueError as error:
            bad("tier_scheme" if "unknown tier scheme" in str(error) else "tier", str(error))
    if phone := _text(cells, "phone"):
        if len(re.sub(r"\D", "", phone)) < 6 or re.search(r"[^\d\s+()\-]", phone):
            bad("phone", f"{phone!r} is not a phone number")
        else:
            record.contacts.append(ContactRecord(phones=[PhoneRecord(number=phone[:50])]))
    _where_based(cells, record, bad)
    for part in _split(_text(cells, "area")):
        try:
            area = lookups.area(part)
        except AreaError as error:
            bad("area", str(error))
            continue
        record.service_areas.append(
            ServiceAreaRecord(
                name=area.name,
                ward_code=area.ward_code,
                constituency_code=area.constituency_code,
                whole_place=area.whole_place,
            )
        )
    for key, lookup, taxonomy in (
        ("needs", NEED_LOOKUP, "linkwell-needs"),
        ("life_stage", LIFE_STAGE_LOOKUP, "linkwell-life-stages"),
    ):
        known = lookup.values()
        for part in _split(_text(cells, key)):
            code = lookup.get(squash(part))
            if code is None:
                bad(
                    key,
                    f"{part!r} is not a known code (known: {', '.join(sorted(set(known)))})",
                )
            else:
                record.terms.append(TermRef(taxonomy, code))
    return (None, problems) if problems else (record, [])


def _where_based(cells: dict[str, Any], record: ServiceRecord, bad: Any) -> None:
    address, postcode = _text(cells, "address"), _text(cells, "postcode")
    if postcode:
        try:
            postcode = normalise_postcode(postcode)
        except PostcodeError as error:
            bad("postcode", str(error))
            return
    if not (address or postcode):
        return
    location = LocationRecord(postcode=postcode)
    if address:
        parts = [p.strip() for p in address.split(",") if p.strip()]
        location.addresses.append(
            AddressRecord(
                address_1=parts[0],
                address_2=", ".join(parts[1:-1]),
                city=parts[-1] if len(parts) > 1 else "",
                postal_code=postcode,
            )
        )
    record.locations.append(location)
