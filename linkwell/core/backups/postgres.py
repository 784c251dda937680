"""PostgreSQL: pg_dump and pg_restore in custom format, with checksums from the dump's snapshot.

pg_dump reads a snapshot exported by the transaction that computes the manifest's checksums,
so both describe exactly the same moment however busy the server is. Restores run in one
transaction (`--single-transaction`): if anything fails, the database is left as it was.
"""

import re
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linkwell.core.backups.checksums import Contents, pg_contents, pg_tables
from linkwell.core.backups.errors import BackupError
from linkwell.core.backups.target import Target

DEBIAN_BINARIES = "/usr/lib/postgresql/*/bin"  # where Debian's packages put each version
TOOL_VERSION = re.compile(r"\(PostgreSQL\)\s+((\d+)(?:\.\d+)*)")


@dataclass(frozen=True)
class Tool:
    path: Path
    version: str
    major: int


def install_hint(major: int) -> str:
    return (
        f"Install the PostgreSQL client tools, version {major} or newer: on Debian or Ubuntu "
        f"`apt-get install postgresql-client` (or postgresql-client-{major} from "
        "apt.postgresql.org when the distribution's is older), or put their folder first on PATH."
    )


def _debian_folders() -> list[Path]:
    """Debian's per-version folders, newest first."""
    folders = Path("/").glob(DEBIAN_BINARIES.lstrip("/"))
    return sorted(
        folders, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True
    )


def find_tool(
    name: str, *, at_least: int, why: str = "the server", search: list[Path] | None = None
) -> Tool:
    """The first `name` (PATH first, then Debian's folders, newest first) whose major version
    is at least `at_least`: older tools refuse newer servers, or misread newer dumps."""
    candidates: list[Path] = []
    if search is None:
        found_on_path = shutil.which(name)
        if found_on_path:
            candidates.append(Path(found_on_path))
        candidates += [folder / name for folder in _debian_folders()]
    else:
        candidates += [folder / name for folder in search]
    seen: set[Path] = set()
    tools: list[Tool] = []
    for candidate in candidates:
        if candidate in seen or not candidate.is_file():
            continue
        seen.add(candidate)
        tool = _tool(candidate)
        if tool is None:
            continue
        if tool.major >= at_least:
            return tool
        tools.append(tool)
    if not tools:
        raise BackupError(
            f"{name} was not found (on PATH or in {DEBIAN_BINARIES}). " + install_hint(at_least)
        )
    newest = max(tools, key=lambda t: t.major)
    raise BackupError(
        f"{name} {newest.version} ({newest.path}) is older than {why} (version {at_least}). "
        + install_hint(at_least)
    )


