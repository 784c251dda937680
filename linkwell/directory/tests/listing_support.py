"""Personas and a listing for the provider-editing tests: editors at Alpha and Beta, a
practitioner, a partnership admin, and one Alpha service built through save_services."""

import pytest

from linkwell.accounts.actions import create_organisation, create_user, grant_role
from linkwell.accounts.models import OrganisationKind, Role
from linkwell.directory.records import CostOptionRecord
from linkwell.directory.tests.page_services import make_services, service_record

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alpha(db):
    return create_organisation(actor=None, name="Alpha Trust", kind=OrganisationKind.VOLUNTARY)


@pytest.fixture
def beta(db):
    return create_organisation(actor=None, name="Beta Trust", kind=OrganisationKind.VOLUNTARY)


def person(username, role=None, organisation=None):
    user = create_user(
        actor=None, username=username, password=PASSWORD, email=f"{username}@example.org"
    )
    if role:
        grant_role(actor=None, user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def alpha_editor(alpha):
    return person("alpha_editor", Role.PROVIDER_EDITOR, alpha)


@pytest.fixture
def beta_editor(beta):
    return person("beta_editor", Role.PROVIDER_EDITOR, beta)


@pytest.fixture
def practitioner(alpha):
    return person("practitioner", Role.PRACTITIONER, alpha)


@pytest.fixture
def admin_user(beta):
    return person("admin", Role.PARTNERSHIP_ADMIN, beta)


@pytest.fixture
def service(place_data, alpha):
    """An Alpha service: a Tuesday lunch club at BD1 1AA."""
    record = service_record(
        "Alpha Lunch Club",
        partner_name="Alpha Trust",
        cost_options=[CostOptionRecord(option="Free")],
    )
    (found,) = make_services(record)
    return found


def edit_data(service, **changes) -> dict:
    """What the edit form posts when nothing is touched, with `changes` applied.

    Keys are form field names ("name", "locations-0-postcode", "times-0-opens_at"...).
    """
    from linkwell.directory.listings.records import current_listing
    from linkwell.web.listings.forms import (
        listing_initial,
        locations_initial,
        times_initial,
    )

    listing = current_listing(service)
    data: dict = {"base_version": service.updated_at.isoformat()}
    for key, value in listing_initial(listing).items():
        if value is None:
            continue
        data[key] = value
    locations = locations_initial(listing)
    for i, row in enumerate(locations):
        for key, value in row.items():
            data[f"locations-{i}-{key}"] = "" if value is None else str(value)
    data.update(
        {
            "locations-TOTAL_FORMS": str(len(locations) + 1),
            "locations-INITIAL_FORMS": str(len(locations)),
        }
    )
    times = times_initial(listing)
    for i, row in enumerate(times):
        data[f"times-{i}-place"] = "" if row["place"] is None else str(row["place"])
        data[f"times-{i}-days"] = row["days"]
        data[f"times-{i}-opens_at"] = row["opens_at"].strftime("%H:%M")
        data[f"times-{i}-closes_at"] = row["closes_at"].strftime("%H:%M")
    data.update({"times-TOTAL_FORMS": str(len(times) + 1), "times-INITIAL_FORMS": str(len(times))})
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def errors_in(response) -> list[str]:
    """The messages of a page's error summary, as the person reads them."""
    import re

    html = response.content.decode()
    summary = (
        html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
        if ('class="error-summary"' in html)
        else ""
    )
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", summary)]
