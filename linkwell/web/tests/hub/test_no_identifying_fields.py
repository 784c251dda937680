"""No identifying field reaches the hub: a walk over every hub page (every link it offers,
CSV downloads included), every hub API operation in the OpenAPI document, and every row of
the hub's tables, after a refresh over people whose names, NHS numbers, birth dates,
postcodes and free text are known, finds none of them."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import URLPattern, URLResolver

PASSWORD = "correct-horse-battery-staple-42"
GIVEN, FAMILY = "Zebedee", "Quillfeather"
BIRTH = dt.date(1937, 3, 14)
NHS = "9990001235"  # valid by Modulus 11 (the action checks), in the 999 test range
POSTCODE = "BD10 0AA"
TEXTS = {
    "encounter": "Mentioned the marmalade incident on the landing",
    "reason": "Referred after the harmonium fell downstairs",
    "decline": "Declined because the gazebo quarrel continues",
    "session": "Talked about the allotment pelicans",
    "discharge": "Discharged to the pottery collective with kumquats",
}
MAX_PER_ROUTE = 4  # pages of one address pattern (e.g. area profiles) walked at most


def forbidden() -> list[str]:
    nhs_spaced = f"{NHS[:3]} {NHS[3:6]} {NHS[6:]}"
    return [
        GIVEN,
        FAMILY,
        NHS,
        nhs_spaced,
        BIRTH.isoformat(),
        BIRTH.strftime("%d/%m/%Y"),
        "14 March 1937",
        POSTCODE,
        POSTCODE.replace(" ", ""),
        *TEXTS.values(),
    ]


@pytest.fixture
def world(live_db, settings):
    from django.conf import settings as conf

    from linkwell.accounts.actions import create_organisation, create_user, grant_role
    from linkwell.accounts.models import OrganisationKind, Role
    from linkwell.directory.tests.page_services import make_service
    from linkwell.places.actions import load_place
    from linkwell.referrals import actions
    from linkwell.referrals.models import ConsentPurpose, EncounterKind, Programme, Urgency

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_place(conf.PLACE_DATA_DIRS)

    def staff(username, role, org):
        user = create_user(actor=None, username=username, password=PASSWORD)
        grant_role(actor=None, user=user, organisation=org, role=role)
        return user

    practice = create_organisation(
        actor=None, name="Thornbury Medical Practice", kind=OrganisationKind.GP_PRACTICE,
        ods_code="B83005",
    )  # fmt: skip
    connect = create_organisation(actor=None, name="Connect Well", kind="voluntary")
    falls_team = create_organisation(actor=None, name="Falls Team", kind="nhs_trust")
    gp = staff("gp", Role.PRACTITIONER, practice)
    connector = staff("connector", Role.CONNECTOR, connect)
    editor = staff("falls_editor", Role.PROVIDER_EDITOR, falls_team)
    analyst = staff("analyst", Role.ANALYST, practice)
    connectors = make_service("Community Connectors", partner_name="Connect Well", minimum_age=None)
    Programme.objects.create(service=connectors, practice_cap=50, programme_cap=1300)
    falls = make_service("Falls prevention", partner_name="Falls Team", minimum_age=None)

    people = []
    for n in range(6):  # enough that some figures are shown, not all withheld
        person = actions.register_person(
            actions.PersonDetails(
                given_name=GIVEN if n == 0 else f"Person{n}",
                family_name=FAMILY if n == 0 else "Example",
                birth_date=BIRTH if n == 0 else dt.date(1950, 1, 1 + n),
                nhs_number=NHS if n == 0 else "",
                postcode=POSTCODE,
                gp_practice_code="B83005",
            ),
            actor=gp,
            via="test",
            confirm_new=True,
        )
        for service in (connectors, falls):
            actions.record_consent(
                person, ConsentPurpose.SHARE_WITH_SERVICE, actor=gp, via="test", service=service
            )
        encounter = actions.record_encounter(
            person, actor=gp, via="test", kind=EncounterKind.GP_APPOINTMENT,
            needs=[("falls_frailty", Urgency.SOON), ("loneliness", Urgency.ROUTINE)],
            note=TEXTS["encounter"],
        )  # fmt: skip
        to_falls = actions.make_referral(
            actor=gp, via="test", person=person, service=falls, need="falls_frailty",
            encounter=encounter, reason=TEXTS["reason"],
        ).referral  # fmt: skip
        actions.receive_referral(to_falls, actor=editor, via="test")
        actions.decline_referral(
            to_falls, actor=editor, via="test", reason_code="other", reason=TEXTS["decline"]
        )
        to_connectors = actions.make_referral(
            actor=gp, via="test", person=person, service=connectors, need="loneliness",
            reason=TEXTS["reason"],
        ).referral  # fmt: skip
        actions.accept_referral(to_connectors, actor=connector, via="test")
        to_connectors.refresh_from_db()
        case = to_connectors.case
        actions.record_session(
            case, actor=connector, via="test", held_on=dt.date.today(), notes=TEXTS["session"]
        )
        if n % 2 == 0:
            actions.discharge_case(
                case, actor=connector, via="test", outcome=TEXTS["discharge"],
                outcome_code="achieved",
            )  # fmt: skip
        people.append(person)

    from linkwell.intelligence.refresh import refresh_hub

    refresh_hub(via="test")
    return {"analyst": analyst}


def _hub_paths(patterns, prefix: str = "") -> list[str]:
    """The hub's addresses with no parameters (the walk finds the others through links)."""
    found = []
    for pattern in patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _hub_paths(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern) and "<" not in route:
            found.append("/" + prefix + route)
    return found


def _api_paths(client) -> list[str]:
    """Each hub GET operation of the OpenAPI document, with example values for its query."""
    document = client.get("/api/v1/openapi.json").json()
    paths = []
    for path, operations in document["paths"].items():
        if not path.startswith("/api/v1/hub/") or "get" not in operations:
            continue
        paths.append(path)
        paths.append(path + "?level=ward&period=" + dt.date.today().strftime("%Y-%m"))
        paths.append(path + "?level=lsoa&need=falls_frailty&tier=1")
    return paths


def test_no_hub_page_api_or_table_names_a_person(world, client):
    from linkwell.web.hub import urls as hub_urls

    words = forbidden()
    client.login(username="analyst", password=PASSWORD)
    start = _hub_paths(hub_urls.urlpatterns) + _api_paths(client)
    seen: set[str] = set()
    per_route: dict[str, int] = {}
    queue = deque(start)
    walked = 0
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        route = re.sub(r"[0-9a-f-]{32,36}|[A-Z]\d{8}", "ID", urlsplit(path).path)
        per_route[route] = per_route.get(route, 0) + 1
        if per_route[route] > MAX_PER_ROUTE:
            continue
        response = client.get(path)
        assert response.status_code in (200, 404), f"{path}: {response.status_code}"
        walked += 1
        body = response.content.decode("utf-8", errors="replace")
        for word in words:
            assert word.lower() not in body.lower(), f"{path} shows {word!r}"
        if "html" in response.get("Content-Type", ""):
            for href in re.findall(r'href="([^"#]+)"', body):
                href = urljoin(path, href.replace("&amp;", "&"))
                if href.startswith(("/hub/", "/api/v1/hub/")) and href not in seen:
                    queue.append(href)
    assert walked >= len(start), "every hub page and API operation was opened"

    from django.apps import apps

    for model in apps.get_app_config("intelligence").get_models():
        rows = json.dumps(list(model.objects.values()), default=str).lower()
        for word in words:
            assert word.lower() not in rows, f"{model.__name__} holds {word!r}"
