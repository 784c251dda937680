"""An import killed part-way is found out and completed by running it again: its run is marked
interrupted (its process is gone, or it stopped beating), the next import says so, and the
services it wrote are kept and left alone as unchanged."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from linkwell.audit.models import AuditEvent
from linkwell.core.tests.other_process import database_url
from linkwell.directory import models as m
from linkwell.directory.importers import runner, runs
from linkwell.directory.tests.import_support import service_doc, write_ndjson

ROOT = Path(__file__).resolve().parents[3]


def _feed(tmp_path, count: int) -> str:
    return write_ndjson(tmp_path / "feed.ndjson", [service_doc(n) for n in range(1, count + 1)])


def _gone_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    process = subprocess.Popen(["true"])  # noqa: S607
    process.wait()
    return process.pid


def test_an_import_killed_mid_way_is_marked_interrupted_and_a_rerun_completes_it(
    live_db, tmp_path, capsys
):
    services = 1000
    path = _feed(tmp_path, services)
    command = ["import_feed", path, "--no-progress", "--batch-size", "5"]
    importing = subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, str(ROOT / "manage.py"), *command],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(), "LINKWELL_DEV": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not m.ImportRun.objects.filter(created__gt=0).exists():
            assert importing.poll() is None, importing.stderr.read().decode()[-3000:]
            assert time.monotonic() < deadline, "the import never began writing"
            time.sleep(0.02)
    finally:
        importing.send_signal(signal.SIGKILL)
        importing.wait()
    killed = m.ImportRun.objects.get()
    assert killed.status == "running"
    assert 0 < m.Service.objects.count() < services
    assert m.Service.objects.count() == killed.created  # counted with each batch it committed

    call_command("import_feed", path, "--no-progress")  # returns: no problems, exit status 0

    out = capsys.readouterr().out
    assert f"Import run {killed.pk} (oruk, {path}" in out
    assert f"was interrupted part-way through {killed.created} services" in out
    assert "this import of the same source completes it" in out
    killed.refresh_from_db()
    assert killed.status == "interrupted"
    rerun = m.ImportRun.objects.exclude(pk=killed.pk).get()
    assert (rerun.status, rerun.created, rerun.unchanged) == (
        "committed",
        services - killed.created,
        killed.created,
    )
    assert m.Service.objects.count() == services
    assert AuditEvent.objects.filter(
        action="directory.import.interrupted", target_id=str(killed.pk)
    ).exists()


@pytest.mark.django_db
def test_ctrl_c_rolls_back_the_batch_being_written_and_says_to_run_it_again(
    tmp_path, place_data, monkeypatch, capsys
):
    path = _feed(tmp_path, 30)
    real_save, calls = runner.save_services, []

    def save_services(records, **kwargs):
        calls.append(len(records))
        result = real_save(records, **kwargs)
        if len(calls) == 3:
            raise KeyboardInterrupt  # after the third batch's rows, before its commit
        return result

    monkeypatch.setattr(runner, "save_services", save_services)

    with pytest.raises(SystemExit) as exit_info:
        call_command("import_feed", path, "--no-progress", "--batch-size", "10")

    out = capsys.readouterr().out
    assert exit_info.value.code == 1
    assert "interrupted part-way through 20 services (20 created" in out
    assert "Re-run the same import to complete it" in out
    assert m.Service.objects.count() == 20
    assert m.ImportRun.objects.get().status == "interrupted"


@pytest.mark.django_db
def test_a_run_whose_process_is_gone_is_marked_interrupted_when_runs_are_listed(place_data):
    gone = m.ImportRun.objects.create(
        kind="oruk", source="gone.ndjson", host=runs.this_host(), pid=_gone_pid()
    )
    gone.heartbeat_at = timezone.now()
    gone.save()
    alive = runs.start_run(
        kind="oruk", source="alive.ndjson", dry_run=False, partial=False, actor=None
    )

    listed = {run.source: run.status for run in runs.recent_runs()}

    assert listed == {"gone.ndjson": "interrupted", "alive.ndjson": "running"}
    alive.refresh_from_db()
    assert alive.status == "running"


@pytest.mark.django_db
def test_a_run_elsewhere_that_stopped_beating_is_marked_interrupted(place_data):
    now = timezone.now()
    stale = m.ImportRun.objects.create(
        kind="spreadsheet", source="stale.csv", host="another-host", pid=os.getpid()
    )
    fresh = m.ImportRun.objects.create(
        kind="spreadsheet", source="fresh.csv", host="another-host", pid=os.getpid()
    )
    m.ImportRun.objects.filter(pk=stale.pk).update(
        heartbeat_at=now - runs.STALE_AFTER - dt.timedelta(seconds=1)
    )
    m.ImportRun.objects.filter(pk=fresh.pk).update(heartbeat_at=now)

    marked = runs.mark_interrupted_runs()

    assert [run.source for run in marked] == ["stale.csv"]
    assert set(m.ImportRun.objects.values_list("source", "status")) == {
        ("stale.csv", "interrupted"),
        ("fresh.csv", "running"),
    }
    assert runs.mark_interrupted_runs() == []  # marked (and audited) once


@pytest.mark.django_db
def test_the_admin_lists_runs_with_the_dead_ones_shown_interrupted(client, admin_user):
    m.ImportRun.objects.create(
        kind="oruk", source="gone.ndjson", host=runs.this_host(), pid=_gone_pid()
    )
    client.force_login(admin_user)

    page = client.get("/admin/directory/importrun/")

    assert page.status_code == 200
    assert "Interrupted (re-run the same import to complete it)" in page.content.decode()
    assert client.get("/admin/directory/importrun/add/").status_code == 403
