"""The database cache's table, made by `migrate` so there is no separate set-up step.

Made the way `manage.py createcachetable` makes it (that command's own code), under a fixed
name (settings.CACHE_TABLE), whether or not the database cache is the one configured: switching
to it later then needs nothing more. An existing table is left as it is.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "linkwell_cache"  # settings.CACHE_TABLE (migrations do not import settings' values)


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_table, drop_table, elidable=False)]
