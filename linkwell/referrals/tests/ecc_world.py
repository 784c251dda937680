"""The issue 4 world, built through the actions: partners, their staff, the services people
are referred to and one person (999-prefixed NHS number: test data only).

- Bradford Fire (fire): `firefighter`; Housing Trust (housing): `housing_officer`
- Thornbury Medical Practice (GP practice, ODS B83005): `gp`
- Connect Well (voluntary): `connector`, runs "Community Connectors" (a programme, cap 2
  a practice for these tests)
- Falls Team (NHS trust): `falls_editor`, runs "Falls prevention" (open)
- Good Company (voluntary): `lunch_editor`, runs "Lunch club" (1 place a week)
- Partnership: `admin`; `analyst` at the practice; `outsider` with no role
Import the fixtures into a conftest (`from ...ecc_world import *  # noqa`).
"""

import datetime as dt

import pytest

from linkwell.accounts.actions import create_organisation, create_user, grant_role
from linkwell.accounts.models import OrganisationKind, Role
from linkwell.directory.tests.page_services import make_service
from linkwell.referrals import actions
from linkwell.referrals.models import CapacityMode, ConsentPurpose, Programme

PASSWORD = "correct-horse-battery-staple-42"
NHS_NUMBERS = ["9990000018", "9990000026", "9990000034", "9990000042", "9990000050"]
PRACTICE_CODE = "B83005"


@pytest.fixture
def world(db, place_data, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def org(name, kind, **extra):
        return create_organisation(actor=None, name=name, kind=kind, **extra)

    def user(username, role, organisation):
        person = create_user(
            actor=None, username=username, password=PASSWORD, email=f"{username}@partner.test"
        )
        if role:
            grant_role(actor=None, user=person, organisation=organisation, role=role)
        return person

    fire = org("Bradford Fire", OrganisationKind.FIRE)
    housing = org("Housing Trust", OrganisationKind.HOUSING)
    practice = org(
        "Thornbury Medical Practice", OrganisationKind.GP_PRACTICE, ods_code=PRACTICE_CODE
    )
    connect = org("Connect Well", OrganisationKind.VOLUNTARY)
    falls_team = org("Falls Team", OrganisationKind.NHS_TRUST)
    good_company = org("Good Company", OrganisationKind.VOLUNTARY)
    partnership = org("The Partnership", OrganisationKind.OTHER)
    w = {
        "fire": fire,
        "practice": practice,
        "firefighter": user("firefighter", Role.PRACTITIONER, fire),
        "housing_officer": user("housing_officer", Role.PRACTITIONER, housing),
        "gp": user("gp", Role.PRACTITIONER, practice),
        "connector": user("connector", Role.CONNECTOR, connect),
        "falls_editor": user("falls_editor", Role.PROVIDER_EDITOR, falls_team),
        "lunch_editor": user("lunch_editor", Role.PROVIDER_EDITOR, good_company),
        "admin": user("admin", Role.PARTNERSHIP_ADMIN, partnership),
        "analyst": user("analyst", Role.ANALYST, practice),
        "outsider": user("outsider", None, None),
    }
    w["falls"] = make_service("Falls prevention", partner_name="Falls Team", minimum_age=None)
    w["lunch"] = make_service("Lunch club", partner_name="Good Company", minimum_age=None)
    w["connectors"] = make_service(
        "Community Connectors", partner_name="Connect Well", minimum_age=None
    )
    Programme.objects.create(service=w["connectors"], practice_cap=2, programme_cap=1300)
    actions.set_capacity(
        w["lunch"], actor=w["lunch_editor"], via="test", mode=CapacityMode.PLACES, places=1
    )
    w["person"] = new_person(w["firefighter"], "Ada", "Okafor", NHS_NUMBERS[0])
    return w


def new_person(actor, given, family, nhs="", birth=dt.date(1941, 5, 2), postcode="BD3 7HZ"):
    return actions.register_person(
        actions.PersonDetails(
            given_name=given,
            family_name=family,
            birth_date=birth,
            nhs_number=nhs,
            postcode=postcode,
            phone="07700 900123",
            gp_practice_code=PRACTICE_CODE,
        ),
        actor=actor,
        via="test",
    )


def consent_to(actor, person, *services, contact=True, tell_gp=True):
    for service in services:
        actions.record_consent(
            person, ConsentPurpose.SHARE_WITH_SERVICE, actor=actor, via="test", service=service
        )
    if contact:
        actions.record_consent(person, ConsentPurpose.CONTACT_PHONE, actor=actor, via="test")
    if tell_gp:
        actions.record_consent(person, ConsentPurpose.TELL_GP_AND_REFERRER, actor=actor, via="test")


def refer(actor, person, service, **extra):
    return actions.make_referral(
        actor=actor, via="test", person=person, service=service, **extra
    ).referral
