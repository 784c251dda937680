"""A partnership admin imports a partner's sheet on a phone: uploads it to be checked, reads the
one row that is wrong, imports the rows that are right without uploading it again, and sees
the new service in the directory. Jobs run inline here, as in the demo: the worker's part is
tested in linkwell/directory/tests/test_import_uploads.py. Each page passes axe and nothing
scrolls sideways at 390 or 320 pixels."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import signing_in
from tests.e2e.test_staff_home import check

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture
def partnership_admin(directory_data, settings):
    from linkwell.accounts.actions import create_organisation, create_user, grant_role
    from linkwell.accounts.models import OrganisationKind, Role

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    council = create_organisation(
        actor=None, name="Partnership office (test)", kind=OrganisationKind.COUNCIL
    )
    admin = create_user(actor=None, username="partnership-admin", password=PASSWORD)
    grant_role(actor=None, user=admin, organisation=council, role=Role.PARTNERSHIP_ADMIN)
    return admin


def _sheet(tmp_path) -> str:
    from linkwell.directory.tests.import_support import sheet_csv

    path = tmp_path / "shipley-trust.csv"
    path.write_bytes(
        sheet_csv(
            {"partner": "Shipley Trust", "service": "Shipley men's shed"},
            {"partner": "Shipley Trust", "service": "Walk", "tier": "9"},
        )
    )
    return str(path)


def test_an_admin_checks_a_sheet_then_imports_its_good_rows(
    phone_page: Page, partnership_admin, tmp_path
):
    page = phone_page
    signing_in.sign_in(page, "partnership-admin", PASSWORD, "/imports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import services")
    check(page)

    page.get_by_role("button", name="Upload").click()  # nothing chosen yet
    expect(page.locator(".error-summary")).to_contain_text("Choose the file of services")
    check(page)

    page.get_by_label("File of services").set_input_files(_sheet(tmp_path))
    page.get_by_label("Check the file only").check()
    page.get_by_role("button", name="Upload").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Import of shipley-trust.csv")
    expect(page.locator("#import-state")).to_contain_text("Checked, and nothing was changed")
    expect(page.get_by_role("table")).to_contain_text("3")
    check(page)

    page.get_by_role("button", name="Import the rows that are right").click()
    expect(page.locator("#import-state")).to_contain_text("New services: 1")
    check(page)

    page.goto("/services/?q=shipley+men%27s+shed")
    expect(page.get_by_role("link", name="Shipley men's shed")).to_be_visible()
