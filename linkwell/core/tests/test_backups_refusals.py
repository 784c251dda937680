"""What backup and restore refuse to do, each with the exit code and a message that says what
to do instead, and leaving the database as it was. On whichever database the run uses."""

import io
import json
import sqlite3
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from linkwell.accounts.actions import create_organisation
from linkwell.accounts.models import Organisation, OrganisationKind
from linkwell.core import backups
from linkwell.core.backups import archive, postgres
from linkwell.core.backups.target import Target

NAME = "Moorside Practice"


@pytest.fixture(autouse=True)
def _committed(live_db):
    """Committed rows: a backup reads through its own connection."""


@pytest.fixture
def backed_up(tmp_path):
    """A backup of one organisation; the organisation is deleted after it was taken."""
    organisation = create_organisation(actor=None, name=NAME, kind=OrganisationKind.GP_PRACTICE)
    file = tmp_path / "linkwell.tar"
    call_command("backup", str(file), stdout=io.StringIO())
    Organisation.objects.filter(pk=organisation.pk).delete()
    return file


def restore_fails(file, *extra) -> CommandError:
    with pytest.raises(CommandError) as failure:
        call_command("restore", str(file), "--no-input", *extra, stdout=io.StringIO())
    assert not Organisation.objects.filter(name=NAME).exists(), "restore must not have happened"
    return failure.value


def with_manifest(file, new_file, change) -> None:
    with tarfile.open(file) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        dump = tar.extractfile(manifest["dump"]["name"]).read()
    change(manifest)
    with tarfile.open(new_file, "w") as tar:
        body = json.dumps(manifest).encode()
        for name, content in (("manifest.json", body), (manifest["dump"]["name"], dump)):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))


