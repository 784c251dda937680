"""How an import shares the database: short write transactions, and room between them.

SQLite has one write lock for the whole database. A writer that finds it taken (a member of
staff signing in, registering a person, reading an audited record) sleeps and retries, at
first every few milliseconds, then every 100 ms. An importer that began its next transaction
the moment it committed the last would win nearly every time, and such a writer could wait
until its 20 s timeout. So on SQLite each batch is sized to hold the lock about `HOLD_SECONDS`,
and at least `GAP_SECONDS` (one full retry interval) pass between one commit and the next
begin; the gap is mostly spent reading and checking the next batch, so it costs little. If
someone did write in the gap, the importer waits until they have been quiet for `QUIET_SECONDS`
(at most `MORE_SECONDS` more): a request often writes several times in a row (a sign-in opens
seven write transactions), and should not wait out a batch before each. PostgreSQL locks rows,
not the database: batches keep their full size and need no gap.

Many short transactions make SQLite copy its write-ahead log into the database file
(a checkpoint, with its fsyncs) after nearly every commit. `wal_checkpoints_aside` has another
thread do it while the importer reads the next batch, and the importer waits for it before
its next transaction: that transaction then starts the log afresh. (Without the wait the
checkpoints fell behind, the log grew past a gigabyte for 10,000 services and every page read
searched it: imports took twice as long.)
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection

HOLD_SECONDS = 0.45  # aimed-for length of one write transaction on SQLite
GAP_SECONDS = 0.11  # SQLite's busy handler retries every 100 ms once a writer has waited
QUIET_SECONDS = 0.03  # after others wrote in the gap: how long they must be quiet
MORE_SECONDS = 0.3  # the most a gap is lengthened for them
FIRST_BATCH = 200  # services in the first SQLite batch, before its pace is known
SMALLEST_BATCH = 100  # below this, each service costs far more to write (see the ADR)


@dataclass
class Pacer:
    """Sizes the batches and spaces the transactions of one import (see the module doc)."""

    shares_one_lock: bool
    largest: int
    checkpoints: "Checkpoints | None" = None
    others_version: Callable[[], int] | None = None  # changes when anyone else commits
    size: int = 0
    transactions: int = 0
    longest: float = 0.0  # seconds, the longest write transaction
    paused: float = 0.0  # seconds slept to leave the gap

    def __post_init__(self) -> None:
        self.size = min(self.largest, FIRST_BATCH) if self.shares_one_lock else self.largest
        self._released: float | None = None
        self._version: int | None = None

    @classmethod
    def for_database(
        cls, vendor: str, largest: int, checkpoints: "Checkpoints | None" = None
    ) -> "Pacer":
        return cls(
            shares_one_lock=vendor == "sqlite",
            largest=max(1, largest),
            checkpoints=checkpoints,
            others_version=_sqlite_data_version if vendor == "sqlite" else None,
        )

    @contextmanager
    def turn(self, services: int) -> Iterator[None]:
        """Around one write transaction of `services` services: wait for the gap, then time it."""
        if self.checkpoints is not None:
            self.checkpoints.wait()
        if self.shares_one_lock and self._released is not None:
            self._leave_the_gap()
        started = time.monotonic()
        try:
            yield
        finally:
            self._released = time.monotonic()
            if self.checkpoints is not None:
                self.checkpoints.poke()
            if self.others_version is not None:
                self._version = self.others_version()
            self._finished(services, self._released - started)

    def _leave_the_gap(self) -> None:
        assert self._released is not None
        began = time.monotonic()
        rest = GAP_SECONDS - (began - self._released)
        if rest > 0:
            time.sleep(rest)
        if self.others_version is not None and self._version is not None:
            latest = self.others_version()
            until = time.monotonic() + MORE_SECONDS
            while latest != self._version and time.monotonic() < until:
                self._version = latest  # someone wrote: wait until they have been quiet
                time.sleep(QUIET_SECONDS)
                latest = self.others_version()
        self.paused += time.monotonic() - began

    def _finished(self, services: int, seconds: float) -> None:
        self.transactions += 1
        self.longest = max(self.longest, seconds)
        if not self.shares_one_lock or services <= 0 or seconds <= 0:
            return
        aimed = int(services * HOLD_SECONDS / seconds)
        self.size = min(self.largest, max(SMALLEST_BATCH, (self.size + aimed) // 2))


def _sqlite_data_version() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA data_version")
        return int(cursor.fetchone()[0])


class Checkpoints:
    """A thread, with its own connection, that checkpoints SQLite's log when poked."""

    def __init__(self) -> None:
        self._poked, self._idle, self._done = (
            threading.Event(),
            threading.Event(),
            threading.Event(),
        )
        self._idle.set()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def poke(self) -> None:
        """After a commit: copy what it logged into the database file, in the background."""
        self._idle.clear()
        self._poked.set()

    def wait(self) -> None:
        """Before a transaction: let the checkpoint finish, so the transaction restarts the log."""
        self._idle.wait()

    def _run(self) -> None:
        try:
            while not self._done.is_set():
                if self._poked.wait(timeout=1):
                    self._poked.clear()
                    try:
                        with connection.cursor() as cursor:
                            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
                    finally:
                        self._idle.set()
        finally:
            connection.close()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()
        self._idle.set()


@contextmanager
def wal_checkpoints_aside() -> Iterator[Checkpoints | None]:
    """On SQLite in WAL mode, outside any caller's transaction: stop this connection copying
    the log into the database after its commits, and hand that to a `Checkpoints` thread
    (yielded; None elsewhere). PASSIVE checkpoints wait for no one: readers and writers, ours
    and staff's, carry on meanwhile."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield None
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        if str(cursor.fetchone()[0]).lower() != "wal":
            yield None
            return
        cursor.execute("PRAGMA wal_autocheckpoint")
        before = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA wal_autocheckpoint = 0")
    checkpoints = Checkpoints()
    checkpoints.start()
    try:
        yield checkpoints
    finally:
        checkpoints.stop()
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint = {before}")
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
