"""Reads of import runs for the imports page (no personal data: files, counts, row problems)."""

from __future__ import annotations

from linkwell.directory.importers import runs
from linkwell.directory.models import ImportRun, ImportUpload


def recent_runs(limit: int = 50) -> list[ImportRun]:
    """The latest runs, newest first, those whose process died shown as interrupted."""
    return list(runs.recent_runs(limit))


def get_run(run_id: int) -> ImportRun | None:
    """One run, a dead one shown as interrupted."""
    runs.mark_interrupted_runs()
    return ImportRun.objects.select_related("actor").filter(pk=run_id).first()


def file_kept(run: ImportRun) -> bool:
    """Whether the run's uploaded file is still held (a checked-only run's, for a while)."""
    return ImportUpload.objects.filter(run=run).exists()
