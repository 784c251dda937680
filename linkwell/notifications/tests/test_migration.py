"""Notifications that existed before they had their own app survive the move (and its reverse),
on whichever database the run uses: ids, readers, read state, and the referral each was about."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from linkwell.core.tests.test_backups import seed
from linkwell.notifications.models import Notification

BEFORE = [("referrals", "0003_person_submissions_and_consent_scope"), ("notifications", None)]


@pytest.fixture
def executor(live_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield MigrationExecutor(connection)
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())  # whatever happened, back to the latest


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    known = [t for t in targets if t[1] is not None]
    return MigrationExecutor(connection).loader.project_state(known).apps


def test_existing_notifications_survive_the_move_and_its_reverse(executor):
    world = seed()
    Notification.objects.all().delete()  # the referral made some; start from those below
    referral, gp = world["referral"], world["gp"]
    old_apps = migrate(BEFORE)
    Old = old_apps.get_model("referrals", "Notification")
    at = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
    Old.objects.create(
        id=41, user_id=gp.pk, kind="decision", message="Referral X: accepted.",
        referral_id=referral.pk, created_at=at, read_at=at,
    )  # fmt: skip
    Old.objects.create(id=42, user_id=gp.pk, kind="escalation", message="Plain", created_at=at)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    moved = {n.pk: n for n in Notification.objects.all()}
    assert set(moved) == {41, 42}
    about = moved[41]
    assert (about.user_id, about.kind, about.read_at, about.created_at) == (
        gp.pk,
        "decision",
        at,
        at,
    )
    assert about.link == f"/referrals/{referral.pk}/"
    assert list(Notification.objects.about(referral)) == [about]
    plain = moved[42]
    assert (plain.link, plain.subject_type, plain.subject_id, plain.read_at) == ("", "", "", None)
    fresh = Notification.objects.create(user=gp, kind="decision", message="New", created_at=at)
    assert fresh.pk > 42  # numbering goes on after the copied rows

    old_apps = migrate(BEFORE)
    back = old_apps.get_model("referrals", "Notification").objects.in_bulk()
    assert set(back) == {41, 42, fresh.pk}
    assert back[41].referral_id == referral.pk and back[42].referral_id is None
