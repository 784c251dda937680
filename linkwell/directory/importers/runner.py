"""Running an import: check the whole source, then write it in short transactions.

The first pass reads and checks every row and writes nothing but the run's own record (so it
holds no write lock and keeps no one waiting). A dry run stops there, and so does a source with
any bad row unless `partial` was asked for: all or nothing. The second pass reads the source
again and writes the good rows in batches, each one short transaction through `save_services`
(a service, all it holds, its search rows and its audit event commit together or not at all),
paced so other writers get in between them (pacing.py). A run killed part-way is marked
`interrupted` later (runs.py); running the same import again completes it, since the services
it wrote are left alone as unchanged. Why this shape: docs/adr/0019.
"""

import gc
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from linkwell.audit.actions import record_event
from linkwell.directory import models as m
from linkwell.directory.actions import fingerprint, save_services, service_id_of
from linkwell.directory.importers import runs
from linkwell.directory.importers.checks import fits
from linkwell.directory.importers.lookups import Lookups
from linkwell.directory.importers.oruk_feed import (
    is_url,
    open_feed,
    read_feed,
    read_spool,
    spooled,
)
from linkwell.directory.importers.pacing import Pacer, wal_checkpoints_aside
from linkwell.directory.importers.problems import ImportReport, ImportSourceError, Problem
from linkwell.directory.importers.spreadsheet import open_sheet, read_sheet
from linkwell.directory.models import ImportRun
from linkwell.directory.records import ServiceRecord

BATCH_SIZE = 1000  # services a write transaction holds at most (fewer on SQLite: pacing.py)
MAX_STORED_ERRORS = 1000
SQLITE_CACHE_KIB = 256 * 1024
REFRESH_STATISTICS_AFTER = 1000  # rows written
BEAT_EVERY_ROWS = 1000  # while checking, look at the clock this often

Rows = Iterable[tuple[int, ServiceRecord | None, list[Problem]]]
Progress = Callable[[str, int, int | None], None]  # (what it is doing, rows done, of how many)


class SourceChanged(Exception):
    """The second reading of the source differs from the first (it changed in between)."""


class WriteFailed(Exception):
    """A row passed every check but could not be written, and `partial` was not asked for."""


def run_import(
    rows: Rows,
    again: Callable[[], Rows],
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
    queued: ImportRun | None = None,
) -> ImportReport:
    """Check `rows`, then write the good ones from `again()`, a second reading of the same
    source (see the module doc). Ctrl-C (or SIGTERM, see console.py) ends it `interrupted`.
    `queued`: the run's record made already (an import asked for on the web)."""
    report = ImportReport(kind=kind, source=source, dry_run=dry_run, partial=partial)
    report.notes = [runs.interrupted_note(r, source=source) for r in runs.mark_interrupted_runs()]
    run = runs.start_run(
        kind=kind, source=source, dry_run=dry_run, partial=partial, actor=actor, queued=queued
    )
    report.run_id = run.pk
    try:
        with _few_collections():
            bad_rows = _check_all(rows, report, run, on_progress=on_progress, total=total)
            if dry_run:
                report.status = ImportRun.Status.DRY_RUN
            elif report.problems and not partial:
                report.status = ImportRun.Status.REFUSED
            else:
                report.writing = True
                with _big_page_cache(), wal_checkpoints_aside() as checkpoints:
                    _write_all(
                        again(),
                        bad_rows,
                        report,
                        run,
                        actor=actor,
                        via=via,
                        pacer=Pacer.for_database(connection.vendor, batch_size, checkpoints),
                        on_progress=on_progress,
                    )
                report.committed = True
                report.status = ImportRun.Status.COMMITTED
    except (ImportSourceError, SourceChanged) as error:
        report.status = ImportRun.Status.FAILED
        report.problems.append(Problem(0, "source", str(error)))
    except WriteFailed:
        report.status = ImportRun.Status.FAILED
    except KeyboardInterrupt:
        report.status = ImportRun.Status.INTERRUPTED
    if report.status == ImportRun.Status.REFUSED or (
        report.status == ImportRun.Status.FAILED and not report.writing
    ):
        report.created = report.updated = report.unchanged = 0
    if report.committed and report.created + report.updated >= REFRESH_STATISTICS_AFTER:
        refresh_statistics()
    _finish(run, report, actor=actor, via=via)
    return report


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

    With the default 2 MB cache, the import spills and rewrites the same pages again and again
    (random UUID keys); a fixed cache keeps memory flat.
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


