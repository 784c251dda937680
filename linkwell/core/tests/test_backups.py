"""The restore drill, on whichever database the run uses (SQLite, or PostgreSQL when
DATABASE_URL is set): rows across the apps are backed up, changed and deleted, and a restore
must put back exactly what was backed up, table by table, proven by the manifest's counts and
checksums and by the deleted rows being there again."""

import datetime as dt
import io
import json
import stat
import tarfile

import pytest
from django.core.management import call_command
from django.db import connection

from linkwell.accounts.actions import create_organisation, create_user, grant_role
from linkwell.accounts.models import Organisation, OrganisationKind, Role, User
from linkwell.audit.models import AuditEvent
from linkwell.core import backups
from linkwell.directory.models import Service
from linkwell.directory.tests.page_services import make_service
from linkwell.referrals import actions
from linkwell.referrals.models import ConsentPurpose, Person, Referral

AUDIT = "audit_auditevent"
SEEDED_TABLES = [
    "accounts_user",
    "accounts_organisation",
    "accounts_membership",
    "directory_service",
    "referrals_person",
    "referrals_referral",
    AUDIT,
]


@pytest.fixture(autouse=True)
def _committed(live_db, settings):
    """Committed rows (a backup reads through its own connection); fast password hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed() -> dict:
    """A practice refers a person to a service, all through the actions (so audited)."""
    practice = create_organisation(
        actor=None, name="Moorside Practice", kind=OrganisationKind.GP_PRACTICE
    )
    create_organisation(actor=None, name="Good Company", kind=OrganisationKind.VOLUNTARY)
    gp = create_user(actor=None, username="gp", password="x-very-long-password-1")
    grant_role(actor=None, user=gp, organisation=practice, role=Role.PRACTITIONER)
    service = make_service("Lunch club", partner_name="Good Company", minimum_age=None)
    person = actions.register_person(
        actions.PersonDetails(
            given_name="Ada",
            family_name="Example",
            birth_date=dt.date(1950, 3, 1),
            nhs_number="9990000034",
        ),
        actor=gp,
        via="test",
    )
    actions.record_consent(
        person, ConsentPurpose.SHARE_WITH_SERVICE, actor=gp, via="test", service=service
    )
    referral = actions.make_referral(actor=gp, via="test", person=person, service=service)
    return {
        "practice": practice,
        "gp": gp,
        "service": service,
        "person": person,
        "referral": referral.referral,
    }


def live_contents() -> backups.Contents:
    return backups.database_contents(backups.target_for())


def manifest_of(path) -> dict:
    with backups.BackupFile(path) as backup_file:
        return backup_file.manifest


def audit_trail() -> list[tuple]:
    return list(AuditEvent.objects.order_by("id").values_list("id", "action", "target_id"))


def test_a_restore_puts_back_exactly_what_was_backed_up(tmp_path):
    world = seed()
    before, trail = live_contents(), audit_trail()
    file = tmp_path / "linkwell.tar"
    out = io.StringIO()

    call_command("backup", str(file), stdout=out)

    manifest = manifest_of(file)
    assert manifest["vendor"] == connection.vendor
    assert manifest["tables"] == before.tables
    assert all(manifest["tables"][table]["rows"] > 0 for table in SEEDED_TABLES)
    assert manifest["migrations"] == before.migrations
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert AuditEvent.objects.filter(action="core.backup.created").count() == 1

    Referral.objects.filter(pk=world["referral"].pk).delete()
    Person.objects.filter(pk=world["person"].pk).delete()
    Organisation.objects.filter(pk=world["practice"].pk).update(name="Renamed Practice")
    Service.objects.filter(pk=world["service"].pk).update(name="Dinner club")
    create_user(actor=None, username="newcomer")
    changed = live_contents()
    assert changed.tables["referrals_referral"] != before.tables["referrals_referral"]

    call_command("restore", str(file), "--no-input", stdout=out)

    assert Referral.objects.filter(pk=world["referral"].pk).exists()
    assert Person.objects.get(pk=world["person"].pk).nhs_number == "9990000034"
    assert Organisation.objects.get(pk=world["practice"].pk).name == "Moorside Practice"
    assert Service.objects.get(pk=world["service"].pk).name == "Lunch club"
    assert not User.objects.filter(username="newcomer").exists()
    after = live_contents()
    for table, summary in before.tables.items():
        if table != AUDIT:
            assert after.tables[table] == summary, table
    assert after.tables.keys() == before.tables.keys()
    # The audit log is as it was at the backup (its own event came after), plus the restore.
    restored_trail = audit_trail()
    assert restored_trail[:-1] == trail
    event = AuditEvent.objects.get(pk=restored_trail[-1][0])
    assert (event.action, event.actor_label, event.via) == (
        "core.backup.restored",
        "system",
        "command restore",
    )
    assert event.details["verified"] is True
    assert event.details["backup_id"] == manifest["id"]
    assert "Verified: all" in out.getvalue()


def test_search_finds_the_restored_service_again(tmp_path):
    """The full-text index (SQLite's FTS tables, PostgreSQL's generated column) comes back
    in step with the rows it indexes."""
    from linkwell.directory.search.fulltext import top_matches

    world = seed()
    file = tmp_path / "linkwell.tar"
    call_command("backup", str(file), stdout=io.StringIO())
    Service.objects.filter(pk=world["service"].pk).update(name="Supper club")
    assert top_matches("supper", None) == [world["service"].pk]

    call_command("restore", str(file), "--no-input", stdout=io.StringIO())

    assert top_matches("supper", None) == []
    assert top_matches("lunch", None) == [world["service"].pk]


def test_verify_backup_proves_a_backup_without_touching_the_live_database(tmp_path):
    seed()
    file = tmp_path / "linkwell.tar"
    call_command("backup", str(file), stdout=io.StringIO())
    Referral.objects.all().delete()
    live = live_contents()
    out = io.StringIO()

    call_command("verify_backup", str(file), stdout=out)

    assert "is good" in out.getvalue()
    assert live_contents().tables == live.tables
    assert not Referral.objects.exists()


def test_backup_verify_takes_and_then_checks_a_backup(tmp_path):
    seed()
    out = io.StringIO()

    call_command("backup", str(tmp_path / "linkwell.tar"), "--verify", stdout=out)

    assert "Backed up" in out.getvalue()
    assert "is good" in out.getvalue()


def rewrite(path, new_path, change_manifest=None, change_dump=None) -> None:
    """A copy of a backup with its manifest or its dump altered (what damage or tampering
    would leave)."""
    with tarfile.open(path) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        dump_name = manifest["dump"]["name"]
        dump = tar.extractfile(dump_name).read()
    if change_manifest:
        change_manifest(manifest)
    if change_dump:
        dump = change_dump(dump)
    with tarfile.open(new_path, "w") as tar:
        for name, body in (("manifest.json", json.dumps(manifest).encode()), (dump_name, dump)):
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))


def test_a_backup_that_does_not_match_its_manifest_fails_the_check(tmp_path):
    seed()
    file = tmp_path / "linkwell.tar"
    call_command("backup", str(file), stdout=io.StringIO())
    miscounted = tmp_path / "miscounted.tar"

    def one_more_organisation(manifest):
        manifest["tables"]["accounts_organisation"]["rows"] += 1

    rewrite(file, miscounted, change_manifest=one_more_organisation)

    with pytest.raises(backups.ChecksFailed) as failed:
        backups.verify(miscounted)
    assert failed.value.returncode == 4
    there = Organisation.objects.count()
    assert failed.value.differences == [
        f"accounts_organisation: {there} rows, the backup has {there + 1}"
    ]


def test_a_damaged_backup_is_refused_before_anything_is_replaced(tmp_path):
    world = seed()
    file = tmp_path / "linkwell.tar"
    call_command("backup", str(file), stdout=io.StringIO())
    damaged = tmp_path / "damaged.tar"
    rewrite(file, damaged, change_dump=lambda dump: dump[:-1] + bytes([dump[-1] ^ 1]))
    Referral.objects.all().delete()

    with pytest.raises(backups.ChecksFailed, match="damaged"):
        backups.verify(damaged)
    with pytest.raises(backups.ChecksFailed, match="damaged"):
        backups.restore(damaged)

    assert not Referral.objects.filter(pk=world["referral"].pk).exists()


@pytest.fixture
def other_database(tmp_path):
    """The URL of another, empty database of the run's kind (dropped after the test)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    target = backups.target_for()
    params = target.pg_params()
    name = f"{params['dbname']}_elsewhere"
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    settings = target.settings
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings.get("PASSWORD") else "")
    yield f"postgres://{auth}@{settings['HOST']}:{settings['PORT']}/{name}"
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def test_restore_into_another_database_leaves_the_configured_one_alone(tmp_path, other_database):
    seed()
    file = tmp_path / "linkwell.tar"
    call_command("backup", str(file), stdout=io.StringIO())
    Referral.objects.all().delete()
    live = live_contents()
    out = io.StringIO()

    call_command("restore", str(file), "--no-input", "--database-url", other_database, stdout=out)

    elsewhere = backups.database_contents(backups.target_for(other_database))
    manifest = manifest_of(file)
    assert elsewhere.tables["referrals_referral"] == manifest["tables"]["referrals_referral"]
    assert elsewhere.tables[AUDIT]["rows"] == manifest["tables"][AUDIT]["rows"] + 1
    assert live_contents().tables == live.tables
    assert not Referral.objects.exists()
