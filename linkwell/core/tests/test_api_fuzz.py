"""The whole API under schemathesis: every operation of the OpenAPI document, called in-process
anonymously and with the bearer token of a partnership admin and of a practitioner (and, for
cases and referral moves, of the connector and the provider who may act on them), with data
that fits the document (positive) and data that breaks it (negative). Whatever is sent, the
answer is never a 5xx, and under /api/ it is always JSON.

Seeded: the scene of the referral API tests (people, referrals, a case, services), so ids in
paths and bodies sometimes name real records. Bounded and derandomized, so CI runs the same
examples every time; each example is rolled back, so each starts from the same rows.
"""

import json
import os
from collections.abc import Callable, Iterable
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from config.api import api
from linkwell.accounts.tokens import create_api_token
from linkwell.directory.models import ServiceAtLocation, Taxonomy, TaxonomyTerm
from linkwell.referrals.tests.api_scene import scene_fixture  # noqa: F401 (the scene fixture)
from linkwell.referrals.tests.ecc_world import world  # noqa: F401 (fixture)

SCHEMA = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema())))
OPERATIONS = {op.label: op for op in (result.ok() for result in SCHEMA.get_all_operations())}
POSITIVE, NEGATIVE = GenerationMode.POSITIVE, GenerationMode.NEGATIVE
# LINKWELL_FUZZ_SCALE=10 tries ten times as many examples (a deeper search, by hand).
SCALE = float(os.environ.get("LINKWELL_FUZZ_SCALE", "1"))
# Who calls, with which data, how many times (about 40 calls an operation in all). An anonymous
# call to a signed-in operation is refused before its input is read: a couple show that.
PUBLIC_RUNS = [("anonymous", POSITIVE, 20), ("anonymous", NEGATIVE, 20)]
SIGNED_IN_RUNS = [
    ("anonymous", POSITIVE, 2),
    ("admin", POSITIVE, 10),  # a partnership admin
    ("admin", NEGATIVE, 10),
    ("firefighter", POSITIVE, 10),  # a practitioner
    ("firefighter", NEGATIVE, 10),
]
# Who else reaches past the policy checks into the actions: a case's connector, and the
# provider answering the seeded referrals.
DEEPER = {"Cases": "connector", "Referrals": "falls_editor"}
DEEPER_RUNS = [(POSITIVE, 8), (NEGATIVE, 8)]
JSON_TYPES = (
    "application/json",
    "application/fhir+json",
    "application/geo+json",
    "application/x-ndjson",
)


def _app() -> Callable[..., Iterable[bytes]]:
    """Django's WSGI app, keeping the test's database connection (and its transaction) open,
    as django.test.Client does: the request signals would otherwise close it."""
    handler = WSGIHandler()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = handler(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    return app


class _Undo(Exception):
    """Raised to roll back an example's writes."""


def _real_ids(scene: dict[str, Any]) -> dict[str, list[Any]]:
    """Ids of seeded records, by the name a path or body gives them."""
    services = [scene[name].pk for name in ("falls", "lunch", "connectors")]
    return {
        "person_id": [scene["ada"].pk, scene["bob"].pk],
        "referral_id": [scene[name].pk for name in ("sent", "accepted", "draft", "to_connectors")],
        "case_id": [scene["case"].pk],
        "consent_id": [scene["consent"].pk],
        "service_id": services,
        "goal_id": [scene["goal"].pk],
        "id": [
            *services,
            *ServiceAtLocation.objects.values_list("pk", flat=True)[:2],
            *Taxonomy.objects.values_list("pk", flat=True)[:1],
            *TaxonomyTerm.objects.values_list("pk", flat=True)[:2],
        ],
        "postcode": ["BD3 7HZ", "BD1 1AA"],
    } | {"referral_ids": [[scene["sent"].pk, scene["accepted"].pk]]}


def _strategy(operation: Any, mode: GenerationMode, ids: dict[str, list[Any]]) -> Any:
    """Generated cases, half of them naming seeded records in their path."""
    generated = operation.as_strategy(generation_mode=mode)
    names = [p.name for p in operation.path_parameters if p.name in ids]
    if not names:
        return generated
    real = st.fixed_dictionaries({n: st.sampled_from([str(v) for v in ids[n]]) for n in names})
    seeded = real.flatmap(
        lambda values: operation.as_strategy(generation_mode=mode, path_parameters=values)
    )
    return st.one_of(generated, seeded)


def _with_real_body_ids(case: Any, ids: dict[str, list[Any]], pick: int) -> None:
    """Now and then put seeded ids into a generated JSON body (a referral's person and service,
    a batch's referrals), so the actions behind the checks are reached too."""
    if not isinstance(case.body, dict) or pick % 2:
        return
    for key, values in ids.items():
        if key in case.body:
            value = values[pick % len(values)]
            case.body[key] = [str(v) for v in value] if isinstance(value, list) else str(value)


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_no_request_gets_a_server_error(scene, fuzz_settings, label):
    operation = OPERATIONS[label]
    app = _app()
    ids = _real_ids(scene)
    runs = list(SIGNED_IN_RUNS if operation.definition.raw.get("security") else PUBLIC_RUNS)
    for tag in operation.definition.raw.get("tags", []):
        if tag in DEEPER:
            runs += [(DEEPER[tag], mode, examples) for mode, examples in DEEPER_RUNS]
    tokens: dict[str, str] = {}
    for persona, mode, examples in runs:
        if persona != "anonymous" and persona not in tokens:
            tokens[persona] = create_api_token(scene[persona], actor=None, via="test")[1]
        headers = {"Authorization": f"Bearer {tokens[persona]}"} if persona in tokens else {}
        try:
            _fuzz(operation, app, ids, headers, max(1, round(examples * SCALE)), mode)
        except Unsatisfiable:
            # A path of plain strings, say, has no data that breaks it; any other does.
            assert mode == NEGATIVE, f"{label}: no data fits its document"
        except AssertionError as failed:
            raise AssertionError(f"as {persona}, {mode.value} data: {failed}") from None


def _fuzz(
    operation: Any,
    app: Callable[..., Iterable[bytes]],
    ids: dict[str, list[Any]],
    headers: dict[str, str],
    examples: int,
    mode: GenerationMode,
) -> None:
    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation, mode, ids), pick=st.integers(0, 7))
    def call(case: Any, pick: int) -> None:
        _with_real_body_ids(case, ids, pick)
        try:
            with transaction.atomic():
                response = case.call(app=app, headers=headers)
                raise _Undo
        except _Undo:
            pass
        where = f"{case.method} {case.formatted_path} -> {response.status_code}"
        where += f"\nquery={case.query!r}\nbody={str(case.body)[:1000]}"
        assert response.status_code < 500, f"{where}\n{response.text[:2000]}"
        content_type = (response.headers.get("content-type") or [""])[0]
        assert content_type.startswith(JSON_TYPES), f"{where}: {content_type!r}"

    call()


@pytest.fixture
def fuzz_settings(settings):
    """As in production (no debug pages), with e-mail kept in memory and no throttling
    counts left over from another test."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEBUG = False
    cache.clear()
    yield settings
    cache.clear()
