"""The backup file: one tar archive holding `manifest.json` first, then the database dump.

One file, so the manifest cannot be separated from its dump by accident; a tar, so an operator
can look inside with `tar -tvf` / `tar -xOf FILE manifest.json` without Linkwell. Written to a
hidden file beside the target with permissions 0600, then renamed into place: a backup that
failed half way never looks like a good one.
"""

import hashlib
import io
import json
import os
import secrets
import tarfile
import time
from pathlib import Path
from typing import IO, Any

from django.db.migrations.loader import MigrationLoader

from linkwell.core.backups.errors import BackupError, ChecksFailed, Refused

FORMAT = "linkwell-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
COPY_CHUNK = 1024 * 1024


def sha256_of(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(COPY_CHUNK):
            sha.update(block)
    return sha.hexdigest()


def write(path: Path, manifest: dict[str, Any], dump: Path, *, overwrite: bool = False) -> int:
    """Write the archive at `path` (0600, atomically); returns its size in bytes."""
    check_writable(path, overwrite=overwrite)
    folder = path.parent
    partial = folder / f".{path.name}.partial-{secrets.token_hex(4)}"
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
                body = json.dumps(manifest, indent=2, sort_keys=True).encode()
                tar.addfile(_member(MANIFEST, len(body)), io.BytesIO(body))
                with dump.open("rb") as source:
                    name = manifest["dump"]["name"]
                    tar.addfile(_member(name, dump.stat().st_size), source)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(partial, 0o600)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _sync_folder(folder)
    return path.stat().st_size


def check_writable(path: Path, *, overwrite: bool) -> None:
    """Refuse, before any work, a folder that is not there or a file that would be lost."""
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist: create it, or choose another.")
    if path.exists() and not overwrite:
        raise BackupError(
            f"{path} already exists: choose a new name (e.g. with the date in it) or give "
            "--overwrite. To check an existing backup use `linkwell verify_backup FILE`."
        )


def _member(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(time.time())
    return info


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (the folder's entry is on disk, not just the file)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class BackupFile:
    """An archive opened for reading: its manifest, checked, and its dump on demand."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.is_file():
            raise BackupError(f"{path}: no such file.")
        try:
            self._tar = tarfile.open(path, mode="r:")  # noqa: SIM115 (closed by close())
        except (tarfile.TarError, OSError) as error:
            raise Refused(
                f"{path} is not a Linkwell backup (not an archive made by `linkwell backup`: "
                f"{error}). Nothing was changed."
            ) from None
        try:
            self.manifest = self._read_manifest()
        except BaseException:
            self._tar.close()
            raise

    def __enter__(self) -> "BackupFile":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._tar.close()

    @property
    def vendor(self) -> str:
        return str(self.manifest["vendor"])

    def _read_manifest(self) -> dict[str, Any]:
        not_ours = (
            f"{self.path} is not a Linkwell backup (it has no Linkwell manifest). Nothing was "
            "changed."
        )
        try:
            first = self._tar.next()
        except tarfile.TarError:
            first = None
        if first is None or first.name != MANIFEST or not first.isfile():
            raise Refused(not_ours)
        if first.size > MAX_MANIFEST_BYTES:
            raise Refused(not_ours)
        try:
            reader = self._tar.extractfile(first)
            manifest = json.loads(reader.read()) if reader else None
        except (ValueError, tarfile.TarError):
            manifest = None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise Refused(not_ours)
        version = manifest.get("format_version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise Refused(
                f"{self.path} is a backup in format {version!r}, made by a newer Linkwell "
                f"(version {manifest.get('linkwell_version', '?')}); this one reads format "
                f"{FORMAT_VERSION}. Use that version of Linkwell, or a newer one."
            )
        for key in ("vendor", "dump", "tables", "migrations"):
            if key not in manifest:
                raise Refused(f"{self.path}: the manifest has no {key!r}; not a usable backup.")
        return manifest

    def extract_dump(self, dest: Path) -> None:
        """Copy the dump to `dest` (0600), checking it against the manifest's SHA-256."""
        expected = self.manifest["dump"]
        try:
            member = self._tar.getmember(expected["name"])
            source = self._tar.extractfile(member)
        except (KeyError, tarfile.TarError):
            source = None
        if source is None:
            raise ChecksFailed(f"{self.path} has no {expected['name']}: the file is damaged.")
        sha = hashlib.sha256()
        descriptor = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            _copy(source, out, sha)
            out.flush()
            os.fsync(out.fileno())
        if sha.hexdigest() != expected["sha256"]:
            raise ChecksFailed(
                f"{self.path}: the database dump inside does not match its manifest's SHA-256; "
                "the file is damaged or was changed. Use another backup."
            )


def _copy(source: IO[bytes], out: IO[bytes], sha: Any) -> None:
    while block := source.read(COPY_CHUNK):
        sha.update(block)
        out.write(block)


def unknown_migrations(applied: dict[str, list[str]]) -> list[str]:
    """Migrations the backup's database had applied that this code does not have: the backup
    was made by a newer Linkwell, whose schema this code would misread."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(tuple(replaced) for replaced in migration.replaces)
    return [
        f"{app}.{name}"
        for app, names in sorted(applied.items())
        for name in names
        if (app, name) not in known
    ]


def pending_migrations(applied: dict[str, list[str]]) -> list[str]:
    """This code's migrations the backup's database had not applied (`migrate` adds them)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    done = {(app, name) for app, names in applied.items() for name in names}
    pending = []
    for key, migration in sorted(loader.graph.nodes.items()):
        if key in done or (
            migration.replaces and all(tuple(r) in done for r in migration.replaces)
        ):
            continue
        pending.append(f"{key[0]}.{key[1]}")
    return pending
