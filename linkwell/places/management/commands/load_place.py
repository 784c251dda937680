"""`linkwell load_place [DIR ...]`: load or reload a place (one folder, or several read as one)
and print what changed."""

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
        "indicators, community assets) from one or more folders of CSV/GeoJSON files, read as "
        "one place. Reloading updates in place. Files are found by name: "
        + ", ".join(source.pattern for source in MANIFEST)
        + "."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directories",
            nargs="*",
            type=Path,
            metavar="DIR",
            help="Folders of place files, read as one place (default: settings.PLACE_DATA_DIRS, "
            "env LINKWELL_PLACE_DIR).",
        )
        parser.add_argument("--slug", help="Place slug (default: from the name in SOURCES.md).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, directories=(), slug=None, no_progress=False, **options):
        directories = list(directories) or [Path(folder) for folder in settings.PLACE_DATA_DIRS]
        directory = ", ".join(str(folder) for folder in directories)
        console = Console(file=self.stdout, soft_wrap=True)
        try:
            report = load_place(directories, slug=slug, progress=not no_progress)
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
