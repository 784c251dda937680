"""`linkwell verify_backup FILE`: prove a backup restores, without touching the live database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linkwell.core import backups


def describe_check(report: backups.Report) -> str:
    """What a successful check proved, and what restoring that backup here would involve."""
    manifest = report.manifest
    lines = [
        f"{report.path} is good: restored into {report.database}, its {report.tables} tables "
        f"and {report.rows:,} rows match the manifest ({manifest['vendor']}, taken "
        f"{manifest['created_at']} by Linkwell {manifest.get('linkwell_version', '?')}); "
        f"checked in {report.seconds:.1f} s."
    ]
    if report.unknown_migrations:
        lines.append(
            "This code cannot restore it: it is from a newer Linkwell (migrations "
            f"{', '.join(report.unknown_migrations[:5])})."
        )
    elif report.pending_migrations:
        lines.append(
            f"After restoring it here, run `linkwell migrate` ({len(report.pending_migrations)} "
            "newer migration(s) to apply)."
        )
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Check a backup made by `linkwell backup`: restore it into a scratch database (SQLite: "
        "a temporary file; PostgreSQL: a temporary database on the configured server, or "
        "--database-url's, created and dropped) and compare every table's row count and "
        "checksum with its manifest. The live database is not touched. Exit codes: 0 good, "
        "1 failed to check, 3 not a Linkwell backup, 4 the backup does not match its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup file.")
        parser.add_argument(
            "--database-url",
            help="PostgreSQL backups: the server to check on (its user must be allowed to "
            "create databases). Default: DATABASE_URL.",
        )

    def handle(self, *args, file: Path, database_url=None, **options):
        try:
            report = backups.verify(file, database_url=database_url)
        except backups.BackupError as error:
            raise CommandError(str(error), returncode=error.returncode) from None
        self.stdout.write(describe_check(report))
