"""`linkwell import_feed SOURCE`: import an Open Referral UK feed (URL or JSON/ndjson file)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from linkwell.directory.importers.console import (
    exit_status,
    find_actor,
    print_report,
    stopped_cleanly,
    with_progress,
)
from linkwell.directory.importers.problems import ImportSourceError
from linkwell.directory.importers.runner import BATCH_SIZE, import_feed


class Command(BaseCommand):
    help = "Import services from an ORUK 3.0 API URL or a JSON / ndjson file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="URL of an ORUK API, or a .json / .ndjson file")
        parser.add_argument(
            "--dry-run", action="store_true", help="report problems, commit nothing"
        )
        parser.add_argument(
            "--partial", action="store_true", help="commit the good services, report the bad"
        )
        parser.add_argument("--actor", help="username the import is recorded against")
        parser.add_argument("--timeout", type=float, default=30, help="seconds per HTTP request")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"most services written per transaction (default {BATCH_SIZE}; fewer on SQLite)",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        actor = find_actor(options["actor"])
        try:
            with stopped_cleanly():
                report = with_progress(
                    lambda on_progress: import_feed(
                        str(options["source"]),
                        actor=actor,
                        dry_run=bool(options["dry_run"]),
                        partial=bool(options["partial"]),
                        timeout=float(options["timeout"]),
                        on_progress=on_progress,
                        batch_size=int(options["batch_size"]),
                    ),
                    show=not options["no_progress"],
                )
        except ImportSourceError as error:
            raise CommandError(str(error)) from None
        print_report(report, self.stdout.write)
        exit_status(report)
