"""Imports asked for on the web: a partnership admin uploads an Open Referral UK feed or a
service-mapping sheet, and the worker checks and writes it.

The request only stores the file and queues the run (`request_import`), so the person asking
waits for nothing and nobody else is held up: the worker runs the same import as the commands
(checked whole, then written in short, paced transactions: runner.py), takes the run up again
if its worker died part-way, and tells the person how it went. Why: docs/adr/0038.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linkwell.accounts.policies import Action, can
from linkwell.audit.actions import record_event
from linkwell.core.jobs import enqueue
from linkwell.directory.importers import runs
from linkwell.directory.importers.problems import ImportReport, ImportSourceError, Problem
from linkwell.directory.importers.runner import import_feed, import_spreadsheet
from linkwell.directory.models import ImportRun, ImportUpload, TierScheme
from linkwell.notifications.actions import notify
from linkwell.notifications.models import NotificationKind

log = logging.getLogger(__name__)

VIA = "imports page"
REQUESTED = "directory.import.requested"
# What a file's name ends in says what it holds.
FORMATS = {".json": "oruk", ".ndjson": "oruk", ".csv": "spreadsheet", ".xlsx": "spreadsheet"}
KEEP_CHECKED_FILES = dt.timedelta(days=7)  # a checked-only file, for "import it now"
OPEN = (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING)


class Mode(models.TextChoices):
    CHECK = "check", _("Check the file only: report its problems, change nothing")
    IMPORT = "import", _("Import it if every row is right; change nothing if any row is wrong")
    GOOD_ROWS = "good_rows", _("Import the rows that are right, and report the others")


class UploadRefused(ValueError):
    """The upload cannot be imported; `field` is the form field to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def max_bytes() -> int:
    return int(getattr(settings, "LINKWELL_IMPORT_MAX_MB", 100)) * 1024 * 1024


def may_import(user: Any) -> bool:
    return can(user, Action.IMPORT_SERVICES)


