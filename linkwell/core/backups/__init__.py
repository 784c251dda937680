"""Backups of the whole database, restores, and proof that a backup restores (docs/adr/0022).

A backup is one file: a tar of a manifest and the database dump (SQLite's online backup API,
or pg_dump in custom format). The manifest records the vendor, the Linkwell version, the
applied migrations, and every table's row count and content checksum as of the dump. A restore
(or a check into a scratch database) is proven by computing the same sums again and finding
them equal. The commands in core/management/commands are thin wrappers around these functions.
"""

import datetime as dt
import importlib.metadata
import os
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.utils import load_backend

from linkwell.core.backups import archive, postgres, sqlite
from linkwell.core.backups.checksums import METHOD, Contents, differences, sqlite_contents
from linkwell.core.backups.errors import BackupError, ChecksFailed, Refused
from linkwell.core.backups.target import Target, target_for

__all__ = [
    "BackupError",
    "BackupFile",
    "ChecksFailed",
    "Contents",
    "Refused",
    "Report",
    "backup",
    "database_contents",
    "restore",
    "target_for",
    "verify",
]

BackupFile = archive.BackupFile


@dataclass
class Report:
    """What a backup, restore or check did, for the command to print."""

    path: Path
    manifest: dict[str, Any]
    seconds: float
    bytes: int = 0
    database: str = ""
    pending_migrations: list[str] = field(default_factory=list)
    unknown_migrations: list[str] = field(default_factory=list)

    @property
    def tables(self) -> int:
        return len(self.manifest["tables"])

    @property
    def rows(self) -> int:
        return sum(int(t["rows"]) for t in self.manifest["tables"].values())


def linkwell_version() -> str:
    try:
        return importlib.metadata.version("linkwell")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def database_contents(target: Target) -> Contents:
    """Row counts, checksums and applied migrations of a database as it is now."""
    if target.vendor == "sqlite":
        return sqlite_contents(target.path)
    return postgres.contents(target)


def backup(path: Path, *, overwrite: bool = False, via: str = "backup") -> Report:
    """Back up Django's database to `path`, then audit that it was done."""
    started = time.monotonic()
    target = target_for()
    path = path.resolve()
    archive.check_writable(path, overwrite=overwrite)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.dump-")
    os.close(handle)
    dump_file = Path(name)
    try:
        if target.vendor == "sqlite":
            sqlite.snapshot(target.path, dump_file)
            contents = sqlite_contents(dump_file)
            server = {"version": sqlite.server_version()}
            tool: dict[str, Any] = {"tool": "SQLite online backup API"}
        else:
            contents, server, tool = postgres.dump(target, dump_file)
        if not contents.migrations:
            raise BackupError(
                f"The {target.label()} has no Linkwell tables (run `linkwell migrate`); "
                "nothing was backed up."
            )
        manifest = {
            "format": archive.FORMAT,
            "format_version": archive.FORMAT_VERSION,
            "id": str(uuid.uuid4()),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "linkwell_version": linkwell_version(),
            "vendor": target.vendor,
            "database": target.path.name if target.vendor == "sqlite" else target.name,
            "server": server,
            "dump": {
                "name": archive.DUMP_NAMES[target.vendor],
                "bytes": dump_file.stat().st_size,
                "sha256": archive.sha256_of(dump_file),
                **tool,
            },
            "checksum_method": METHOD,
            "migrations": contents.migrations,
            "totals": {"tables": len(contents.tables), "rows": contents.rows},
            "tables": contents.tables,
        }
        size = archive.write(path, manifest, dump_file, overwrite=overwrite)
    finally:
        dump_file.unlink(missing_ok=True)
    report = Report(path, manifest, time.monotonic() - started, size, target.label())
    _audit(
        target,
        "core.backup.created",
        report,
        via=via,
        details={"bytes": size, "tables": report.tables, "rows": report.rows},
        what="The backup was written",
    )
    return report


