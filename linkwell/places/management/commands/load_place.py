"""`linkwell load_place [DIR]`: load or reload a place folder and print what changed."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from linkwell.places.actions import load_place
from linkwell.places.sources import MANIFEST, PlaceDataError


class Command(BaseCommand):
    help = (
        "Load a place (wards, constituencies, LSOAs, postcodes, deprivation, GP practices, "
        "indicators, community assets) from a folder of CSV/GeoJSON files. Reloading updates "
        "in place. Files are found by name: "
        + ", ".join(source.pattern for source in MANIFEST)
        + "."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            nargs="?",
            type=Path,
            default=None,
            help="Folder of place files (default: settings.PLACE_DATA_DIR).",
        )
        parser.add_argument("--slug", help="Place slug (default: from the name in SOURCES.md).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, directory=None, slug=None, no_progress=False, **options):
        directory = directory or Path(settings.PLACE_DATA_DIR)
        console = Console(file=self.stdout, soft_wrap=True)
        try:
            report = load_place(directory, slug=slug, progress=not no_progress)
        except PlaceDataError as error:
            errors = Console(file=self.stderr, soft_wrap=True)
            errors.print(
                f"[bold red]{len(error.problems)} problem(s) in {directory}; nothing loaded:"
            )
            for problem in error.problems:
                errors.print(f"  - {problem}", markup=False)
            raise CommandError(
                "The place data has problems (listed above).", returncode=1
            ) from None
        table = Table(title=f"{report.place.name} ({report.place.slug}) from {directory}")
        for column in ("table", "created", "updated", "unchanged", "deleted", "total"):
            table.add_column(column, justify="left" if column == "table" else "right")
        for name, counts in report.tables.items():
            table.add_row(
                name,
                *(
                    str(value)
                    for value in (
                        counts.created,
                        counts.updated,
                        counts.unchanged,
                        counts.deleted,
                        counts.total,
                    )
                ),
            )
        console.print(table)
        console.print(f"Loaded in {report.seconds:.1f} s.")
