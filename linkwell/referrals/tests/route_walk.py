"""Walking every route of the URLConf with real records behind each path parameter: shared by
the audit walk (every read of a person is audited) and the authorisation walk (no answer names
or ids a record the caller may not open)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from linkwell.outcomes.models import Administration
from linkwell.referrals import actions
from linkwell.referrals.models import ContactRequest, Person
from linkwell.referrals.tests.helpers import make_request

CONVERTER = re.compile(r"<(?:(?P<kind>[a-z]+):)?(?P<name>\w+)>")
# Parameters naming no record about a person: any value will do (a made-up one gives 404).
NOT_ABOUT_PEOPLE = {
    "service_id",
    "change_id",
    "id",
    "postcode",
    "uidb64",
    "token",
    "goal_id",
    "key",  # an instrument's key
    "level",  # the hub's areas: a ward, small area or constituency, never a person
    "code",
    "run_id",  # an import run: a file of services, never a person
}


@pytest.fixture(name="walk")
def walk_fixture(scene):
    """The scene, plus a contact, a self-referral and the values of every path parameter."""
    encounter = actions.record_encounter(
        scene["ada"],
        actor=scene["firefighter"],
        via="test",
        kind="safe_and_well",
        needs=[("loneliness", "routine")],
    )
    request = make_request(scene["falls"], name="Walk Sender", phone="01274 555000")
    case = scene["case"]
    administration = Administration.objects.create(
        person=case.person,
        instrument="swemwbs",
        instrument_version="1",
        timepoint="baseline",
        mode="connector",
        case=case,
        referral=case.referral,
        started_at=timezone.now(),
    )
    values = {
        "administration_id": administration.pk,
        "person_id": scene["ada"].pk,
        "referral_id": scene["sent"].pk,
        "case_id": scene["case"].pk,
        "consent_id": scene["consent"].pk,
        "encounter_id": encounter.pk,
        "request_id": request.pk,
        "move": "accept",
        "verb": "discharge",
        "goal_id": scene["goal"].pk,
    }
    return {**scene, "values": values, "contact_request": request}


def subjects() -> dict[str, list[str]]:
    """The audit target id of everyone whose details may be shown -> what gives them away."""
    found = {}
    for person in Person.objects.all():
        marks = [f"{person.given_name} {person.family_name}", f'"{person.family_name}"']
        found[str(person.pk)] = marks + ([person.nhs_number] if person.nhs_number else [])
    for request in ContactRequest.objects.all():
        found[str(request.pk)] = [request.name] + ([request.phone] if request.phone else [])
    return found


def routes() -> Iterator[tuple[str, str]]:
    """(route, view name) of every URL pattern outside the admin."""

    def walk_patterns(patterns: list[Any], prefix: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not route.startswith("admin/"):
                    yield from walk_patterns(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route, pattern.name or ""

    yield from walk_patterns(get_resolver().url_patterns, "")


def fill(route: str, values: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match["name"]
        if name in values:
            return str(values[name])
        assert name in NOT_ABOUT_PEOPLE, f"{route}: give the walk a value for <{name}>"
        if match["kind"] in {"uuid", "uuidstr"}:
            return str(uuid.uuid4())
        return "999999" if match["kind"] == "int" else "x"

    assert not route.startswith("^"), f"{route}: a regex route the walk cannot fill"
    return "/" + CONVERTER.sub(value, route)
