"""`linkwell restore FILE`: replace the database with a backup, then prove it matches."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linkwell.core import backups


class Command(BaseCommand):
    help = (
        "Replace everything in the database (or --database-url's) with a backup made by "
        "`linkwell backup`, then check every table's row count and checksum against the "
        "backup's manifest, and audit the restore. Stop the server, workers and scheduled "
        "commands first: the restore refuses while other connections are open. Exit codes: "
        "0 restored and verified, 1 failed (nothing changed unless the message says so), "
        "3 refused (not a Linkwell backup, another kind of database, a newer Linkwell's "
        "backup, database in use), 4 restored but not matching the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup file.")
        parser.add_argument(
            "--database-url",
            help="Restore into this database instead of the configured one "
            "(e.g. postgres://USER@HOST/NEWDB, or sqlite:////path/to/file).",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation (for scripts).",
        )

    def handle(self, *args, file: Path, database_url=None, interactive=True, **options):
        try:
            if interactive and not self._confirmed(file, database_url):
                raise CommandError("Not restored: nothing was changed.", returncode=1)
            report = backups.restore(file, database_url=database_url, via="command restore")
        except backups.BackupError as error:
            raise CommandError(str(error), returncode=error.returncode) from None
        manifest = report.manifest
        self.stdout.write(
            f"Restored {report.path} (taken {manifest['created_at']} by Linkwell "
            f"{manifest.get('linkwell_version', '?')}) into the {report.database} in "
            f"{report.seconds:.1f} s. Verified: all {report.tables} tables and "
            f"{report.rows:,} rows match the backup's manifest."
        )
        if report.pending_migrations:
            self.stdout.write(
                f"The backup predates {len(report.pending_migrations)} migration(s) of this "
                "code: run `linkwell migrate` before starting the server."
            )

    def _confirmed(self, file: Path, database_url: str | None) -> bool:
        with backups.BackupFile(file.resolve()) as backup_file:
            manifest = backup_file.manifest
        target = backups.target_for(database_url)
        self.stdout.write(
            f"This replaces everything in the {target.label()} with the backup {file} "
            f"(taken {manifest['created_at']}, {manifest['totals']['rows']:,} rows). "
            "Anything written since that backup will be lost."
        )
        try:
            answer = input("Type 'restore' to go on: ")
        except EOFError:
            return False
        return answer.strip().lower() == "restore"
