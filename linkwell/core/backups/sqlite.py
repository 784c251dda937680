"""SQLite: a consistent copy of a live database, and swapping a restored file into place.

The copy uses SQLite's online backup API in one step: it reads one snapshot (WAL mode lets the
server keep writing meanwhile) and writes a single self-contained file, switched out of WAL
mode so it needs no `-wal` or `-shm` beside it.
"""

import os
import sqlite3
from pathlib import Path

from linkwell.core.backups.errors import BackupError, ChecksFailed, Refused

LOCK_WAIT_SECONDS = 2.0


def server_version() -> str:
    return sqlite3.sqlite_version


def snapshot(database: Path, dest: Path) -> None:
    """Copy the live database at `database` into the new file `dest`."""
    if not database.is_file():
        raise BackupError(
            f"There is no database at {database}: check DATABASE_URL / LINKWELL_VAR_DIR "
            "(or run `linkwell migrate` to create one)."
        )
    source = sqlite3.connect(f"{database.as_uri()}?mode=rw", uri=True, timeout=20)
    try:
        copy = sqlite3.connect(dest)
        try:
            source.backup(copy)  # pages=-1: all in one step, so one snapshot, never restarted
            copy.execute("PRAGMA journal_mode=DELETE")  # self-contained: no -wal needed
        finally:
            copy.close()
    except sqlite3.Error as error:
        raise BackupError(f"Copying {database} failed: {error}.") from None
    finally:
        source.close()


def integrity_problems(path: Path) -> list[str]:
    """What SQLite's own integrity check finds wrong with a database file (nothing: [])."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        found = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        return [str(error)]
    finally:
        conn.close()
    return [] if found == ["ok"] else found


def replace(database: Path, restored: Path) -> None:
    """Put the file `restored` in place of `database`, only while nothing else has it open.

    Taking the live file out of WAL mode needs every other connection gone (SQLite answers
    "database is locked" otherwise), so it is both the check and the preparation: it also
    folds the `-wal` back in and removes it (a stale `-wal` beside a replaced file would be
    replayed into it). An exclusive lock on the old file is held across the rename.
    """
    database.parent.mkdir(parents=True, exist_ok=True)
    if not database.exists():
        _remove_sidecars(database)
        os.replace(restored, database)
        _sync_folder(database.parent)
        return
    conn = sqlite3.connect(database, timeout=LOCK_WAIT_SECONDS, isolation_level=None)
    try:
        try:
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            conn.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise
            mode = "locked"
        if mode != "delete":
            raise Refused(
                f"Another process has {database} open, so it cannot be replaced safely. "
                "Stop the Linkwell server, its workers and any scheduled commands, then run "
                "restore again. Nothing was changed."
            )
        _keep_access(database, restored)
        _remove_sidecars(database)
        os.replace(restored, database)
        _sync_folder(database.parent)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"Could not take over {database}: {error}.") from None
    finally:
        conn.close()


def _keep_access(database: Path, restored: Path) -> None:
    """Give the restored file the old one's permissions (and owner, when run as root), so the
    server's user can still open it after an operator restores as someone else."""
    status = database.stat()
    os.chmod(restored, status.st_mode & 0o777)
    if os.geteuid() == 0:
        os.chown(restored, status.st_uid, status.st_gid)


def _remove_sidecars(database: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


def check_file(path: Path) -> None:
    """Refuse a dump that SQLite finds damaged, before it replaces anything."""
    problems = integrity_problems(path)
    if problems:
        raise ChecksFailed(f"The database in the backup is damaged ({path.name}):", problems)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
