"""While a big directory import is writing, staff can still write: a person registered, their
record read (an audited read writes an audit event), a new account made. Real threads, each
with its own connection, on a database file (SQLite's one write lock is the point), on both
databases. The import runs in small batches so that it is mid-way for the whole test; on
SQLite one long import transaction would keep the staff waiting until it ended (or their 20 s
timeout), and on either database it would show them none of the import until then."""

import datetime as dt
import threading

import pytest
from django.db import close_old_connections, connection

from linkwell.accounts.actions import create_organisation, create_user, grant_role
from linkwell.accounts.models import OrganisationKind, Role
from linkwell.directory import models as m
from linkwell.directory.importers import runner
from linkwell.directory.tests.import_support import service_doc, write_ndjson
from linkwell.referrals import actions
from linkwell.referrals.models import Person

SERVICES = 2000
BATCH = 50  # 40 write transactions


@pytest.fixture(autouse=True)
def _committed(live_db):
    """Rows the other threads can see (committed), cleaned up after."""


def _staff_writes(practitioner) -> list[str]:
    """What a member of staff does meanwhile; each outcome 'ok' or the error it met."""
    outcomes = []

    def attempt(step):
        try:
            step()
            outcomes.append("ok")
        except Exception as error:  # reported by the assertions
            outcomes.append(f"error: {error!r}")

    people = []
    attempt(
        lambda: people.append(
            actions.register_person(
                actions.PersonDetails(
                    given_name="Asha", family_name="Late", birth_date=dt.date(1950, 1, 2)
                ),
                actor=practitioner,
                via="test",
                confirm_new=True,
            )
        )
    )
    attempt(lambda: actions.record_person_viewed(people[0], actor=practitioner, via="test"))
    attempt(lambda: create_user(actor=practitioner, username="new-starter", via="test"))
    return outcomes


def test_staff_writes_get_in_while_an_import_is_writing(tmp_path, monkeypatch):
    practice = create_organisation(actor=None, name="Practice", kind=OrganisationKind.GP_PRACTICE)
    practitioner = create_user(actor=None, username="gp")
    grant_role(actor=None, user=practitioner, organisation=practice, role=Role.PRACTITIONER)
    feed = write_ndjson(tmp_path / "feed.ndjson", [service_doc(n) for n in range(1, SERVICES + 1)])
    writing, batches = threading.Event(), []
    real_save = runner.save_services

    def saving(*args, **kwargs):
        batches.append(len(args[0]))
        if len(batches) == 2:  # the first batch is committed, the second being written
            writing.set()
        return real_save(*args, **kwargs)

    monkeypatch.setattr(runner, "save_services", saving)
    reports = []

    def run_import() -> None:
        close_old_connections()
        try:
            reports.append(runner.import_feed(feed, actor=None, batch_size=BATCH))
        finally:
            connection.close()

    importer = threading.Thread(target=run_import)
    importer.start()
    outcomes: list[str] = []
    seen_committed: list[int] = []

    def staff() -> None:
        close_old_connections()
        try:
            assert writing.wait(timeout=120), "the import never started writing"
            outcomes.extend(_staff_writes(practitioner))
            # What this connection sees committed: some of the feed's services, not yet all.
            seen_committed.append(m.Service.objects.count())
        finally:
            connection.close()

    member_of_staff = threading.Thread(target=staff)
    member_of_staff.start()
    member_of_staff.join(timeout=180)
    importer.join(timeout=180)

    assert outcomes == ["ok", "ok", "ok"], outcomes
    assert len(seen_committed) == 1
    assert seen_committed[0] > 0, "the import commits nothing until it ends"
    assert seen_committed[0] < SERVICES, "the staff writes got in only once the import had ended"
    assert reports[0].status == "committed"
    assert reports[0].transactions >= SERVICES // BATCH
    assert m.Service.objects.count() == SERVICES
    assert Person.objects.filter(family_name="Late").count() == 1
