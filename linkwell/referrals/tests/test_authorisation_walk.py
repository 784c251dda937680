"""No answer names or ids a record the caller may not open, whatever the route, and knowing a
record's id (or a person's NHS number) opens nothing.

Every route of the URLConf (pages and the JSON API) is read, with the real ids of Ada's and
Bob's records in its path, by people of the partnership with no relationship to them: a
housing officer (a practitioner of another partner, with a valid session), the lunch club's
provider (a service they were never referred to), an analyst, an account with no role, and
anonymously. None may see a name, an NHS number, a phone number or the id of any of those
records, beyond the ids they typed themselves. Then the housing officer, knowing Ada's NHS
number, birth date and family name, sends a FHIR referral about her: they see their own
referral as they sent it, and the walk finds nothing more of Ada than before.
"""

from __future__ import annotations

import json
from typing import Any

from linkwell.referrals.models import (
    Case,
    Consent,
    ContactRequest,
    Encounter,
    Person,
    PersonSubmission,
    Referral,
)
from linkwell.referrals.tests.api_scene import (
    client_for,
    gp_bundle,
    scene_fixture,  # noqa: F401 (the scene fixture)
)
from linkwell.referrals.tests.ecc_world import (
    NHS_NUMBERS,
    world,  # noqa: F401 (fixture)
)
from linkwell.referrals.tests.route_walk import (
    fill,
    routes,
    walk_fixture,  # noqa: F401 (the walk fixture)
)

STRANGERS = ["housing_officer", "lunch_editor", "analyst", "outsider", "anonymous"]


def secrets() -> dict[str, str]:
    """What gives a record away -> what it is: people's names, NHS numbers and phones, and the
    id of every record about people (a stranger's own submissions left out)."""
    found: dict[str, str] = {}
    for person in Person.objects.all():
        found[f"{person.given_name} {person.family_name}"] = f"name of {person.pk}"
        found[f'"{person.family_name}"'] = f"family name of {person.pk}"
        if person.nhs_number:
            found[person.nhs_number] = f"NHS number of {person.pk}"
        if person.phone:
            found[person.phone] = f"phone of {person.pk}"
        found[str(person.pk)] = "a person's id"
    for request in ContactRequest.objects.all():
        found[request.name] = f"name in {request.pk}"
        found[str(request.pk)] = "a self-referral's id"
    for model in (Referral, Case, Consent, Encounter):
        for pk in model.objects.values_list("pk", flat=True):
            found[str(pk)] = f"a {model.__name__}'s id"
    for referral in Referral.objects.all():
        found[referral.reference] = f"{referral.pk}'s reference"
    return found


def leaks(
    scene: dict[str, Any],
    known: dict[str, str],
    *,
    allowed: frozenset[str] = frozenset(),
    strangers: list[str] = STRANGERS,
) -> list[str]:
    """Every route read by every stranger, with real ids in the path: what each answer gave
    away that the reader did not type themselves (or is in `allowed`)."""
    found = []
    clients = {name: client_for(scene, name) for name in strangers}
    for route, name in routes():
        path = fill(route, scene["values"])
        for stranger, client in clients.items():
            response = client.get(path)
            assert response.status_code < 500, f"GET {path} as {stranger}"
            body = response.content.decode(errors="replace")
            for mark, what in known.items():
                if mark in body and mark not in path and mark not in allowed:
                    found.append(f"GET {path} ({name}) as {stranger}: {what}")
    return found


def test_no_stranger_sees_anything_of_the_records_whose_ids_they_know(walk):
    assert not leaks(walk, secrets()), "\n".join(leaks(walk, secrets()))


def test_a_stranger_who_sends_a_persons_identifiers_sees_only_what_they_sent(walk):
    known = secrets()  # Ada's and Bob's records as they stand
    bundle = gp_bundle(walk["lunch"].pk, nhs=NHS_NUMBERS[0], birth="1941-05-02")
    bundle["entry"][1]["resource"]["name"] = [{"family": "Okafor", "given": ["Zed"]}]
    client = client_for(walk, "housing_officer")

    response = client.post(
        "/api/v1/referrals/fhir", data=json.dumps(bundle), content_type="application/fhir+json"
    )

    assert response.status_code == 201
    referral = Referral.objects.get(pk=response.json()["id"])
    assert referral.person == walk["ada"]  # linked, as it should be: one person, one record
    assert PersonSubmission.objects.filter(referrals=referral, linked=True).exists()
    # Their own referral, its reference and what they sent are theirs; the family name they
    # typed is theirs too. Nothing else of Ada's record may appear anywhere.
    theirs = frozenset({str(referral.pk), referral.reference, '"Okafor"'})
    found = leaks(walk, known, allowed=theirs, strangers=["housing_officer"])
    assert not found, "\n".join(found)
    assert "Zed" in client.get(f"/api/v1/referrals/{referral.pk}").content.decode()
