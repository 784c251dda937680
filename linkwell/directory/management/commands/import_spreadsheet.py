"""`linkwell import_spreadsheet FILE`: import a partner's service-mapping sheet (CSV/XLSX)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from linkwell.directory.importers.console import (
    exit_status,
    find_actor,
    print_report,
    stopped_cleanly,
    with_progress,
)
from linkwell.directory.importers.problems import ImportSourceError
from linkwell.directory.importers.runner import BATCH_SIZE, import_spreadsheet


class Command(BaseCommand):
    help = "Import a service-mapping spreadsheet (see docs/templates/service-mapping-template.csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=".csv or .xlsx file")
        parser.add_argument(
            "--scheme",
            default="",
            help="tier scheme of rows that name none (e.g. review-2017; default operating-model)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report problems, commit nothing"
        )
        parser.add_argument(
            "--partial", action="store_true", help="commit the good rows, report the bad"
        )
        parser.add_argument("--actor", help="username the import is recorded against")
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
                    lambda on_progress: import_spreadsheet(
                        str(options["file"]),
                        actor=actor,
                        scheme=str(options["scheme"]),
                        dry_run=bool(options["dry_run"]),
                        partial=bool(options["partial"]),
                        on_progress=on_progress,
                        batch_size=int(options["batch_size"]),
                    ),
                    show=not options["no_progress"],
                )
        except ImportSourceError as error:
            raise CommandError(str(error)) from None
        print_report(report, self.stdout.write)
        exit_status(report)