def restore(path: Path, *, database_url: str | None = None, via: str = "restore") -> Report:
    """Replace the database (Django's, or the one `database_url` names) with the backup at
    `path`, check it against the manifest, then audit the restore in the restored database."""
    started = time.monotonic()
    target = target_for(database_url)
    path = path.resolve()
    with archive.BackupFile(path) as backup_file:
        manifest = backup_file.manifest
        _refuse_unless_restorable(manifest, target, path)
        if target.vendor == "sqlite":
            _restore_sqlite(backup_file, target)
        else:
            _restore_postgres(backup_file, target)
    actual = database_contents(target)
    found = differences(manifest["tables"], actual.tables)
    report = Report(path, manifest, time.monotonic() - started, path.stat().st_size)
    report.database = target.label()
    report.pending_migrations = archive.pending_migrations(manifest["migrations"])
    _audit(
        target,
        "core.backup.restored",
        report,
        via=via,
        details={
            "backup_created_at": manifest["created_at"],
            "backup_linkwell_version": manifest.get("linkwell_version"),
            "verified": not found,
            "differences": found[:20],
        },
        what="The restore finished",
    )
    if found:
        raise ChecksFailed(
            f"The backup was restored into the {target.label()}, but the result does not match "
            "its manifest. Do not start the server on it; restore an earlier backup, and keep "
            "this one for investigation. Differences:",
            found,
        )
    return report


def verify(path: Path, *, database_url: str | None = None) -> Report:
    """Prove the backup at `path` restores to what its manifest records, in a scratch database
    (a temporary file; on PostgreSQL a temporary database), never touching the live one."""
    started = time.monotonic()
    path = path.resolve()
    with (
        archive.BackupFile(path) as backup_file,
        tempfile.TemporaryDirectory(prefix="linkwell-check-") as folder,
    ):
        manifest = backup_file.manifest
        dump_file = Path(folder) / manifest["dump"]["name"]
        if backup_file.vendor == "sqlite":
            backup_file.extract_dump(dump_file)
            sqlite.check_file(dump_file)
            actual = sqlite_contents(dump_file)
        elif backup_file.vendor == "postgresql":
            server = target_for(database_url)
            if server.vendor != "postgresql":
                raise BackupError(
                    "This is a backup of a PostgreSQL database: checking it needs a PostgreSQL "
                    "server to restore it into. Give --database-url postgres://USER@HOST/DB "
                    "(a user allowed to create databases)."
                )
            backup_file.extract_dump(dump_file)
            with postgres.scratch_database(server) as scratch:
                postgres.restore(
                    scratch, dump_file, dumped_by_major=_dumped_by(manifest), clean=False
                )
                actual = postgres.contents(scratch)
        else:
            raise Refused(f"{path}: a backup of a {backup_file.vendor!r} database is unknown here.")
    found = differences(manifest["tables"], actual.tables)
    if found:
        raise ChecksFailed(
            f"{path} does not restore to what its manifest records: do not rely on it. "
            "Differences:",
            found,
        )
    report = Report(path, manifest, time.monotonic() - started, path.stat().st_size)
    report.database = "a scratch database"
    report.unknown_migrations = archive.unknown_migrations(manifest["migrations"])
    report.pending_migrations = archive.pending_migrations(manifest["migrations"])
    return report


def _refuse_unless_restorable(manifest: dict[str, Any], target: Target, path: Path) -> None:
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    if manifest["vendor"] != target.vendor:
        raise Refused(
            f"{path} is a backup of a {names.get(manifest['vendor'], manifest['vendor'])} "
            f"database; the database to restore into is {names[target.vendor]} "
            f"({target.label()}). A backup restores only into the kind of database it was "
            "made from. Nothing was changed."
        )
    unknown = archive.unknown_migrations(manifest["migrations"])
    if unknown:
        raise Refused(
            f"{path} was made by a newer Linkwell ({manifest.get('linkwell_version', '?')}) "
            f"whose database has migrations this code does not: {', '.join(unknown[:10])}"
            f"{' ...' if len(unknown) > 10 else ''}. Install that version (or a newer one) and "
            "restore with it. Nothing was changed."
        )
    if target.alias and connections[target.alias].in_atomic_block:
        raise BackupError("A restore cannot run inside a database transaction.")


