import csv
import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from linkwell.directory import models as m
from linkwell.directory.importers.problems import ImportSourceError
from linkwell.directory.importers.runner import import_spreadsheet
from linkwell.directory.importers.spreadsheet import COLUMNS, HEADINGS

pytestmark = pytest.mark.django_db


def row(**cells):
    """A template row, cells given by column key (see spreadsheet.COLUMNS)."""
    by_key = {c.key: c.heading for c in COLUMNS}
    values = {"partner": "Test Council", "service": "Test service"} | cells
    return {by_key[k]: v for k, v in values.items()}


def write_csv(path, rows, headings=HEADINGS):
    with path.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=headings)
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


CROSSWALK = [
    ("operating-model", "3", 3),
    ("review-2017", "0", 1),
    ("review-2017", "1", 2),
    ("review-2017", "acute", 4),
    ("accountable-care-board", "Self care prevention", 1),
    ("accountable-care-board", "primary", 2),
    ("accountable-care-board", "ACUTE", 4),
    ("childrens-threshold", "2", 2),
    ("childrens-threshold", "3", 3),
]


def test_each_partner_scheme_is_crosswalked_into_the_operating_model(tmp_path, place_data, user):
    rows = [
        row(service=f"Service {i}", tier=level, tier_scheme=scheme)
        for i, (scheme, level, _tier) in enumerate(CROSSWALK)
    ]

    report = import_spreadsheet(write_csv(tmp_path / "map.csv", rows), actor=user)

    assert report.problems == []
    tiers = dict(m.Service.objects.values_list("name", "tier"))
    assert tiers == {f"Service {i}": tier for i, (_s, _l, tier) in enumerate(CROSSWALK)}
    service = m.Service.objects.get(name="Service 3")
    assert (service.tier_scheme.key, service.tier_in_scheme) == ("review-2017", "acute")


def test_the_scheme_option_applies_to_rows_that_name_no_scheme(tmp_path, place_data, user):
    path = write_csv(tmp_path / "map.csv", [row(tier="0")])

    import_spreadsheet(path, actor=user, scheme="review-2017")

    assert m.Service.objects.get().tier == 1


def test_a_full_row_is_mapped_onto_the_service(tmp_path, place_data, user):
    full = row(
        department="Public Health",
        description="Stop smoking sessions.",
        annual_cost="£12,500.50",
        commissioning="Internal",
        tier="2",
        tier_scheme="review-2017",
        address="1 Test Street, Bradford",
        postcode="bd1 1aa",
        area="City; Shipley constituency; E05001341",
        life_stage="Living Well",
        needs="smoking, mental_wellbeing",
        funding="Short-term",
        website="www.example.org",
        phone="01274 000000",
        email="stop@example.org",
        evidence="EIF 3",
        last_reviewed="31/03/2026",
    )

    report = import_spreadsheet(write_csv(tmp_path / "map.csv", [full]), actor=user)

    assert report.problems == []
    service = m.Service.objects.get()
    assert (service.partner.name, service.department.name) == ("Test Council", "Public Health")
    assert service.organization.name == "Test Council"
    assert str(service.annual_cost) == "12500.50"
    assert (service.commissioning, service.funding_type) == ("internal", "short_term")
    assert (service.tier, service.evidence_rating) == (3, "eif_3")
    assert service.url == "https://www.example.org"
    assert service.assured_date.isoformat() == "2026-03-31"
    location = service.service_at_locations.get().location
    assert (location.postcode, location.ward.name) == ("BD1 1AA", "City")
    assert location.addresses.get().address_1 == "1 Test Street"
    areas = service.service_areas.order_by("name")
    assert [(a.name, a.ward_id is not None) for a in areas] == [
        ("Baildon", True),
        ("City", True),
        ("Shipley", False),
    ]
    codes = set(service.attributes.values_list("taxonomy_term__code", flat=True))
    assert codes == {"smoking", "mental_wellbeing", "living_well"}
    assert service.phones.get().number == "01274 000000"


