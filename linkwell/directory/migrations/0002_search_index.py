"""Full-text search index of services, kept by the database itself.

PostgreSQL: a stored generated tsvector column with a GIN index.
SQLite: an FTS5 external-content table over directory_service, kept in step by triggers.
Both weight the name above taxonomy/organisation words above the description.
See docs/adr/0002-full-text-search-in-the-database.md.
"""

from django.db import migrations

PG_FORWARD = [
    """
    ALTER TABLE directory_service ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(name, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(search_terms, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(description, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX directory_service_search_gin ON directory_service USING gin (search_vector)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS directory_service_search_gin",
    "ALTER TABLE directory_service DROP COLUMN IF EXISTS search_vector",
]

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE directory_service_fts USING fts5(
        name, search_terms, description,
        content='directory_service', content_rowid='search_rowid',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER directory_service_fts_ai AFTER INSERT ON directory_service BEGIN
        INSERT INTO directory_service_fts(rowid, name, search_terms, description)
        VALUES (new.search_rowid, new.name, new.search_terms, new.description);
    END
    """,
    """
    CREATE TRIGGER directory_service_fts_ad AFTER DELETE ON directory_service BEGIN
        INSERT INTO directory_service_fts(directory_service_fts, rowid, name, search_terms, description)
        VALUES ('delete', old.search_rowid, old.name, old.search_terms, old.description);
    END
    """,
    """
    CREATE TRIGGER directory_service_fts_au AFTER UPDATE OF name, search_terms, description, search_rowid
    ON directory_service BEGIN
        INSERT INTO directory_service_fts(directory_service_fts, rowid, name, search_terms, description)
        VALUES ('delete', old.search_rowid, old.name, old.search_terms, old.description);
        INSERT INTO directory_service_fts(rowid, name, search_terms, description)
        VALUES (new.search_rowid, new.name, new.search_terms, new.description);
    END
    """,
    "INSERT INTO directory_service_fts(directory_service_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS directory_service_fts_au",
    "DROP TRIGGER IF EXISTS directory_service_fts_ad",
    "DROP TRIGGER IF EXISTS directory_service_fts_ai",
    "DROP TABLE IF EXISTS directory_service_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
