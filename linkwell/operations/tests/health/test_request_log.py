"""Each request leaves one log line: JSON for a log shipper, with the request id a proxy sent
(or a new one, returned in X-Request-ID), and the route, never the path or the query string."""

import io
import json
import logging
import random
import re

import pytest
from django.contrib.auth import get_user_model

from linkwell.core import request_id
from linkwell.directory.tests.page_services import make_service
from linkwell.operations.logs import JsonFormatter


@pytest.fixture
def log_lines():
    """The lines the configured console handler writes, in JSON whatever LOG_FORMAT is."""
    [handler] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    stream, formatter = io.StringIO(), handler.formatter
    old_stream = handler.setStream(stream)
    handler.setFormatter(JsonFormatter())
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        handler.setStream(old_stream)
        handler.setFormatter(formatter)


def request_lines(lines):
    return [line for line in lines if line["logger"] == "linkwell.requests"]


@pytest.fixture
def service(db):
    return make_service("Testshire Lunch Club")


def test_a_request_is_one_json_line_with_its_id_and_route(client, service, log_lines):
    user = get_user_model().objects.create_user("obs-reader", password="a long password 1")
    client.force_login(user)
    response = client.get(
        f"/services/{service.id}/?q=Jane+Smith+9434765919", HTTP_X_REQUEST_ID="trace-42"
    )
    assert response.status_code == 200
    assert response["X-Request-ID"] == "trace-42"

    [line] = request_lines(log_lines())
    assert line["request_id"] == "trace-42"
    assert line["route"] == "/services/<uuid:service_id>/"
    assert (line["method"], line["status"], line["user_id"]) == ("GET", 200, user.pk)
    assert line["level"] == "INFO"
    assert isinstance(line["duration_ms"], float)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"])
    text = json.dumps(line)
    assert str(service.id) not in text
    assert "Jane" not in text and "9434765919" not in text
    assert "obs-reader" not in text  # the user's id, never their name


def test_without_an_id_one_is_made_and_returned(client, service, log_lines):
    response = client.get(f"/services/{service.id}/")
    made = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    [line] = request_lines(log_lines())
    assert line["request_id"] == made
    assert line["user_id"] is None


def test_every_line_of_a_request_carries_its_id(client, no_place, log_lines):
    client.get("/readyz", HTTP_X_REQUEST_ID="probe-7")  # unready: no place; logs a warning
    lines = log_lines()
    assert any(line["logger"] == "linkwell.operations.health" for line in lines)
    assert {line["request_id"] for line in lines} == {"probe-7"}


@pytest.mark.parametrize(
    ("path", "route"),
    [
        ("/answer/secret-token-abc123/", "/answer/<str:token>/"),
        ("/answer/secret-token-abc123/nope/", "(unmatched)"),
    ],
)
def test_a_path_that_is_not_found_is_never_logged(client, db, log_lines, path, route):
    # A questionnaire link's token is a secret; Django would log "Not Found: <path>".
    response = client.get(path)
    assert response.status_code in {404, 410}
    lines = log_lines()
    assert "secret-token-abc123" not in json.dumps(lines)
    assert [line["route"] for line in request_lines(lines)] == [route]


BAD_IDS = [
    "",
    " ",
    "a" * 129,
    "abc\ndef",
    'x" injected="1',
    "<script>alert(1)</script>",
    "id with spaces",
    "ünïcödé",
    "../../etc/passwd",
    "-starts-with-a-dash",
    "tab\there",
    "null\x00byte",
]


def _random_ids(count=40, seed=17):
    rng = random.Random(seed)
    alphabet = [chr(c) for c in range(0, 0x250)]
    found = []
    while len(found) < count:
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 200)))
        if not request_id.is_sane(value):
            found.append(value)
    return found


@pytest.mark.parametrize("bad", BAD_IDS + _random_ids())
def test_a_bad_request_id_is_replaced_not_echoed(client, bad):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=bad)
    given = response["X-Request-ID"]
    assert given != bad
    assert re.fullmatch(r"[0-9a-f]{32}", given)


@pytest.mark.parametrize(
    "good", ["trace-42", "0f8fad5b-d9cb-469f-a165-70867728950e", "Root:1-5759e988.bd862e3f", "a"]
)
def test_a_sane_request_id_is_kept(client, good):
    assert client.get("/healthz", HTTP_X_REQUEST_ID=good)["X-Request-ID"] == good


def test_the_text_format_carries_the_id_too(client, no_place):
    [handler] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    stream = io.StringIO()
    old, old_formatter = handler.setStream(stream), handler.formatter
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
    )
    try:
        client.get("/readyz", HTTP_X_REQUEST_ID="text-9")
    finally:
        handler.setStream(old)
        handler.setFormatter(old_formatter)
    assert "[text-9] GET /readyz 503 in" in stream.getvalue()
