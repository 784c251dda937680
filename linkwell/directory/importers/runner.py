"""Running an import: batches to `save_services`, all-or-nothing by default, and the record of it.

Everything happens in one transaction, saved batch by batch so memory stays flat; at the end
the transaction is rolled back for a dry run, or when any row was bad and `partial` was not
asked for. The `ImportRun` row and its audit event are written after, in their own
transaction, so a refused import is still on record.
"""

import gc
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from linkwell.audit.actions import record_event
from linkwell.directory.actions import save_services, service_id_of
from linkwell.directory.importers.lookups import Lookups
from linkwell.directory.importers.oruk_feed import open_feed, read_feed
from linkwell.directory.importers.problems import ImportReport, ImportSourceError, Problem
from linkwell.directory.importers.spreadsheet import open_sheet, read_sheet
from linkwell.directory.models import ImportRun
from linkwell.directory.records import ServiceRecord

BATCH_SIZE = 1000
MAX_STORED_ERRORS = 1000
SQLITE_CACHE_KIB = 256 * 1024

Rows = Iterable[tuple[int, ServiceRecord | None, list[Problem]]]
Progress = Callable[[int, int | None], None]


class _Rollback(Exception):
    """Raised to leave the import's transaction without committing it."""


def run_import(
    rows: Rows,
    *,
    kind: str,
    source: str,
    actor: Any,
    via: str,
    dry_run: bool = False,
    partial: bool = False,
    total: int | None = None,
    on_progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Read every row, save the good ones, and decide what to commit (see the module doc)."""
    report = ImportReport(kind=kind, source=source, dry_run=dry_run, partial=partial)
    run = ImportRun.objects.create(
        kind=kind,
        source=source[:1000],
        dry_run=dry_run,
        partial=partial,
        actor=actor if getattr(actor, "pk", None) else None,
    )
    report.run_id = run.pk
    failed = False
    try:
        with _few_collections(), _big_page_cache(), transaction.atomic():
            _save_all(
                rows,
                report,
                actor=actor,
                via=via,
                on_progress=on_progress,
                total=total,
                batch_size=batch_size,
            )
            if dry_run or (report.problems and not partial):
                raise _Rollback
            report.committed = True
    except _Rollback:
        pass
    except ImportSourceError as error:
        failed = True
        report.problems.append(Problem(0, "source", str(error)))
    if failed:
        report.status = ImportRun.Status.FAILED
    elif dry_run:
        report.status = ImportRun.Status.DRY_RUN
    elif report.committed:
        report.status = ImportRun.Status.COMMITTED
    else:
        report.status = ImportRun.Status.REFUSED
    if not report.committed and not dry_run:
        report.created = report.updated = report.unchanged = 0
    if report.committed and report.created + report.updated >= REFRESH_STATISTICS_AFTER:
        refresh_statistics()
    _finish(run, report, actor=actor, via=via)
    return report


REFRESH_STATISTICS_AFTER = 1000  # rows written


def refresh_statistics() -> None:
    """After a big import, tell PostgreSQL's planner what the tables now hold.

    Autovacuum gets there on its own, but only a while later: until then the planner judges
    distance and filter queries by the sizes before the import (seen: 1 km searches just after
    importing 100,000 services had a p95 of 0.66 s, a few minutes later 0.13 s). About 3 s for
    100,000 services. SQLite keeps no statistics unless asked and plans well without them here.
    """
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in apps.get_app_config("directory").get_models()]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


@contextmanager
def _few_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often for the length of an import.

    An import allocates millions of short-lived dicts and records, and by default every 700
    of them start a collection: parsing and checking a feed took a fifth less time without
    them. Every 100,000 keeps that small; cycles are still collected, within bounded memory.
    """
    before = gc.get_threshold()
    gc.set_threshold(100_000, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextmanager
def _big_page_cache() -> Iterator[None]:
    """On SQLite, a page cache big enough to hold an import's working set for the length of it.

    With the default 2 MB cache, one long transaction spills and rewrites the same pages to the
    WAL again and again (tens of GB for 100,000 services); a fixed cache keeps memory flat.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _save_all(
    rows: Rows,
    report: ImportReport,
    *,
    actor: Any,
    via: str,
    on_progress: Progress | None,
    total: int | None,
    batch_size: int,
) -> None:
    seen: dict[uuid.UUID, int] = {}
    batch: list[tuple[int, ServiceRecord]] = []
    for row, record, problems in rows:
        report.rows_read += 1
        if record is not None:
            key = service_id_of(record)
            if key in seen:
                problems = [Problem(row, "id", f"the same service as row {seen[key]}")]
                record = None
            else:
                seen[key] = row
        report.problems.extend(problems)
        if record is not None and (report.partial or not report.problems or report.dry_run):
            batch.append((row, record))
        if len(batch) >= batch_size:
            _save_batch(batch, report, actor=actor, via=via)
            batch = []
        if on_progress:
            on_progress(report.rows_read, total)
    if batch:
        _save_batch(batch, report, actor=actor, via=via)


def _save_batch(
    batch: list[tuple[int, ServiceRecord]], report: ImportReport, *, actor: Any, via: str
) -> None:
    """Save a batch; if it fails, save one by one to name the rows at fault."""
    try:
        with transaction.atomic():
            result = save_services(
                [record for _, record in batch],
                actor=actor,
                via=via,
                source=report.source,
                skip_unchanged=True,
            )
    except (DatabaseError, ValueError) as error:
        if len(batch) == 1:
            report.problems.append(Problem(batch[0][0], "service", _reason(error)))
            return
        for one in batch:
            _save_batch([one], report, actor=actor, via=via)
        return
    report.created += result.created
    report.updated += result.updated
    report.unchanged += result.unchanged


def _reason(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _finish(run: ImportRun, report: ImportReport, *, actor: Any, via: str) -> None:
    run.finished_at = timezone.now()
    run.status = report.status
    run.rows_read = report.rows_read
    run.created = report.created
    run.updated = report.updated
    run.unchanged = report.unchanged
    run.errors = [p.as_dict() for p in report.problems[:MAX_STORED_ERRORS]]
    with transaction.atomic():
        run.save(
            update_fields=[
                "finished_at",
                "status",
                "rows_read",
                "created",
                "updated",
                "unchanged",
                "errors",
            ]
        )
        record_event(
            actor=actor,
            action=f"directory.import.{report.status}",
            target=run,
            via=via,
            details={
                "kind": report.kind,
                "source": report.source[:500],
                "rows_read": report.rows_read,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "problems": len(report.problems),
                "bad_rows": report.bad_rows,
            },
        )


def import_feed(
    source: str,
    *,
    actor: Any,
    dry_run: bool = False,
    partial: bool = False,
    timeout: float = 30,
    on_progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Import an ORUK feed (URL or file). Raises ImportSourceError if it is not one at all."""
    feed = open_feed(source, timeout=timeout)
    return run_import(
        read_feed(feed, Lookups.load()),
        kind="oruk",
        source=source,
        actor=actor,
        via="import_feed",
        dry_run=dry_run,
        partial=partial,
        total=feed.total,
        on_progress=on_progress,
        batch_size=batch_size,
    )


def import_spreadsheet(
    path: str,
    *,
    actor: Any,
    scheme: str = "",
    dry_run: bool = False,
    partial: bool = False,
    on_progress: Progress | None = None,
) -> ImportReport:
    """Import a service-mapping CSV/XLSX. Raises ImportSourceError if it cannot be one."""
    lookups = Lookups.load()
    if scheme and scheme not in lookups.scheme_levels:
        known = ", ".join(sorted(lookups.scheme_levels))
        raise ImportSourceError(f"--scheme: unknown tier scheme {scheme!r} (known: {known})")
    sheet = open_sheet(path)
    return run_import(
        read_sheet(sheet, lookups, scheme=scheme, source=path),
        kind="spreadsheet",
        source=path,
        actor=actor,
        via="import_spreadsheet",
        dry_run=dry_run,
        partial=partial,
        total=sheet.total,
        on_progress=on_progress,
    )
