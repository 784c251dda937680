"""The database a backup is taken from or restored into, as Django's settings describe it.

Usually Django's configured database (an alias); `--database-url` names another one (a
restore into a fresh server, a scratch database for a check).
"""

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dj_database_url
from django.db import DEFAULT_DB_ALIAS, connections

from linkwell.core.backups.errors import BackupError

# libpq connection options Django's OPTIONS may carry, with the environment variable each has.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


@dataclass(frozen=True)
class Target:
    """A database: Django's settings for it, and its alias when Django knows it by one."""

    settings: dict[str, Any]
    alias: str | None = None
    from_url: bool = field(default=False, compare=False)

    @property
    def vendor(self) -> str:
        engine = str(self.settings.get("ENGINE", ""))
        if engine.endswith("sqlite3"):
            return "sqlite"
        if "postgresql" in engine:
            return "postgresql"
        raise BackupError(f"Backups support SQLite and PostgreSQL; this database uses {engine}.")

    @property
    def name(self) -> str:
        return str(self.settings.get("NAME") or "")

    @property
    def path(self) -> Path:
        """The SQLite database file."""
        return Path(self.name).resolve()

    def label(self) -> str:
        """How messages name the database (never with its password)."""
        if self.vendor == "sqlite":
            return f"SQLite database {self.path}"
        host = self.settings.get("HOST") or "local socket"
        port = f":{self.settings['PORT']}" if self.settings.get("PORT") else ""
        return f"PostgreSQL database {self.name!r} on {host}{port}"

    def with_name(self, name: str) -> "Target":
        """The same server, another database (a scratch database for a check)."""
        return Target({**self.settings, "NAME": name}, alias=None, from_url=True)

    def pg_params(self) -> dict[str, Any]:
        """psycopg connection keywords."""
        params: dict[str, Any] = {"dbname": self.name}
        for key, setting in (("user", "USER"), ("password", "PASSWORD"), ("host", "HOST")):
            if self.settings.get(setting):
                params[key] = str(self.settings[setting])
        if self.settings.get("PORT"):
            params["port"] = str(self.settings["PORT"])
        options = self.settings.get("OPTIONS") or {}
        params.update({k: str(v) for k, v in options.items() if k in LIBPQ_OPTIONS})
        return params

    def pg_env(self) -> dict[str, str]:
        """The environment for pg_dump and pg_restore: the connection travels here, the
        password in PGPASSWORD, so nothing secret is on a command line (`ps` shows those)."""
        env = dict(os.environ)
        names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD"}
        names |= {"host": "PGHOST", "port": "PGPORT", **LIBPQ_OPTIONS}
        for key, value in self.pg_params().items():
            env[names[key]] = value
        return env


def target_for(database_url: str | None = None, alias: str = DEFAULT_DB_ALIAS) -> Target:
    """Django's database `alias`, or the database a URL names."""
    if database_url:
        try:
            settings = dj_database_url.parse(database_url)
        except Exception as error:  # dj_database_url raises several kinds
            raise BackupError(f"--database-url: {error}") from None
        target = Target(dict(settings), alias=None, from_url=True)
    else:
        target = Target(dict(connections[alias].settings_dict), alias=alias)
    if not target.name:
        raise BackupError(f"The database settings name no database ({target.vendor}).")
    return target
