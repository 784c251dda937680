"""An import checks the whole source before it writes anything, then writes in many short
transactions: a bad file still commits nothing, --partial and dry runs still do what they say,
and a row that fails only when written stops the run with the way to complete it."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from linkwell.audit.models import AuditEvent
from linkwell.directory import models as m
from linkwell.directory.importers import runner
from linkwell.directory.importers.runner import import_feed
from linkwell.directory.tests.import_support import service_doc, write_ndjson

pytestmark = pytest.mark.django_db

BATCH = 10


def _feed(tmp_path, items) -> str:
    return write_ndjson(tmp_path / "feed.ndjson", items)


def _watch_first_reading(monkeypatch, queries: CaptureQueriesContext) -> dict:
    """Note, for the first reading of the source, whether any row was read inside a
    transaction the import opened (the test's own wraps it all), and how many queries had run
    when its last row was read."""
    seen: dict = {"in_transaction": set(), "queries_when_read": None}
    outside = len(connection.atomic_blocks)
    real_read_feed = runner.read_feed

    def read_feed(*args, **kwargs):
        first = seen["queries_when_read"] is None
        for row in real_read_feed(*args, **kwargs):
            if first:
                seen["in_transaction"].add(len(connection.atomic_blocks) > outside)
            yield row
        if first:
            seen["queries_when_read"] = len(queries.captured_queries)

    monkeypatch.setattr(runner, "read_feed", read_feed)
    return seen


def _writes(queries: list[dict]) -> list[int]:
    """Positions of statements that change the directory, people or the audit log (not the
    import's own run record, nor its audit event)."""
    return [
        i
        for i, query in enumerate(queries)
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "COPY"))
        and "directory_importrun" not in query["sql"]
        and "'directory.import." not in query["sql"]
    ]


def test_a_bad_last_row_commits_nothing_though_the_file_spans_many_batches(
    tmp_path, place_data, user
):
    items = [service_doc(n) for n in range(1, 60)] + [service_doc(60, status="open")]

    report = import_feed(_feed(tmp_path, items), actor=user, batch_size=BATCH)

    assert report.status == "refused"
    assert [(p.row, p.field) for p in report.problems] == [(60, "status")]
    assert m.Service.objects.count() == 0
    assert not AuditEvent.objects.filter(action="directory.service.saved").exists()
    assert "Nothing was committed" in report.advice()


def test_nothing_is_written_until_every_row_has_been_checked(
    tmp_path, place_data, user, monkeypatch
):
    path = _feed(tmp_path, [service_doc(n) for n in range(1, 40)])

    with CaptureQueriesContext(connection) as queries:
        seen = _watch_first_reading(monkeypatch, queries)
        report = import_feed(path, actor=user, batch_size=BATCH)

    assert report.status == "committed"
    assert seen["in_transaction"] == {False}, "rows were checked inside a write transaction"
    writes = _writes(queries.captured_queries)
    assert writes, "the import wrote nothing at all"
    assert min(writes) >= seen["queries_when_read"]


def test_a_dry_run_reads_only_and_says_what_an_import_would_do(
    tmp_path, place_data, user, monkeypatch
):
    import_feed(_feed(tmp_path, [service_doc(n) for n in (1, 2, 3)]), actor=user)
    before = dict(m.Service.objects.values_list("pk", "updated_at"))
    runs_before = m.ImportRun.objects.count()
    changed = [service_doc(1), service_doc(2, name="Renamed"), service_doc(3), service_doc(4)]
    path = _feed(tmp_path, changed)

    with CaptureQueriesContext(connection) as queries:
        seen = _watch_first_reading(monkeypatch, queries)
        report = import_feed(path, actor=user, dry_run=True, batch_size=BATCH)

    assert (report.status, report.created, report.updated, report.unchanged) == (
        "dry_run",
        1,
        1,
        2,
    )
    assert seen["in_transaction"] == {False}
    assert _writes(queries.captured_queries) == [], "a dry run wrote (more than its record)"
    assert dict(m.Service.objects.values_list("pk", "updated_at")) == before
    assert m.ImportRun.objects.count() == runs_before + 1
    assert m.ImportRun.objects.latest("pk").status == "dry_run"


def test_partial_writes_every_good_service_of_a_many_batch_file(tmp_path, place_data, user):
    items = [service_doc(n, status="open" if n in (7, 33) else "active") for n in range(1, 50)]

    report = import_feed(_feed(tmp_path, items), actor=user, partial=True, batch_size=BATCH)

    assert report.status == "committed"
    assert sorted(p.row for p in report.problems) == [7, 33]
    assert report.created == 47
    assert m.Service.objects.count() == 47
    assert not m.Service.objects.filter(name__in=["Test lunch club 7", "Test lunch club 33"])


def test_text_too_long_for_its_column_is_found_by_the_check_on_both_databases(
    tmp_path, place_data, user
):
    items = [service_doc(1), service_doc(2, name="x" * 300)]

    report = import_feed(_feed(tmp_path, items), actor=user)

    assert [(p.row, p.field, p.reason) for p in report.problems] == [
        (2, "name", "is 300 characters long; at most 255 fit")
    ]
    assert report.status == "refused"
    assert m.Service.objects.count() == 0


def _failing_to_write(monkeypatch, name: str) -> None:
    """Make the database refuse any batch holding the service called `name`."""
    real_save = runner.save_services

    def save_services(records, **kwargs):
        if any(record.name == name for record in records):
            raise IntegrityError("refused by the database (test)")
        return real_save(records, **kwargs)

    monkeypatch.setattr(runner, "save_services", save_services)


def test_a_row_that_fails_only_when_written_stops_the_run_and_a_rerun_completes_it(
    tmp_path, place_data, user, monkeypatch, capsys
):
    path = _feed(tmp_path, [service_doc(n) for n in range(1, 50)])
    _failing_to_write(monkeypatch, "Test lunch club 25")

    with pytest.raises(SystemExit) as exit_info:
        call_command("import_feed", path, "--no-progress", "--batch-size", str(BATCH))

    out = capsys.readouterr().out
    assert exit_info.value.code == 1
    assert "row 25, service: refused by the database (test)" in out
    assert "failed part-way through 24 services (24 created, 0 updated, 0 unchanged)" in out
    assert "Re-run the same import to complete it" in out
    run = m.ImportRun.objects.get()
    assert (run.status, run.created) == ("failed", 24)
    assert m.Service.objects.count() == 24  # the batches before it, and half of its own
    assert not m.Service.objects.filter(name="Test lunch club 26").exists()

    monkeypatch.undo()
    report = import_feed(path, actor=user, batch_size=BATCH)

    assert (report.status, report.created, report.unchanged) == ("committed", 25, 24)
    assert m.Service.objects.count() == 49


def test_with_partial_a_row_that_fails_when_written_is_reported_and_the_rest_written(
    tmp_path, place_data, user, monkeypatch
):
    path = _feed(tmp_path, [service_doc(n) for n in range(1, 50)])
    _failing_to_write(monkeypatch, "Test lunch club 25")

    report = import_feed(path, actor=user, partial=True, batch_size=BATCH)

    assert report.status == "committed"
    assert [(p.row, p.field) for p in report.problems] == [(25, "service")]
    assert m.Service.objects.count() == 48
