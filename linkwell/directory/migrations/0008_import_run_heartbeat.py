from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0007_import_fingerprint"),
    ]

    operations = [
        migrations.AddField(
            model_name="importrun",
            name="host",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AddField(
            model_name="importrun",
            name="pid",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="importrun",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="importrun",
            name="status",
            field=models.CharField(
                choices=[
                    ("running", "Running"),
                    ("committed", "Committed"),
                    ("refused", "Refused (bad rows, nothing committed)"),
                    ("dry_run", "Dry run"),
                    ("failed", "Failed"),
                    ("interrupted", "Interrupted (re-run the same import to complete it)"),
                ],
                default="running",
                max_length=20,
            ),
        ),
    ]