def request_import(
    *, actor: Any, filename: str, content: bytes, mode: str, scheme: str = ""
) -> ImportRun:
    """Store the file and queue its import for the worker; the run shows as waiting at once.
    UploadRefused names the field to fix; PermissionDenied for anyone but a partnership admin."""
    if not may_import(actor):
        raise PermissionDenied("Only partnership admins may import services.")
    name = PurePath(filename.replace("\\", "/")).name[:255]
    kind = FORMATS.get(PurePath(name).suffix.lower())
    if kind is None:
        raise UploadRefused(
            "file",
            _(
                "The file must be an Open Referral UK feed (.json or .ndjson) or a "
                "service-mapping sheet (.csv or .xlsx)"
            ),
        )
    if not content:
        raise UploadRefused("file", _("The file is empty: choose the file with the services"))
    if len(content) > max_bytes():
        raise UploadRefused(
            "file",
            _("The file is %(size)s MB; the most is %(most)s MB. Split it into smaller files")
            % {"size": f"{len(content) / 1024 / 1024:.0f}", "most": max_bytes() // 1024 // 1024},
        )
    if mode not in Mode.values:
        raise UploadRefused("mode", _("Choose whether to check the file or import it"))
    scheme = scheme if kind == "spreadsheet" else ""
    if scheme and not TierScheme.objects.filter(key=scheme).exists():
        raise UploadRefused("scheme", _("Choose a tier scheme from the list"))
    with transaction.atomic():
        run = ImportRun.objects.create(
            kind=kind,
            source=name,
            status=ImportRun.Status.QUEUED,
            dry_run=mode == Mode.CHECK,
            partial=mode == Mode.GOOD_ROWS,
            actor=actor,
        )
        ImportUpload.objects.create(run=run, filename=name, content=content, scheme=scheme)
        _queue(run, actor=actor, details={"bytes": len(content), "mode": mode})
    return run


def import_checked(*, actor: Any, checked: ImportRun, good_rows_only: bool) -> ImportRun:
    """Import a file that was checked only, without uploading it again: a new run, queued."""
    if not may_import(actor):
        raise PermissionDenied("Only partnership admins may import services.")
    with transaction.atomic():
        upload = ImportUpload.objects.select_for_update().filter(run=checked).first()
        if checked.status != ImportRun.Status.DRY_RUN or upload is None:
            raise UploadRefused(
                "file", _("This check's file is no longer kept: upload the file again")
            )
        run = ImportRun.objects.create(
            kind=checked.kind,
            source=checked.source,
            status=ImportRun.Status.QUEUED,
            partial=good_rows_only,
            actor=actor,
        )
        upload.run = run
        upload.save(update_fields=["run"])
        mode = Mode.GOOD_ROWS if good_rows_only else Mode.IMPORT
        _queue(run, actor=actor, details={"mode": mode, "checked_in_run": checked.pk})
    return run


def _queue(run: ImportRun, *, actor: Any, details: dict[str, Any]) -> None:
    record_event(
        actor=actor,
        action=REQUESTED,
        target=run,
        via=VIA,
        details={"kind": run.kind, "source": run.source, **details},
    )
    enqueue(f"{__name__}.run_upload", run.pk)


def run_upload(run_id: int) -> None:
    """The job: import the uploaded file into its queued run, then tell whoever asked.

    Tried again after the worker running it died, it takes the same run up again (the services
    already written are skipped as unchanged); a run that is finished, or alive in another
    worker, is left alone."""
    run = ImportRun.objects.filter(pk=run_id).select_related("actor").first()
    upload = ImportUpload.objects.filter(run_id=run_id).first()
    if run is None or upload is None:
        return
    if run.status == ImportRun.Status.RUNNING and not runs.is_dead(run):
        return
    if run.status not in (*OPEN, ImportRun.Status.INTERRUPTED):
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{PurePath(upload.filename).suffix.lower()}"
        path.write_bytes(bytes(upload.content))
        try:
            report = _import(run, upload, path)
        except ImportSourceError as error:
            report = _refuse_file(run, str(error).replace(str(path), upload.filename))
    if not run.dry_run:
        upload.delete()
    _tell(run, report)
    forget_old_uploads()


def _import(run: ImportRun, upload: ImportUpload, path: Path) -> ImportReport:
    common = {
        "actor": run.actor,
        "dry_run": run.dry_run,
        "partial": run.partial,
        "name": run.source,
        "via": VIA,
        "queued": run,
    }
    if run.kind == "oruk":
        return import_feed(str(path), **common)
    return import_spreadsheet(str(path), scheme=upload.scheme, **common)


def _refuse_file(run: ImportRun, reason: str) -> ImportReport:
    """The file as a whole is not what its name says: the run fails, saying why. Audited."""
    report = ImportReport(kind=run.kind, source=run.source, dry_run=run.dry_run)
    report.status = ImportRun.Status.FAILED
    report.problems.append(Problem(0, "file", reason))
    with transaction.atomic():
        ImportRun.objects.filter(pk=run.pk).update(
            status=report.status,
            finished_at=timezone.now(),
            errors=[p.as_dict() for p in report.problems],
        )
        record_event(
            actor=run.actor,
            action=f"directory.import.{report.status}",
            target=run,
            via=VIA,
            details={"kind": run.kind, "source": run.source, "problems": 1},
        )
    return report


def _tell(run: ImportRun, report: ImportReport) -> None:
    """An inbox notice (and e-mail) for the person who asked, with the run's page."""
    if run.actor is None:
        return
    notify(
        [run.actor],
        NotificationKind.IMPORT_FINISHED,
        summary(run.source, report),
        link=f"/imports/{run.pk}/",
        about=run,
    )


def summary(source: str, report: ImportReport) -> str:
    """One sentence on how a run ended, for the notice (names a file, never a person)."""
    counts = f"{report.created} new, {report.updated} updated, {report.unchanged} unchanged"
    problems = len(report.problems)
    if report.status == ImportRun.Status.COMMITTED:
        bad = f"; rows left out with problems: {problems}" if problems else ""
        return f"Import of {source} finished: {counts}{bad}."
    if report.status == ImportRun.Status.DRY_RUN:
        if problems:
            return f"Check of {source} found problems ({problems}): nothing was changed."
        return f"Check of {source} found no problems: importing it would make {counts}."
    if report.status == ImportRun.Status.REFUSED:
        return f"Import of {source} refused, nothing was changed: problems in rows ({problems})."
    return f"Import of {source} did not finish: see what went wrong."


def forget_old_uploads(*, now: dt.datetime | None = None) -> int:
    """Delete kept files of runs that ended more than a week ago (checked-only runs' files)."""
    cutoff = (now or timezone.now()) - KEEP_CHECKED_FILES
    old = ImportUpload.objects.filter(uploaded_at__lt=cutoff).exclude(run__status__in=OPEN)
    return old.delete()[0]
