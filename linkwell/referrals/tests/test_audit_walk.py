"""Every read of personal data is audited, lists included, whatever the route.

Walks the whole URLConf (pages and the JSON API) and the OpenAPI document rather than a list
kept by hand: each route is read by every persona, and wherever an answer shows a person (by
their name or NHS number) or a self-referral's sender, the audit log must have gained an event
by that reader about them in that very request. A new route that shows people without
auditing fails here; a route whose parameters this walk cannot fill fails too, until it is
given a value below.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import admin

from linkwell.audit.models import AuditEvent
from linkwell.referrals.tests.api_scene import (
    client_for,
    gp_bundle,
    scene_fixture,  # noqa: F401 (the scene fixture)
)
from linkwell.referrals.tests.ecc_world import world  # noqa: F401 (fixture)
from linkwell.referrals.tests.route_walk import (
    fill,
    routes,
    subjects,
    walk_fixture,  # noqa: F401 (the walk fixture)
)

# Each relationship to a person once: partnership admin, recorder (Ada's, Bob's), the service
# answering Ada's referrals, the connector with Bob's case, and one with none (an analyst).
READERS = ["admin", "firefighter", "gp", "falls_editor", "connector", "analyst"]


def unaudited(
    client: Any, method: str, path: str, actor: Any, known: dict[str, list[str]], **kwargs: Any
) -> list[str]:
    """Read `path`; the people it showed with no audit event by `actor` about them (`known`:
    `subjects()`, or None to read them after the request)."""
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code < 500, f"{method.upper()} {path}: {response.status_code}"
    body = response.content.decode(errors="replace")
    known = known if known is not None else subjects()
    shown = {pk for pk, marks in known.items() if any(m in body for m in marks)}
    audited = set(
        AuditEvent.objects.filter(id__gt=before, actor=actor).values_list("target_id", flat=True)
    )
    return sorted(shown - audited)


def test_every_page_and_api_read_that_shows_a_person_is_audited(walk):
    missing = []
    seen_routes = 0
    known = subjects()  # reading creates no one
    clients = {reader: client_for(walk, reader) for reader in READERS}
    for route, name in routes():
        path = fill(route, walk["values"])
        seen_routes += 1
        for reader, client in clients.items():
            for pk in unaudited(client, "get", path, walk[reader], known):
                missing.append(f"GET {path} ({name}) as {reader} showed {pk} unaudited")
    assert seen_routes > 60  # the walk saw the whole URLConf
    assert not missing, "\n".join(missing)


# Bodies for the API's writes whose answers can show a person (found from the OpenAPI
# document below): each must audit what it shows, like any read.
def write_bodies(scene: dict[str, Any]) -> dict[tuple[str, str], tuple[str, Any]]:
    ada, lunch = scene["ada"], scene["lunch"]
    to_lunch = {"person_id": str(ada.pk), "service_id": str(lunch.pk)}
    return {
        ("post", "/api/v1/people/"): (
            "firefighter",
            {"given_name": "Cy", "family_name": "New", "birth_date": "1950-01-01"},
        ),
        ("post", "/api/v1/referrals/"): ("firefighter", to_lunch),
        ("post", "/api/v1/referrals/batch"): ("firefighter", {"referrals": [to_lunch]}),
        ("post", "/api/v1/referrals/batch/accept"): (
            "falls_editor",
            {"referral_ids": [str(scene["sent"].pk)]},
        ),
        ("post", "/api/v1/referrals/fhir"): ("gp", gp_bundle(lunch.pk)),
        ("put", "/api/v1/cases/{case_id}/what-matters"): ("connector", {"text": "Company"}),
        ("put", "/api/v1/cases/{case_id}/follow-up"): (
            "connector",
            {"on": dt.date.today().isoformat()},
        ),
        ("post", "/api/v1/cases/{case_id}/discharge"): (
            "connector",
            {"outcome": "Joined a walking group.", "outcome_code": "achieved"},
        ),
    }


def _shows_people(schema: Any, components: dict[str, Any], seen: set[str]) -> bool:
    """Whether a response schema can carry a person's details (a PersonOut, or given_name)."""
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[-1]
            if name in seen:
                return False
            return _shows_people(components.get(name, {}), components, seen | {name})
        if "given_name" in schema.get("properties", {}):
            return True
        return any(_shows_people(v, components, seen) for v in schema.values())
    if isinstance(schema, list):
        return any(_shows_people(v, components, seen) for v in schema)
    return False


def test_every_api_write_whose_answer_can_show_a_person_audits_it(walk, client):
    document = client.get("/api/v1/openapi.json").json()
    components = document.get("components", {}).get("schemas", {})
    bodies = write_bodies(walk)
    missing = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method == "get":
                continue  # read by the walk above
            answers = {k: v for k, v in operation.get("responses", {}).items() if k < "300"}
            if not _shows_people(answers, components, set()):
                continue
            assert (method, path) in bodies, f"{method.upper()} {path}: give the walk a body"
            reader, body = bodies[(method, path)]
            url = path.format(**walk["values"])
            who = client_for(walk, reader)
            for pk in unaudited(
                who,
                method,
                url,
                walk[reader],
                None,  # a write may register someone
                data=json.dumps(body),
                content_type="application/json",
            ):
                missing.append(f"{method.upper()} {url} as {reader} showed {pk} unaudited")
    assert not missing, "\n".join(missing)


def test_no_record_about_people_is_open_in_the_admin_unaudited():
    """The admin reads through ModelAdmins, which audit nothing: no model holding people's
    details may be registered there."""
    registered = {model._meta.app_label + "." + model.__name__ for model in admin.site._registry}
    assert not {name for name in registered if name.startswith("referrals.")}, registered