# The first pass: check everything, write nothing.


def _check_all(
    rows: Rows,
    report: ImportReport,
    run: ImportRun,
    *,
    on_progress: Progress | None,
    total: int | None,
) -> set[int]:
    """Read and check every row; return the numbers of the bad ones. Reads only: the run's
    heartbeat is its one write (a long URL feed is not taken for dead)."""
    seen: dict[uuid.UUID, int] = {}
    bad: set[int] = set()
    would_write = _WouldWrite(report) if report.dry_run else None
    for row, record, problems in rows:
        report.rows_read += 1
        if record is not None:
            key = service_id_of(record)
            problems = [*problems, *fits(record, row)]
            if key in seen:
                problems.append(Problem(row, "id", f"the same service as row {seen[key]}"))
            else:
                seen[key] = row
        if problems:
            bad.add(row)
            report.problems.extend(problems)
        elif would_write is not None and record is not None:
            would_write.add(record)
        if report.rows_read % BEAT_EVERY_ROWS == 0 and runs.due(run):
            runs.beat(run, rows_read=report.rows_read)
        if on_progress:
            on_progress("Checking", report.rows_read, total)
    if would_write is not None:
        would_write.count()
    return bad


class _CrosswalkTiers:
    """What `actions.fingerprint` asks of its resolver: the tier the crosswalk gives today."""

    def __init__(self) -> None:
        self.levels = {
            (scheme, code.lower()): tier
            for scheme, code, tier in m.TierLevel.objects.values_list("scheme__key", "code", "tier")
        }

    def tier(self, scheme_key: str, level_code: str) -> tuple[None, int]:
        found = self.levels.get((scheme_key, str(level_code).strip().lower()))
        if found is None:
            raise ValueError(f"tier {level_code!r} is not in scheme {scheme_key!r}")
        return None, found


