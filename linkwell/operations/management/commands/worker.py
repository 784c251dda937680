"""Run background jobs and the daily schedule (`linkwell worker`)."""

from django.core.management.base import BaseCommand, CommandError

from linkwell.operations import worker


class Command(BaseCommand):
    help = (
        "Run queued jobs (e-mail and texts after commit, hub refreshes asked for on the web) "
        "and the daily schedule, until stopped with SIGTERM or Ctrl-C; jobs running then are "
        "finished first. Processes: --workers, else LINKWELL_WORKERS, else the CPU count."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=None, help="worker processes")

    def handle(self, *args, workers=None, **options):
        if workers is not None and workers < 1:
            raise CommandError("--workers: give a number of processes, 1 or more")
        status = worker.run(workers=workers)
        if status:
            raise CommandError(
                f"The job cluster stopped unexpectedly (status {status}): see the log above, "
                "then start the worker again."
            )
