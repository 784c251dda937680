"""Shared pytest fixtures: for the tests under linkwell/ and the browser tests under tests/."""

import sys

import pytest


@pytest.fixture(autouse=True)
def verified_test_sign_ins(monkeypatch):
    """`client.force_login(user)` and `client.login(...)` give a fully signed-in session, as if
    the person had also entered the code from their authenticator app: a confirmed app is made
    for them if they have none, and the session is marked verified by it, as django-otp's
    `login` does. Tests of the sign-in rules themselves post to the sign-in pages instead
    (linkwell/accounts/tests/signing_in.py); the browser tests type real codes."""
    from django.http import HttpRequest
    from django.test import Client

    original_force_login, original_login = Client.force_login, Client.login

    def force_login(self, user, backend=None):
        original_force_login(self, user, backend)
        _mark_verified(self, user)

    def login(self, **credentials):
        # django-axes counts attempts by request, so authenticate() needs one.
        credentials.setdefault("request", HttpRequest())
        if not original_login(self, **credentials):
            return False
        from django.contrib.auth import get_user

        request = HttpRequest()
        request.session = self.session
        _mark_verified(self, get_user(request))
        return True

    monkeypatch.setattr(Client, "force_login", force_login)
    monkeypatch.setattr(Client, "login", login)


def _mark_verified(client, user) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def fresh_map_outlines():
    """The map's outlines are kept in the process; a test's place may reuse the ids of one a
    rolled-back test made (SQLite), so each test starts without them."""
    yield
    shapes = sys.modules.get("linkwell.intelligence.provision.shapes")
    if shapes is not None:
        shapes.forget()


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(username="alice", password="s3cret-Passw0rd")


@pytest.fixture(scope="session")
def place_data(django_db_setup, django_db_blocker):
    """The default place (settings.PLACE_DATA_DIRS: Bradford and Craven), loaded once per
    test database.

    Request it together with `db` (or `transactional_db` is NOT supported: that flushes it):
    `def test_x(db, place_data): ...`. Returns the Place. Tests must not change place rows.
    """
    from django.conf import settings

    from linkwell.places.actions import load_place
    from linkwell.places.models import Place
    from linkwell.places.sources import source_dirs_text

    with django_db_blocker.unblock():
        source_dir = source_dirs_text(settings.PLACE_DATA_DIRS)
        place = Place.objects.filter(source_dir=source_dir).first()
        if place is None or place.loaded_at is None:
            place = load_place(settings.PLACE_DATA_DIRS).place
    return place


@pytest.fixture
def live_db(transactional_db):
    """Committed rows, for tests whose rows another thread reads (the live server, races).

    After the test the database is emptied; PostgreSQL truncates (no row triggers fire), but
    SQLite deletes row by row, which the audit log's append-only trigger refuses, so on SQLite
    the trigger is lifted for that clean-up only and put back before the next test.
    """
    import importlib

    from django.core.management import call_command
    from django.db import connection

    from linkwell.places.models import Place

    append_only = importlib.import_module("linkwell.audit.migrations.0002_append_only")
    if Place.objects.exists():
        # Committed before this test: the default place `place_data` loads once per database.
        # Emptied first, as the next test of committed rows would empty it anyway, so figures
        # over every area (the hub's refresh reads them all) hold this test's rows alone.
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                for sql in append_only.SQLITE_BACKWARD:
                    cursor.execute(sql)
        call_command("flush", verbosity=0, interactive=False)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for sql in append_only.SQLITE_FORWARD:
                cursor.execute(sql.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS"))
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for sql in append_only.SQLITE_BACKWARD:
                cursor.execute(sql)