def _tool(path: Path) -> Tool | None:
    try:
        done = subprocess.run(  # noqa: S603 (a PostgreSQL tool we found, no shell)
            [str(path), "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = TOOL_VERSION.search(done.stdout)
    if done.returncode != 0 or match is None:
        return None
    return Tool(path=path, version=match[1], major=int(match[2]))


def connect(target: Target, *, autocommit: bool = False) -> Any:
    """A psycopg connection (not Django's: the dump needs a transaction of its own)."""
    import psycopg

    try:
        return psycopg.connect(**target.pg_params(), autocommit=autocommit)
    except psycopg.Error as error:
        raise BackupError(
            f"Could not connect to the {target.label()}: {str(error).strip()}. Check "
            "DATABASE_URL (or --database-url), and that the server is running."
        ) from None


def _snapshot_connection(target: Target) -> Any:
    import psycopg

    conn = connect(target)
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    conn.read_only = True
    return conn


def server_version(conn: Any) -> tuple[int, str]:
    """(major, full version) of the server."""
    row = conn.execute(
        "SELECT current_setting('server_version_num')::int / 10000, "
        "current_setting('server_version')"
    ).fetchone()
    return int(row[0]), str(row[1]).split()[0]


def dump(target: Target, dest: Path) -> tuple[Contents, dict[str, Any], dict[str, Any]]:
    """pg_dump the database into `dest`; returns its contents as of the dump's snapshot, and
    what the manifest records of the server and of the tool."""
    conn = _snapshot_connection(target)
    try:
        major, version = server_version(conn)  # starts the transaction: its snapshot is it
        tool = find_tool("pg_dump", at_least=major)
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        encoding = conn.execute(
            "SELECT pg_encoding_to_char(encoding) FROM pg_database "
            "WHERE datname = current_database()"
        ).fetchone()[0]
        command = [
            str(tool.path),
            "--format=custom",
            f"--snapshot={snapshot}",
            "--no-password",
            f"--file={dest}",
        ]
        with tempfile.TemporaryFile() as errors:
            process = subprocess.Popen(  # noqa: S603 (no shell; no secret in the arguments)
                command, env=target.pg_env(), stdout=subprocess.DEVNULL, stderr=errors
            )
            try:
                contents = pg_contents(conn)  # meanwhile, from the same snapshot
                code = process.wait()
            except BaseException:
                process.kill()
                process.wait()
                raise
            if code != 0:
                raise BackupError(f"pg_dump failed (exit code {code}): {_tail(errors)}")
        conn.rollback()
    finally:
        conn.close()
    server = {"version": version, "major": major, "encoding": encoding}
    return contents, server, {"tool": f"pg_dump {tool.version}", "tool_major": tool.major}


def restore(target: Target, dump_file: Path, *, dumped_by_major: int, clean: bool) -> None:
    """pg_restore `dump_file` into the target in one transaction, without the original owners
    (the target's user owns what it creates); `clean` first drops the objects the dump holds."""
    conn = connect(target, autocommit=True)
    try:
        major, _ = server_version(conn)
    finally:
        conn.close()
    at_least = max(major, dumped_by_major)
    why = "the server" if major >= dumped_by_major else "the pg_dump that made the backup"
    tool = find_tool("pg_restore", at_least=at_least, why=why)
    command = [str(tool.path), "--no-owner", "--single-transaction", "--exit-on-error"]
    if clean:
        command += ["--clean", "--if-exists"]
    command += ["--no-password", f"--dbname={target.name}", str(dump_file)]
    with tempfile.TemporaryFile() as errors:
        code = subprocess.run(  # noqa: S603 (no shell; no secret in the arguments)
            command, env=target.pg_env(), stdout=subprocess.DEVNULL, stderr=errors, check=False
        ).returncode
        if code != 0:
            raise BackupError(
                f"pg_restore failed (exit code {code}); it ran in one transaction, so the "
                f"database was left as it was. pg_restore said: {_tail(errors)}"
            )


def contents(target: Target) -> Contents:
    """Counts, sums and migrations of a database, from one snapshot."""
    conn = _snapshot_connection(target)
    try:
        return pg_contents(conn)
    finally:
        conn.close()


def other_sessions(target: Target) -> list[str]:
    """The other client connections to the target database, described for the operator."""
    conn = connect(target, autocommit=True)
    try:
        rows = conn.execute(
            "SELECT pid, usename, application_name, client_addr FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend' ORDER BY pid"
        ).fetchall()
    finally:
        conn.close()
    return [
        f"pid {pid} user {user}"
        + (f" ({application})" if application else "")
        + (f" from {address}" if address else " (local socket)")
        for pid, user, application, address in rows
    ]


def table_names(target: Target) -> list[str]:
    conn = connect(target, autocommit=True)
    try:
        return [name for _, name in pg_tables(conn)]
    finally:
        conn.close()


@contextmanager
def scratch_database(server: Target) -> Iterator[Target]:
    """A new, empty database on the server `server` names, dropped afterwards whatever happens."""
    from psycopg import Error, sql

    name = f"linkwell_check_{secrets.token_hex(6)}"
    admin = connect(server, autocommit=True)
    try:
        try:
            admin.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
                    sql.Identifier(name)
                )
            )
        except Error as error:
            raise BackupError(
                f"Could not create a scratch database on the server of the {server.label()} "
                f"to check the backup in: {str(error).strip()}. The check needs a user allowed "
                "to create databases (CREATEDB); give --database-url for one."
            ) from None
        try:
            yield server.with_name(name)
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    finally:
        admin.close()


def _tail(errors: Any, lines: int = 15) -> str:
    errors.seek(0)
    text = errors.read().decode("utf-8", "replace").strip()
    return "\n".join(text.splitlines()[-lines:]) or "(no message)"