class _WouldWrite:
    """A dry run's counts: what a real run would create, update and leave unchanged, found
    by reading the stored fingerprints (docs/adr/0017) instead of writing."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.tiers = _CrosswalkTiers()
        self.pending: dict[uuid.UUID, str] = {}

    def add(self, record: ServiceRecord) -> None:
        self.pending[service_id_of(record)] = fingerprint(
            record,
            self.report.source,
            self.tiers,  # type: ignore[arg-type]  (only its tier() is asked for)
        )
        if len(self.pending) >= BATCH_SIZE:
            self.count()

    def count(self) -> None:
        stored = dict(
            m.Service.objects.filter(id__in=self.pending).values_list("id", "import_fingerprint")
        )
        for key, print_ in self.pending.items():
            if key not in stored:
                self.report.created += 1
            elif stored[key] == print_:
                self.report.unchanged += 1
            else:
                self.report.updated += 1
        self.pending = {}


# The second pass: write the good rows in short transactions.


def _write_all(
    rows: Rows,
    bad_rows: set[int],
    report: ImportReport,
    run: ImportRun,
    *,
    actor: Any,
    via: str,
    pacer: Pacer,
    on_progress: Progress | None,
) -> None:
    batch: list[tuple[int, ServiceRecord]] = []
    done = 0
    for row, record, problems in rows:
        done += 1
        if on_progress:
            on_progress("Writing", done, report.rows_read)
        if row in bad_rows:
            continue
        if record is None or done > report.rows_read:
            found = f" ({problems[0]})" if problems else ""
            raise SourceChanged(f"changed while it was being imported: row {row}{found}")
        batch.append((row, record))
        if len(batch) >= pacer.size:
            _write_batch(batch, report, run, actor=actor, via=via, pacer=pacer)
            batch = []
    if batch:
        _write_batch(batch, report, run, actor=actor, via=via, pacer=pacer)
    if done != report.rows_read:
        raise SourceChanged(
            f"changed while it was being imported: {done} rows, where {report.rows_read} were "
            "checked"
        )


def _write_batch(
    batch: list[tuple[int, ServiceRecord]],
    report: ImportReport,
    run: ImportRun,
    *,
    actor: Any,
    via: str,
    pacer: Pacer,
) -> None:
    """Save a batch in one transaction, the run's counts and heartbeat with it. If it fails,
    save each half apart, down to the rows at fault: their problems are reported, and unless
    the run is `partial`, it stops there."""
    try:
        with pacer.turn(len(batch)), transaction.atomic():
            result = save_services(
                [record for _, record in batch],
                actor=actor,
                via=via,
                source=report.source,
                skip_unchanged=True,
            )
            runs.beat(
                run,
                created=report.created + result.created,
                updated=report.updated + result.updated,
                unchanged=report.unchanged + result.unchanged,
            )
    except (DatabaseError, ValueError) as error:
        if len(batch) > 1:
            half = len(batch) // 2
            _write_batch(batch[:half], report, run, actor=actor, via=via, pacer=pacer)
            _write_batch(batch[half:], report, run, actor=actor, via=via, pacer=pacer)
            return
        report.problems.append(Problem(batch[0][0], "service", _reason(error)))
        if not report.partial:
            raise WriteFailed from error
        return
    finally:
        report.transactions, report.longest_transaction = pacer.transactions, pacer.longest
    report.created += result.created
    report.updated += result.updated
    report.unchanged += result.unchanged


def _reason(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _finish(run: ImportRun, report: ImportReport, *, actor: Any, via: str) -> None:
    run.finished_at = timezone.now()
    run.heartbeat_at = run.finished_at
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
                "heartbeat_at",
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
                "transactions": report.transactions,
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
    name: str = "",
    via: str = "import_feed",
    queued: ImportRun | None = None,
) -> ImportReport:
    """Import an ORUK feed (URL or file). Raises ImportSourceError if it is not one at all.

    A file is read twice (checked, then written); a URL is fetched once, into a spool file
    that the second reading reads, so what is written is what was checked. `name`: what the
    run and its services record as their source, if not `source` itself (an uploaded file's
    name, not where it was put to be read)."""
    feed = open_feed(source, timeout=timeout)
    lookups = Lookups.load()
    with ExitStack() as cleanup:
        if is_url(source):
            spool = Path(cleanup.enter_context(tempfile.TemporaryDirectory())) / "feed.ndjson"
            first = spooled(feed, spool)

            def again() -> Rows:
                return read_feed(read_spool(spool, feed), lookups)
        else:
            first = feed

            def again() -> Rows:
                return read_feed(open_feed(source, timeout=timeout), lookups)

        return run_import(
            read_feed(first, lookups),
            again,
            kind="oruk",
            source=name or source,
            actor=actor,
            via=via,
            dry_run=dry_run,
            partial=partial,
            total=feed.total,
            on_progress=on_progress,
            batch_size=batch_size,
            queued=queued,
        )


def import_spreadsheet(
    path: str,
    *,
    actor: Any,
    scheme: str = "",
    dry_run: bool = False,
    partial: bool = False,
    on_progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    name: str = "",
    via: str = "import_spreadsheet",
    queued: ImportRun | None = None,
) -> ImportReport:
    """Import a service-mapping CSV/XLSX. Raises ImportSourceError if it cannot be one.
    `name`: as import_feed's."""
    lookups = Lookups.load()
    if scheme and scheme not in lookups.scheme_levels:
        known = ", ".join(sorted(lookups.scheme_levels))
        raise ImportSourceError(f"--scheme: unknown tier scheme {scheme!r} (known: {known})")
    sheet = open_sheet(path)
    source = name or path

    def again() -> Rows:
        return read_sheet(open_sheet(path), lookups, scheme=scheme, source=source)

    return run_import(
        read_sheet(sheet, lookups, scheme=scheme, source=source),
        again,
        kind="spreadsheet",
        source=source,
        actor=actor,
        via=via,
        dry_run=dry_run,
        partial=partial,
        total=sheet.total,
        on_progress=on_progress,
        batch_size=batch_size,
        queued=queued,
    )
