"""/healthz: alive means the process answers; it reads nothing, so it cannot hang on a database."""

import pytest


def test_it_says_alive_without_touching_the_database(client):
    # No database for this test: a query would fail it.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}


def test_it_is_never_cached(client):
    response = client.get("/healthz")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_answers_a_probe_on_localhost_under_production_settings(client, settings, db):
    # HTTPS only and one public host name: a container's probe asks http://localhost:8000.
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["linkwell.example"]
    response = client.get("/healthz", HTTP_HOST="localhost:8000")
    assert response.status_code == 200
    assert "Set-Cookie" not in response
    # The same settings still redirect and refuse everything else.
    assert client.get("/", HTTP_HOST="linkwell.example").status_code == 301
    assert client.get("/", HTTP_HOST="localhost:8000", secure=True).status_code == 400


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_a_write_is_refused_not_an_error(client, method):
    assert getattr(client, method)("/healthz").status_code == 405