def _restore_sqlite(backup_file: archive.BackupFile, target: Target) -> None:
    folder = target.path.parent
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=folder, prefix=f".{target.path.name}.restore-")
    os.close(handle)
    restored = Path(name)
    try:
        backup_file.extract_dump(restored)
        _close_django_connections(target)
        sqlite.replace(target.path, restored)
    finally:
        restored.unlink(missing_ok=True)


def _restore_postgres(backup_file: archive.BackupFile, target: Target) -> None:
    manifest = backup_file.manifest
    with tempfile.TemporaryDirectory(prefix="linkwell-restore-") as folder:
        dump_file = Path(folder) / manifest["dump"]["name"]
        backup_file.extract_dump(dump_file)
        _close_django_connections(target)
        others = postgres.other_sessions(target)
        if others:
            raise Refused(
                f"Other connections are open to the {target.label()}: {'; '.join(others[:10])}. "
                "Stop the Linkwell server, its workers and any scheduled commands (and close "
                "other clients), then run restore again. Nothing was changed."
            )
        extra = sorted(set(postgres.table_names(target)) - set(manifest["tables"]))
        if extra:
            raise Refused(
                f"The {target.label()} has tables the backup does not ({', '.join(extra[:10])}"
                f"{' ...' if len(extra) > 10 else ''}): it was migrated after the backup was "
                "taken, and a restore would leave them behind. Restore into an empty database "
                f"(e.g. `dropdb {target.name} && createdb {target.name}`, or another one with "
                "--database-url). Nothing was changed."
            )
        postgres.restore(target, dump_file, dumped_by_major=_dumped_by(manifest), clean=True)


def _dumped_by(manifest: dict[str, Any]) -> int:
    return int(manifest["dump"].get("tool_major") or 0)


def _close_django_connections(target: Target) -> None:
    """Close this process's own connections to the database about to be replaced (they would
    count as "another connection", and must not outlive the old file or tables)."""
    for connection in connections.all(initialized_only=True):
        if _same_database(Target(dict(connection.settings_dict)), target):
            connection.close()


def _same_database(one: Target, other: Target) -> bool:
    try:
        if one.vendor != other.vendor:
            return False
    except BackupError:
        return False
    if one.vendor == "sqlite":
        return one.path == other.path
    keys = ("NAME", "HOST", "PORT")
    return all(str(one.settings.get(k) or "") == str(other.settings.get(k) or "") for k in keys)


def _audit(
    target: Target, action: str, report: Report, *, via: str, details: dict[str, Any], what: str
) -> None:
    """Audit a backup or restore in the target database (as the system: no user acted)."""
    from linkwell.audit.actions import actor_label, record_event
    from linkwell.audit.models import AuditEvent

    event = {
        "action": action,
        "target_type": "backup",
        "target_id": report.manifest["id"],
        "target_label": str(report.path)[:255],
        "via": via,
        "details": {"file": str(report.path), "backup_id": report.manifest["id"], **details},
    }
    alias = target.alias or "linkwell_backup_target"
    if target.alias is None:  # a database Django was not configured with: a connection for now
        settings = connections.configure_settings({DEFAULT_DB_ALIAS: dict(target.settings)})
        backend = load_backend(settings[DEFAULT_DB_ALIAS]["ENGINE"])
        connections[alias] = backend.DatabaseWrapper(settings[DEFAULT_DB_ALIAS], alias)
    try:
        with transaction.atomic(using=alias):
            if alias == DEFAULT_DB_ALIAS:
                record_event(actor=None, **event)
            else:
                AuditEvent.objects.using(alias).create(
                    at=dt.datetime.now(dt.UTC), actor=None, actor_label=actor_label(None), **event
                )
    except DatabaseError as error:
        raise BackupError(
            f"{what}, but its audit event could not be recorded in the {target.label()}: "
            f"{error}. If the database is behind this code, run `linkwell migrate`."
        ) from None
    finally:
        if target.alias is None:
            connections[alias].close()
            del connections[alias]
