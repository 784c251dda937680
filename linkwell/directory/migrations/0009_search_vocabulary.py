"""The words of the full-text index, for "did you mean" (see docs/adr/0028).

SQLite: two `fts5vocab` tables over the FTS5 index (read-only views kept by SQLite itself):
`row` gives each term and how many services hold it, `instance` where each occurrence is, so
a stem can be shown as a word a listing really uses. PostgreSQL reads `ts_stat` over the
generated column instead: nothing to create.

The index itself already stems (porter) and folds case and accents (unicode61,
remove_diacritics 2) since 0002, so it is not rebuilt.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS directory_service_fts_terms "
    "USING fts5vocab('directory_service_fts', 'row')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS directory_service_fts_instances "
    "USING fts5vocab('directory_service_fts', 'instance')",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS directory_service_fts_instances",
    "DROP TABLE IF EXISTS directory_service_fts_terms",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0008_import_run_heartbeat")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE_FORWARD}), _run({"sqlite": SQLITE_BACKWARD})),
    ]
