"""What the import commands share: a rich progress bar, the report, the exit status."""

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from linkwell.directory.importers.problems import ImportReport

MAX_PRINTED = 200

OnProgress = Callable[[str, int, int | None], None]


def find_actor(username: str | None) -> Any:
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"--actor: no user called {username!r}")
    return user


def with_progress(run: Callable[[OnProgress | None], ImportReport], *, show: bool) -> ImportReport:
    """Call `run(on_progress)` under a progress bar: checking every row, then writing them."""
    if not show:
        return run(None)
    console = Console(file=sys.stderr)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("Checking", total=None)

        def on_progress(phase: str, done: int, total: int | None) -> None:
            if done % 250 == 0 or done == total:
                progress.update(task, description=phase, completed=done, total=total)

        return run(on_progress)


@contextmanager
def stopped_cleanly() -> Iterator[None]:
    """SIGTERM (a service manager stopping the job) ends the import as Ctrl-C does: the
    batch being written is rolled back, and the run is recorded as interrupted."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def print_report(report: ImportReport, write: Callable[[str], None]) -> None:
    for note in report.notes:
        write(note)
    for problem in report.problems[:MAX_PRINTED]:
        write(str(problem))
    if len(report.problems) > MAX_PRINTED:
        write(
            f"... and {len(report.problems) - MAX_PRINTED} more problems (see ImportRun "
            f"{report.run_id})"
        )
    write(report.summary())
    if report.transactions:
        write(
            f"Written in {report.transactions} transactions (the longest "
            f"{report.longest_transaction:.2f} s), other writers getting in between them."
        )
    if advice := report.advice():
        write(advice)


def exit_status(report: ImportReport) -> None:
    """Exit 1 when there was any problem or the run did not finish (so scripts notice)."""
    if report.problems or report.status in ("failed", "interrupted"):
        sys.exit(1)
