"""Imports asked for on the web: only a partnership admin may, a bad file is refused naming the
field, the worker's job checks and writes the file into the queued run, tells the person who
asked, takes up a run whose worker died and leaves a finished or live one alone."""

import datetime as dt
import json
import os

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from linkwell.accounts.models import Role
from linkwell.audit.models import AuditEvent
from linkwell.directory import models as m
from linkwell.directory.importers import runs, uploads
from linkwell.directory.importers.uploads import Mode, UploadRefused
from linkwell.directory.tests.import_support import service_doc, sheet_csv
from linkwell.directory.tests.listing_support import *  # noqa: F403 (fixtures)
from linkwell.directory.tests.listing_support import person
from linkwell.notifications.models import Notification

pytestmark = pytest.mark.django_db


def ndjson(*numbers: int, **overrides) -> bytes:
    return "".join(json.dumps(service_doc(n, **overrides)) + "\n" for n in numbers).encode()


def ask(actor, content: bytes, *, filename="services.ndjson", mode=Mode.IMPORT, scheme=""):
    return uploads.request_import(
        actor=actor, filename=filename, content=content, mode=mode, scheme=scheme
    )


def test_an_admin_s_upload_is_queued_then_imported_and_they_are_told(
    place_data, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        run = ask(admin_user, ndjson(1, 2, 3), filename="C:\\Users\\me\\partner feed.ndjson")
    run.refresh_from_db()
    assert (run.status, run.source, run.kind) == ("queued", "partner feed.ndjson", "oruk")
    assert m.Service.objects.count() == 0  # nothing written until the worker runs it
    assert (
        AuditEvent.objects.filter(action="directory.import.requested", actor=admin_user).count()
        == 1
    )

    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:  # the job, as the worker (or inline) runs it after commit
            callback()

    run.refresh_from_db()
    assert run.status == "committed" and run.created == 3
    assert m.Service.objects.filter(name__startswith="Test lunch club").count() == 3
    assert not m.ImportUpload.objects.exists()  # the file is not kept once imported
    notice = Notification.objects.get(user=admin_user, kind="import_finished")
    assert notice.link == f"/imports/{run.pk}/"
    assert "3 new" in notice.message and "partner feed.ndjson" in notice.message
    assert AuditEvent.objects.filter(
        action="directory.import.committed", actor=admin_user, target_id=str(run.pk)
    ).exists()


@pytest.mark.parametrize("who", ["alpha_editor", "practitioner", "analyst", "nobody"])
def test_only_a_partnership_admin_may_import(place_data, alpha, who, request):
    actor = {
        "analyst": lambda: person("analyst", Role.ANALYST, alpha),
        "nobody": lambda: person("nobody"),
    }.get(who, lambda: request.getfixturevalue(who))()
    with pytest.raises(PermissionDenied):
        ask(actor, ndjson(1))
    assert not m.ImportRun.objects.exists() and not m.ImportUpload.objects.exists()


@pytest.mark.parametrize(
    ("filename", "content", "mode", "scheme", "field", "says"),
    [
        ("services.pdf", b"%PDF", Mode.IMPORT, "", "file", ".csv or .xlsx"),
        ("services.csv", b"", Mode.IMPORT, "", "file", "empty"),
        ("services.csv", b"x" * (1024 * 1024 + 1), Mode.IMPORT, "", "file", "the most is 1 MB"),
        ("services.csv", b"a,b\n", "everything", "", "mode", "check the file or import"),
        ("services.csv", b"a,b\n", Mode.CHECK, "no-such-scheme", "scheme", "tier scheme"),
    ],
)
def test_a_bad_upload_is_refused_naming_the_field_and_leaves_nothing(
    place_data, admin_user, settings, filename, content, mode, scheme, field, says
):
    settings.LINKWELL_IMPORT_MAX_MB = 1
    with pytest.raises(UploadRefused) as refused:
        ask(admin_user, content, filename=filename, mode=mode, scheme=scheme)
    assert refused.value.field == field and says in str(refused.value)
    assert not m.ImportRun.objects.exists() and not m.ImportUpload.objects.exists()


def test_a_file_that_is_not_what_its_name_says_fails_saying_so_by_its_own_name(
    place_data, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = ask(admin_user, b'{"hello": "world"}', filename="feed.json")
    run.refresh_from_db()
    assert run.status == "failed"
    (problem,) = run.errors
    assert problem["field"] == "file" and problem["reason"].startswith("feed.json is not an Open")
    assert "/tmp" not in problem["reason"]  # not where the worker put it to read it
    assert AuditEvent.objects.filter(action="directory.import.failed", actor=admin_user).exists()
    assert "did not finish" in Notification.objects.get(user=admin_user).message


def test_a_checked_file_s_good_rows_import_without_a_second_upload(
    place_data, admin_user, django_capture_on_commit_callbacks
):
    rows = [
        {"partner": "Test Council", "service": "Good service"},
        {"partner": "Test Council", "service": "Bad service", "tier": "9"},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        checked = ask(admin_user, sheet_csv(*rows), filename="map.csv", mode=Mode.CHECK)
    checked.refresh_from_db()
    assert checked.status == "dry_run"
    assert [p["row"] for p in checked.errors] == [3]  # as the spreadsheet numbers it
    assert not m.Service.objects.exists()
    assert m.ImportUpload.objects.filter(run=checked).exists()  # kept for "import it now"

    with django_capture_on_commit_callbacks(execute=True):
        imported = uploads.import_checked(actor=admin_user, checked=checked, good_rows_only=True)
    imported.refresh_from_db()
    assert (imported.status, imported.created, imported.source) == ("committed", 1, "map.csv")
    assert list(m.Service.objects.values_list("name", flat=True)) == ["Good service"]
    assert not m.ImportUpload.objects.exists()

    with pytest.raises(UploadRefused, match="upload the file again"):
        uploads.import_checked(actor=admin_user, checked=checked, good_rows_only=True)


def test_someone_else_may_not_import_a_checked_file(
    place_data, admin_user, alpha_editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        checked = ask(admin_user, ndjson(1), mode=Mode.CHECK)
    with pytest.raises(PermissionDenied):
        uploads.import_checked(actor=alpha_editor, checked=checked, good_rows_only=False)
    assert m.ImportRun.objects.count() == 1 and not m.Service.objects.exists()


def _queued_without_running(actor, content: bytes) -> m.ImportRun:
    """A run queued whose job has not run (its after-commit callback is never called)."""
    return ask(actor, content)


def test_a_run_whose_worker_died_is_taken_up_again_by_the_retried_job(
    place_data, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        run = _queued_without_running(admin_user, ndjson(1, 2))
    # The worker took it up, wrote one service, and was killed: its process is gone.
    m.ImportRun.objects.filter(pk=run.pk).update(
        status="running", host=runs.this_host(), pid=_gone_pid(), heartbeat_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        uploads.run_upload(run.pk)
    run.refresh_from_db()
    assert run.status == "committed" and run.created == 2
    assert m.Service.objects.count() == 2


def test_a_run_alive_in_another_worker_is_left_alone(
    place_data, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        run = _queued_without_running(admin_user, ndjson(1))
    # Another worker on another host, beating now.
    m.ImportRun.objects.filter(pk=run.pk).update(
        status="running", host="other-host", pid=1, heartbeat_at=timezone.now()
    )
    uploads.run_upload(run.pk)
    run.refresh_from_db()
    assert run.status == "running" and not m.Service.objects.exists()
    assert m.ImportUpload.objects.filter(run=run).exists()


def test_a_finished_run_s_job_run_again_changes_nothing(
    place_data, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = ask(admin_user, ndjson(1))
    events = AuditEvent.objects.count()
    uploads.run_upload(run.pk)
    assert AuditEvent.objects.count() == events
    assert Notification.objects.filter(kind="import_finished").count() == 1


def test_checked_files_are_forgotten_after_a_week_but_waiting_ones_are_kept(
    place_data, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        checked = ask(admin_user, ndjson(1), mode=Mode.CHECK)
    with django_capture_on_commit_callbacks(execute=False):
        waiting = _queued_without_running(admin_user, ndjson(2))
    week_ago = timezone.now() - dt.timedelta(days=8)
    m.ImportUpload.objects.update(uploaded_at=week_ago)

    assert uploads.forget_old_uploads() == 1
    assert not m.ImportUpload.objects.filter(run=checked).exists()
    assert m.ImportUpload.objects.filter(run=waiting).exists()


def _gone_pid() -> int:
    import subprocess

    process = subprocess.Popen(["true"])  # noqa: S607
    process.wait()
    assert process.pid != os.getpid()
    return process.pid
