"""`linkwell export_csv`: the directory in the service-mapping template's columns."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from linkwell.directory.importers.spreadsheet_export import write_csv


class Command(BaseCommand):
    help = "Export every service as a service-mapping CSV (re-importable with import_spreadsheet)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args: object, **options: object) -> None:
        if options["output"]:
            with Path(str(options["output"])).open("w", newline="", encoding="utf-8") as out:
                count = write_csv(out)
            self.stderr.write(f"{count} services written to {options['output']}.")
        else:
            self.stdout.ending = ""
            write_csv(self.stdout)
