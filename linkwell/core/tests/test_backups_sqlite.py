"""SQLite: a backup taken while the server keeps writing is one consistent moment, holds
everything committed before it began (even what is still only in the `-wal` file), needs no
`-wal` of its own, and restores."""

import io
import sqlite3
import tarfile
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection

from linkwell.accounts.actions import create_organisation
from linkwell.accounts.models import Organisation, OrganisationKind
from linkwell.audit.models import AuditEvent
from linkwell.core import backups

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's online backup (PostgreSQL: pg_dump)"
)


@pytest.fixture(autouse=True)
def _committed(live_db):
    """Committed rows, written by another thread."""


class Writer(threading.Thread):
    """Creates organisations in a loop, each with its audit event in the same transaction."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.written = 0
        self.errors: list[BaseException] = []
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                create_organisation(
                    actor=None, name=f"Partner {self.written}", kind=OrganisationKind.VOLUNTARY
                )
                self.written += 1
        except BaseException as error:  # reported by the test
            self.errors.append(error)
        finally:
            connection.close()

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 30
        while self.written < count and not self.errors and time.monotonic() < deadline:
            time.sleep(0.01)


def test_a_backup_taken_while_another_thread_writes_is_consistent(tmp_path):
    file = tmp_path / "linkwell.tar"
    created = "accounts.organisation.created"
    already = Organisation.objects.count()
    already_audited = AuditEvent.objects.filter(action=created).count()
    writer = Writer()
    writer.start()
    try:
        writer.wait_for(25)
        committed_before = writer.written
        report = backups.backup(file)
        committed_by_then = writer.written
        writer.wait_for(committed_by_then + 10)  # and the server carried on writing
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    assert not writer.errors
    assert writer.written >= committed_by_then + 10

    in_backup = report.manifest["tables"]["accounts_organisation"]["rows"] - already
    assert committed_before <= in_backup <= committed_by_then < writer.written

    # The copy inside stands alone (no -wal beside it), and each organisation is there with
    # its audit event: the snapshot has both of every pair or neither.
    alone = tmp_path / "alone"
    alone.mkdir()
    with tarfile.open(file) as tar:
        (alone / "copy.sqlite3").write_bytes(tar.extractfile("database.sqlite3").read())
    copy = sqlite3.connect(alone / "copy.sqlite3")
    try:
        [(organisations,)] = copy.execute("SELECT count(*) FROM accounts_organisation")
        [(audited,)] = copy.execute(
            "SELECT count(*) FROM audit_auditevent WHERE action = ?", [created]
        )
    finally:
        copy.close()
    assert organisations - already == audited - already_audited == in_backup

    assert "is good" in _checked(file)
    call_command("restore", str(file), "--no-input", stdout=io.StringIO())
    assert Organisation.objects.count() - already == in_backup
    assert AuditEvent.objects.filter(action=created).count() - already_audited == in_backup


def _checked(file) -> str:
    out = io.StringIO()
    call_command("verify_backup", str(file), stdout=out)
    return out.getvalue()


def test_rows_still_only_in_the_wal_are_in_the_backup(tmp_path):
    """A plain file copy would miss them: they are not in the main file until a checkpoint."""
    target = backups.target_for()
    holder = sqlite3.connect(target.path)  # keeps the -wal from being checkpointed away
    holder.execute("SELECT count(*) FROM django_migrations").fetchall()
    holder.execute("PRAGMA wal_autocheckpoint=0")
    connection.cursor().execute("PRAGMA wal_autocheckpoint=0")
    try:
        create_organisation(actor=None, name="Just written", kind=OrganisationKind.VOLUNTARY)
        wal = target.path.with_name(target.path.name + "-wal")
        assert wal.stat().st_size > 0

        report = backups.backup(tmp_path / "linkwell.tar")
    finally:
        holder.close()
        connection.cursor().execute("PRAGMA wal_autocheckpoint=1000")  # SQLite's default

    assert report.manifest["tables"]["accounts_organisation"]["rows"] == 1
    assert "is good" in _checked(tmp_path / "linkwell.tar")
