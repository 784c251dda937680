"""/readyz turns unready when the database goes away, and ready again when it is back, with
no restart: the broken connection is closed so the next probe connects afresh."""

from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection

from linkwell.operations import health
from linkwell.places.models import Place

pytestmark = pytest.mark.usefixtures("live_db")  # committed rows; emptied after, audit log too


@pytest.fixture(autouse=True)
def place(live_db, monkeypatch):
    monkeypatch.setattr(health, "_migrations_known_applied", False)
    Place.objects.create(slug="testshire", name="Testshire")


def readyz(client):
    response = client.get("/readyz")
    return response.status_code, response.json()


def test_sqlite_file_out_of_reach_then_back(client, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite case; the PostgreSQL one is below")
    assert readyz(client)[0] == 200
    real = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = str(tmp_path / "gone" / "linkwell.sqlite3")
    try:
        status, body = readyz(client)
        assert status == 503
        assert body["failing"][0] == "database"
        assert "DATABASE_URL" in body["checks"]["database"]["fix"]
        assert body["checks"]["places"]["detail"].startswith("Not checked")
    finally:
        connection.close()
        connection.settings_dict["NAME"] = real
    status, body = readyz(client)
    assert (status, body["status"]) == (200, "ready")


@contextmanager
def admin_connection():
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        yield admin


def test_postgresql_connection_killed_and_refused_then_back(client):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL case; run with DATABASE_URL=postgres://...")
    assert readyz(client)[0] == 200
    name = connection.settings_dict["NAME"]
    assert name.startswith("test_")  # only ever the throwaway test database
    with admin_connection() as admin:
        # The server's open connection is killed, and no new one is let in.
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        try:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            for _ in range(2):  # the killed connection, then a refused new one
                status, body = readyz(client)
                assert status == 503
                assert body["failing"][0] == "database"
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    status, body = readyz(client)
    assert (status, body["status"]) == (200, "ready")
