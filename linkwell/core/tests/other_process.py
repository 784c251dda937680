"""The test database as another process (a server, a worker, a command) is told it: the rows it
reads must be committed (`live_db`)."""

from urllib.parse import quote

import pytest
from django.db import connection


def database_url() -> str:
    """This test database's DATABASE_URL (a file for SQLite: never an in-memory one)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        if db["NAME"] == ":memory:" or "mode=memory" in str(db["NAME"]):
            pytest.skip("another process needs a database file it can open")
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
