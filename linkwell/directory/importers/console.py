"""What the import commands share: a rich progress bar, the report, the exit status."""

import sys
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from linkwell.directory.importers.problems import ImportReport

MAX_PRINTED = 200


def find_actor(username: str | None) -> Any:
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"--actor: no user called {username!r}")
    return user


def with_progress(
    run: Callable[[Callable[[int, int | None], None] | None], ImportReport], *, show: bool
) -> ImportReport:
    """Call `run(on_progress)` under a progress bar (counts, and the total when known)."""
    if not show:
        return run(None)
    console = Console(file=sys.stderr)
    with Progress(
        TextColumn("[bold]Importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("import", total=None)

        def on_progress(done: int, total: int | None) -> None:
            if done % 250 == 0 or done == total:
                progress.update(task, completed=done, total=total)

        return run(on_progress)


def print_report(report: ImportReport, write: Callable[[str], None]) -> None:
    for problem in report.problems[:MAX_PRINTED]:
        write(str(problem))
    if len(report.problems) > MAX_PRINTED:
        write(
            f"... and {len(report.problems) - MAX_PRINTED} more problems (see ImportRun "
            f"{report.run_id})"
        )
    write(report.summary())
    if report.problems and not report.committed and not report.dry_run:
        write(
            "Nothing was committed. Fix the rows above, or use --partial to commit the good "
            "rows only."
        )


def exit_status(report: ImportReport) -> None:
    """Exit 1 when there was any problem (so scripts notice), after the report is printed."""
    if report.problems:
        sys.exit(1)
