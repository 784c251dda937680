"""Demo staff, people and referrals for the default place, so a newcomer can try every role.

Only for development (refused unless DEBUG or LINKWELL_DEV): the accounts have a known
password. Everything invented is marked: people are `is_demo` with 999-prefixed NHS numbers
(never issued to real patients); the staff are demo users (`is_demo`: in development only,
they sign in with the password alone) of the real partner organisations that the demo
directory already names; a GP practice organisation is made for one real practice
(from the place data) and marked demo, since no practice has joined.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from linkwell.accounts.actions import create_organisation, create_user, grant_role
from linkwell.accounts.models import Organisation, OrganisationKind, Role
from linkwell.directory.models import Service
from linkwell.places.models import GPPractice
from linkwell.referrals import actions
from linkwell.referrals.models import (
    CapacityMode,
    ConsentPurpose,
    EncounterKind,
    Person,
    Programme,
    Urgency,
)

VIA = "command load_demo_referrals"
DEMO_PRACTICE_CODE = "B83005"  # Thornbury Medical Practice, Bradford (place data)
# (username, role, partner organisation name as in the demo directory)
STAFF = [
    ("demo-firefighter", Role.PRACTITIONER, "West Yorkshire Fire and Rescue Service"),
    ("demo-housing", Role.PRACTITIONER, "Incommunities"),
    ("demo-gp", Role.PRACTITIONER, None),  # the demo GP practice
    ("demo-connector", Role.CONNECTOR, "HALE (Health Action Local Engagement)"),
    ("demo-provider", Role.PROVIDER_EDITOR, "Bradford District Care NHS Foundation Trust"),
    ("demo-analyst", Role.ANALYST, "Bradford Council"),
    ("demo-admin", Role.PARTNERSHIP_ADMIN, "Bradford Council"),
]
PEOPLE = [  # invented names; NHS numbers valid by Modulus 11 in the 999 test range
    ("Ada", "Demo-Okafor", dt.date(1941, 5, 2), "9990000018", "BD3 7HZ"),
    ("Bilal", "Demo-Hussain", dt.date(1958, 11, 19), "9990000026", "BD8 7DH"),
    ("Cath", "Demo-Jones", dt.date(1936, 2, 7), "9990000034", "BD21 1AA"),
    ("Danuta", "Demo-Nowak", dt.date(1972, 8, 30), "9990000042", "BD3 7HZ"),
]


class DemoRefused(RuntimeError):
    pass


@dataclass
class Loaded:
    users: list[str]
    people: int
    referrals: int
    password: str


def load_demo_referrals(password: str) -> Loaded:
    if not (settings.DEBUG or getattr(settings, "DEVELOPMENT", False)):
        raise DemoRefused("Demo accounts have a known password: development only (LINKWELL_DEV=1).")
    with transaction.atomic():
        users = _staff(password)
        _programme_and_capacity(users)
        people, referrals = _people_and_referrals(users)
    return Loaded(sorted(users), people, referrals, password)


def _organisation(name: str | None) -> Organisation:
    if name is None:
        practice = GPPractice.objects.filter(code=DEMO_PRACTICE_CODE).first()
        label = practice.name.title() if practice else "Demo GP practice"
        found = Organisation.objects.filter(ods_code=DEMO_PRACTICE_CODE, parent=None).first()
        return found or create_organisation(
            actor=None,
            name=label,
            kind=OrganisationKind.GP_PRACTICE,
            ods_code=DEMO_PRACTICE_CODE,
            is_demo=True,
            via=VIA,
        )
    found = Organisation.objects.filter(name=name, parent=None).first()
    return found or create_organisation(
        actor=None, name=name, kind=OrganisationKind.OTHER, is_demo=True, via=VIA
    )


def _staff(password: str) -> dict:
    users = {}
    model = get_user_model()
    for username, role, org_name in STAFF:
        user = model.objects.filter(username=username).first()
        if user is None:
            user = create_user(
                actor=None,
                username=username,
                password=password,
                email=f"{username}@example.org",
                first_name="Demo",
                is_demo=True,
                via=VIA,
            )
        else:
            user.set_password(password)
            user.is_demo = True
            user.save(update_fields=["password", "is_demo"])
        grant_role(actor=None, user=user, organisation=_organisation(org_name), role=role, via=VIA)
        users[username] = user
    return users


def _service(name: str) -> Service | None:
    return Service.objects.filter(name=name).first()


def _programme_and_capacity(users: dict) -> None:
    connectors = _service("Community Connector (Bradford)")
    if connectors is not None:
        Programme.objects.get_or_create(service=connectors)
    lunch = (
        Service.objects.filter(name__startswith="Champions Show the Way lunch club")
        .order_by("name")
        .first()
    )
    if lunch is not None:
        actions.set_capacity(
            lunch, actor=users["demo-admin"], via=VIA, mode=CapacityMode.PLACES, places=2
        )


def _people_and_referrals(users: dict) -> tuple[int, int]:
    if Person.objects.filter(is_demo=True).exists():
        return Person.objects.filter(is_demo=True).count(), 0
    ff, gp = users["demo-firefighter"], users["demo-gp"]
    falls = _service("Falls Prevention Team")
    connectors = _service("Community Connector (Bradford)")
    people = []
    for given, family, birth, nhs, postcode in PEOPLE:
        person = actions.register_person(
            actions.PersonDetails(
                given_name=given,
                family_name=family,
                birth_date=birth,
                nhs_number=nhs,
                postcode=postcode,
                gp_practice_code=DEMO_PRACTICE_CODE,
                is_demo=True,
            ),
            actor=gp if len(people) % 2 else ff,
            via=VIA,
            confirm_new=True,
        )
        people.append(person)
    made = 0
    ada = people[0]
    if falls is not None:
        visit = actions.record_encounter(
            ada,
            actor=ff,
            via=VIA,
            kind=EncounterKind.SAFE_AND_WELL,
            needs=[("falls_frailty", Urgency.SOON), ("loneliness", Urgency.ROUTINE)],
            note="Demo: lives alone, two falls this year.",
        )
        actions.record_consent(
            ada,
            ConsentPurpose.SHARE_WITH_SERVICE,
            actor=ff,
            via=VIA,
            service=falls,
            how="verbally at the visit",
        )
        actions.record_consent(ada, ConsentPurpose.CONTACT_PHONE, actor=ff, via=VIA)
        actions.make_referral(
            actor=ff,
            via=VIA,
            person=ada,
            service=falls,
            need="falls_frailty",
            encounter=visit,
            reason="Demo: two falls this year; would like a home assessment.",
        )
        made += 1
    if connectors is not None:
        for person in people[1:]:
            actions.record_consent(
                person, ConsentPurpose.SHARE_WITH_SERVICE, actor=gp, via=VIA, service=connectors
            )
            actions.record_consent(person, ConsentPurpose.TELL_GP_AND_REFERRER, actor=gp, via=VIA)
            actions.make_referral(
                actor=gp,
                via=VIA,
                person=person,
                service=connectors,
                need="loneliness",
                reason="Demo: feels isolated.",
            )
            made += 1
    return len(people), made
