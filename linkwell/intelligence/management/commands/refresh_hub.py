"""Recompute the intelligence hub (daily, by the schedule; by hand with a progress bar)."""

from django.core.management.base import BaseCommand
from rich.progress import Progress

from linkwell.intelligence.refresh import refresh_hub


class Command(BaseCommand):
    help = "Recompute the intelligence hub's figures from the operational data."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        if options["quiet"]:
            run = refresh_hub(via="command refresh_hub")
        else:
            with Progress(transient=True) as bar:
                task = bar.add_task("Refreshing the hub", total=1)

                def progress(part: str, done: int, of: int) -> None:
                    bar.update(task, total=of, completed=done, description=f"Hub: {part}")

                run = refresh_hub(via="command refresh_hub", progress=progress)
        rows = sum(run.counts.values())
        self.stdout.write(f"Hub refreshed in {run.seconds:.2f} s: {rows} rows.")
