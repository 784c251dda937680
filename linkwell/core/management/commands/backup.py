"""`linkwell backup FILE`: back up the whole database into one file, with its manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linkwell.core import backups
from linkwell.core.management.commands.verify_backup import describe_check


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite: online backup API; PostgreSQL: pg_dump -Fc) into FILE, "
        "a tar of the dump and a manifest (migrations, row counts and checksums of every "
        "table). Safe while the server runs. The file holds personal data: it is written with "
        "permissions 0600; encrypt it before it leaves the machine (docs/how-to/"
        "backup-and-restore.md). Exit codes: 0 done, 1 failed, 4 --verify found a mismatch."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Where to write the backup (a new file).")
        parser.add_argument("--overwrite", action="store_true", help="Replace FILE if it exists.")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Then prove the new backup restores, in a scratch database (as verify_backup).",
        )

    def handle(self, *args, file: Path, overwrite=False, verify=False, **options):
        try:
            report = backups.backup(file, overwrite=overwrite, via="command backup")
            self.stdout.write(
                f"Backed up the {report.database}: {report.tables} tables, {report.rows:,} rows, "
                f"to {report.path} ({report.bytes / 2**20:,.1f} MiB) in {report.seconds:.1f} s."
            )
            if verify:
                self.stdout.write(describe_check(backups.verify(report.path)))
        except backups.BackupError as error:
            raise CommandError(str(error), returncode=error.returncode) from None