def test_an_xlsx_with_loosely_written_headings_is_read(tmp_path, place_data, user):
    book = Workbook()
    sheet = book.active
    sheet.append(["  PARTNER ", "service name", "Annual Cost (£)", "Internal or external", "Tier"])
    sheet.append(["Test Council", "Lunch club", 900, "external", "acute"])
    sheet.append([None, None, None, None, None])
    sheet.append(["Test Council", "Advice line", "1,000", "internal", "primary"])
    book.save(tmp_path / "map.xlsx")

    report = import_spreadsheet(
        str(tmp_path / "map.xlsx"), actor=user, scheme="accountable-care-board"
    )

    assert (report.created, report.problems) == (2, [])
    assert dict(m.Service.objects.values_list("name", "tier")) == {
        "Lunch club": 4,
        "Advice line": 2,
    }
    assert m.Service.objects.get(name="Lunch club").annual_cost == 900


def test_every_bad_row_is_reported_with_its_excel_row_column_and_reason(tmp_path, place_data, user):
    rows = [
        row(service="Good one"),
        row(annual_cost="a lot"),
        row(tier="7", tier_scheme="review-2017"),
        row(tier="1", tier_scheme="my-own"),
        row(area="Atlantis; Shipley"),
        row(postcode="BD99"),
        row(needs="loneliness; flying"),
        row(service=""),
        row(commissioning="both", email="nobody"),
    ]

    report = import_spreadsheet(write_csv(tmp_path / "map.csv", rows), actor=user)

    found = [(p.row, p.field) for p in report.problems]
    assert found == [
        (3, "Annual cost (GBP) (column E)"),
        (4, "Tier (in your scheme) (column G)"),
        (5, "Tier scheme (column H)"),
        (6, "Area covered (column K)"),
        (6, "Area covered (column K)"),
        (7, "Where based: postcode (column J)"),
        (8, "Needs (column M)"),
        (9, "Service (column C)"),
        (10, "Commissioning (internal or external) (column F)"),
        (10, "Email (column Q)"),
    ]
    reasons = " | ".join(p.reason for p in report.problems)
    assert "'a lot' is not an amount of money" in reasons
    assert "tier '7' is not in scheme 'review-2017'" in reasons
    assert "unknown tier scheme 'my-own'" in reasons
    assert "unknown ward or constituency 'Atlantis'" in reasons
    assert "'Shipley' is both a ward and a constituency" in reasons
    assert "'BD99' is not a valid UK postcode" in reasons
    assert "'flying' is not a known code" in reasons
    assert report.status == "refused"
    assert m.Service.objects.count() == 0


def test_partial_commits_the_good_rows_of_a_sheet(tmp_path, place_data, user):
    rows = [row(service="Good one"), row(service="Bad one", annual_cost="-5")]

    report = import_spreadsheet(write_csv(tmp_path / "map.csv", rows), actor=user, partial=True)

    assert [p.row for p in report.problems] == [3]
    assert list(m.Service.objects.values_list("name", flat=True)) == ["Good one"]


def test_a_sheet_without_a_service_column_is_refused(tmp_path, place_data, user):
    path = write_csv(tmp_path / "map.csv", [{"Partner": "Test Council"}], ["Partner", "Cost"])

    with pytest.raises(ImportSourceError, match="no column for Service"):
        import_spreadsheet(path, actor=user)


def test_the_template_imports_cleanly(place_data, user, settings):
    template = settings.BASE_DIR / "docs" / "templates" / "service-mapping-template.csv"

    report = import_spreadsheet(str(template), actor=user, dry_run=True)

    assert (report.problems, report.created) == ([], 2)


def test_an_export_reimports_to_the_same_directory(tmp_path, place_data, user, settings):
    template = settings.BASE_DIR / "docs" / "templates" / "service-mapping-template.csv"
    import_spreadsheet(str(template), actor=user)
    first = tmp_path / "first.csv"
    call_command("export_csv", "--output", str(first))

    report = import_spreadsheet(str(first), actor=user)
    second = io.StringIO()
    call_command("export_csv", stdout=second)

    assert (report.problems, report.created, report.updated) == ([], 0, 2)
    assert m.Service.objects.count() == 2
    assert second.getvalue().splitlines() == first.read_text().splitlines()


def test_the_command_imports_a_sheet_in_the_given_scheme(tmp_path, place_data, capsys):
    path = write_csv(tmp_path / "map.csv", [row(tier="acute")])

    call_command("import_spreadsheet", path, "--scheme", "review-2017", "--no-progress")

    assert m.Service.objects.get().tier == 4
    assert "1 read, 0 with problems; committed: 1 created" in capsys.readouterr().out
    assert m.ImportRun.objects.get().kind == "spreadsheet"
