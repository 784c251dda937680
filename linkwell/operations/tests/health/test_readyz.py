"""/readyz: 200 when this server can serve; else 503 naming each failing check and the fix."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from linkwell.operations import health
from linkwell.places.models import Place


@pytest.fixture(autouse=True)
def fresh_migration_check(monkeypatch):
    """Each test loads the migration state afresh (a server remembers once all are applied)."""
    monkeypatch.setattr(health, "_migrations_known_applied", False)


@pytest.fixture
def place(db):
    return Place.objects.create(slug="testshire", name="Testshire")


def readyz(client):
    response = client.get("/readyz")
    assert "no-store" in response["Cache-Control"]
    return response.status_code, response.json()


def test_a_server_with_its_database_migrated_and_a_place_is_ready(client, place):
    status, body = readyz(client)
    assert status == 200
    assert body["status"] == "ready"
    assert all(check["ok"] for check in body["checks"].values())
    assert set(body["checks"]) == {"database", "migrations", "worker", "places"}


def test_without_a_place_it_is_unready_and_says_to_load_one(client, no_place):
    status, body = readyz(client)
    assert status == 503
    assert body["status"] == "unready"
    assert body["failing"] == ["places"]
    assert "linkwell load_place" in body["checks"]["places"]["fix"]


def test_an_unapplied_migration_makes_it_unready_and_names_it(client, place):
    leaf = next(
        node
        for node in MigrationExecutor(connection).loader.graph.leaf_nodes()
        if node[0] == "places"
    )
    MigrationRecorder(connection).record_unapplied(*leaf)
    status, body = readyz(client)
    assert status == 503
    assert "migrations" in body["failing"]
    assert f"places.{leaf[1]}" in body["checks"]["migrations"]["detail"]
    assert "linkwell migrate" in body["checks"]["migrations"]["fix"]
    # What needs the tables is not checked against a schema that may be wrong.
    assert body["checks"]["places"]["detail"].startswith("Not checked")


class TestTheWorker:
    """Needed when jobs are queued for a worker; not when they run in the web process."""

    def test_no_worker_ever_seen_is_unready(self, client, place, settings, monkeypatch):
        settings.READY_REQUIRE_WORKER = True
        monkeypatch.setattr(health.heartbeat, "last_seen", lambda: None)
        status, body = readyz(client)
        assert status == 503
        assert body["failing"] == ["worker"]
        assert "linkwell worker" in body["checks"]["worker"]["fix"]

    def test_a_worker_silent_past_the_limit_is_unready(self, client, place, settings, monkeypatch):
        settings.READY_REQUIRE_WORKER = True
        settings.READY_WORKER_MINUTES = 5
        seen = timezone.now() - dt.timedelta(minutes=6)
        monkeypatch.setattr(health.heartbeat, "last_seen", lambda: seen)
        status, body = readyz(client)
        assert status == 503
        assert "6 minutes ago" in body["checks"]["worker"]["detail"]

    def test_a_worker_seen_lately_is_ready(self, client, place, settings, monkeypatch):
        settings.READY_REQUIRE_WORKER = True
        seen = timezone.now() - dt.timedelta(minutes=4)
        monkeypatch.setattr(health.heartbeat, "last_seen", lambda: seen)
        assert readyz(client)[0] == 200

    @pytest.mark.parametrize(("jobs", "required"), [("inline", False), ("worker", True)])
    def test_by_default_it_follows_where_jobs_run(
        self, client, place, settings, monkeypatch, jobs, required
    ):
        settings.READY_REQUIRE_WORKER = None
        settings.LINKWELL_JOBS = jobs
        monkeypatch.setattr(health.heartbeat, "last_seen", lambda: None)
        assert readyz(client)[0] == (503 if required else 200)

    def test_it_can_be_switched_off(self, client, place, settings, monkeypatch):
        settings.READY_REQUIRE_WORKER = False
        settings.LINKWELL_JOBS = "worker"
        monkeypatch.setattr(health.heartbeat, "last_seen", lambda: None)
        assert readyz(client)[0] == 200


def test_a_failing_check_answers_503_not_500(client, place, monkeypatch):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(health.heartbeat, "last_seen", broken)
    monkeypatch.setattr(health, "worker_required", lambda: True)
    status, body = readyz(client)
    assert status == 503
    assert "RuntimeError" in body["checks"]["worker"]["detail"]
    assert "boom" not in str(body)  # errors are in the log, not shown to whoever asks