def test_it_refuses_a_file_that_is_not_a_backup(backed_up, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup\n" * 100)
    bare_database = tmp_path / "copy.sqlite3"
    sqlite3.connect(bare_database).execute("CREATE TABLE t (x)").connection.close()
    other_tar = tmp_path / "photos.tar"
    with tarfile.open(other_tar, "w") as tar:
        tar.add(junk, arcname="notes.txt")

    for file in (junk, bare_database, other_tar):
        error = restore_fails(file)
        assert error.returncode == 3
        assert "is not a Linkwell backup" in str(error)
        assert "Nothing was changed" in str(error)


def test_it_refuses_a_backup_of_another_kind_of_database(backed_up, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    foreign = tmp_path / "foreign.tar"
    with_manifest(backed_up, foreign, lambda manifest: manifest.update(vendor=other))

    error = restore_fails(foreign)

    assert error.returncode == 3
    assert "restores only into the kind of database it was made from" in str(error)


def test_it_refuses_a_backup_from_newer_migrations_than_the_code_knows(backed_up, tmp_path):
    newer = tmp_path / "newer.tar"

    def from_the_future(manifest):
        manifest["linkwell_version"] = "9.0.0"
        manifest["migrations"]["referrals"].append("9999_from_the_future")

    with_manifest(backed_up, newer, from_the_future)

    error = restore_fails(newer)

    assert error.returncode == 3
    assert "newer Linkwell (9.0.0)" in str(error)
    assert "referrals.9999_from_the_future" in str(error)


def test_it_refuses_while_another_connection_has_the_database_open(backed_up):
    target = backups.target_for()
    if connection.vendor == "sqlite":
        other = sqlite3.connect(target.path)
        other.execute("SELECT count(*) FROM django_migrations").fetchall()
    else:
        other = postgres.connect(target, autocommit=True)
    try:
        error = restore_fails(backed_up)
    finally:
        other.close()

    assert error.returncode == 3
    assert "Stop the Linkwell server" in str(error)
    call_command("restore", str(backed_up), "--no-input", stdout=io.StringIO())
    assert Organisation.objects.filter(name=NAME).exists()


def test_restore_asks_first_and_does_nothing_unless_told_to(backed_up, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    out = io.StringIO()

    with pytest.raises(CommandError, match="Not restored"):
        call_command("restore", str(backed_up), stdout=out)

    assert "Anything written since that backup will be lost" in out.getvalue()
    assert not Organisation.objects.filter(name=NAME).exists()
    monkeypatch.setattr("builtins.input", lambda prompt: "restore")
    call_command("restore", str(backed_up), stdout=out)
    assert Organisation.objects.filter(name=NAME).exists()


def test_it_never_writes_over_an_existing_file_unless_asked(backed_up):
    before = backed_up.read_bytes()

    with pytest.raises(CommandError, match="already exists") as failure:
        call_command("backup", str(backed_up), stdout=io.StringIO())

    assert failure.value.returncode == 1
    assert backed_up.read_bytes() == before
    call_command("backup", str(backed_up), "--overwrite", stdout=io.StringIO())
    assert backed_up.read_bytes() != before


def test_a_backup_into_a_missing_folder_says_so(tmp_path):
    with pytest.raises(CommandError, match="does not exist: create it"):
        call_command("backup", str(tmp_path / "nowhere" / "b.tar"), stdout=io.StringIO())


def test_older_backups_restore_and_say_to_migrate():
    applied = backups.database_contents(backups.target_for()).migrations
    assert archive.pending_migrations(applied) == []
    assert archive.unknown_migrations(applied) == []
    older = {app: names[:-1] for app, names in applied.items()}
    last_of_referrals = f"referrals.{applied['referrals'][-1]}"

    assert last_of_referrals in archive.pending_migrations(older)
    assert archive.unknown_migrations(older) == []


# pg_dump and pg_restore: found, and checked, before they run ---------------------------------


def fake_tool(folder, name, version):
    folder.mkdir(parents=True, exist_ok=True)
    tool = folder / name
    tool.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\n")
    tool.chmod(0o755)
    return tool


def test_a_missing_pg_dump_is_named_with_what_to_install(tmp_path):
    with pytest.raises(backups.BackupError) as failure:
        postgres.find_tool("pg_dump", at_least=15, search=[tmp_path])

    assert "pg_dump was not found" in str(failure.value)
    assert "apt-get install postgresql-client" in str(failure.value)


def test_a_pg_dump_older_than_the_server_is_refused(tmp_path):
    fake_tool(tmp_path / "13", "pg_dump", "13.4")

    with pytest.raises(backups.BackupError) as failure:
        postgres.find_tool("pg_dump", at_least=15, search=[tmp_path / "13"])

    assert "pg_dump 13.4" in str(failure.value)
    assert "older than the server (version 15)" in str(failure.value)
    assert "postgresql-client-15" in str(failure.value)


def test_the_first_new_enough_tool_is_used(tmp_path):
    fake_tool(tmp_path / "13", "pg_restore", "13.4")
    newer = fake_tool(tmp_path / "16", "pg_restore", "16.2 (Debian 16.2-1)")

    tool = postgres.find_tool("pg_restore", at_least=15, search=[tmp_path / "13", tmp_path / "16"])

    assert (tool.path, tool.version, tool.major) == (newer, "16.2", 16)


def test_the_password_goes_to_the_tools_in_the_environment_only():
    target = Target(
        {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "linkwell",
            "USER": "lw",
            "PASSWORD": "not-for-ps-to-show",
            "HOST": "db.internal",
            "PORT": 5432,
            "OPTIONS": {"sslmode": "require", "pool": True},
        }
    )

    env = target.pg_env()

    assert env["PGPASSWORD"] == "not-for-ps-to-show"
    assert (env["PGUSER"], env["PGHOST"], env["PGPORT"]) == ("lw", "db.internal", "5432")
    assert (env["PGDATABASE"], env["PGSSLMODE"]) == ("linkwell", "require")
    assert "not-for-ps-to-show" not in target.label()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump: PostgreSQL only")
def test_pg_dump_is_not_given_the_password_on_its_command_line(tmp_path, monkeypatch):
    create_organisation(actor=None, name=NAME, kind=OrganisationKind.GP_PRACTICE)
    # The test server trusts local connections, so any password is accepted.
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", "not-for-ps-to-show")
    started = []
    real_popen = postgres.subprocess.Popen

    def recording_popen(command, **kwargs):
        if "--format=custom" in command:  # the dump (not `pg_dump --version`)
            started.append((command, kwargs["env"]))
        return real_popen(command, **kwargs)

    monkeypatch.setattr(postgres.subprocess, "Popen", recording_popen)

    backups.backup(tmp_path / "b.tar")

    [(command, env)] = started
    assert not any("not-for-ps-to-show" in part for part in command)
    assert env["PGPASSWORD"] == "not-for-ps-to-show"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite replaces the whole file")
def test_it_refuses_to_leave_tables_the_backup_does_not_have(backed_up):
    """A restore over a database migrated since would leave those tables behind (and
    `migrate` would then fail to create them): it asks for an empty database instead."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE added_since (id integer PRIMARY KEY)")
    try:
        error = restore_fails(backed_up)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE added_since")

    assert error.returncode == 3
    assert "has tables the backup does not (added_since)" in str(error)
    assert "Restore into an empty database" in str(error)
