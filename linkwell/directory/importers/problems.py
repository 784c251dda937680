"""What went wrong with an import, said so a partner can find and fix it."""

from dataclasses import asdict, dataclass, field
from typing import Any


class ImportSourceError(Exception):
    """The source as a whole cannot be read (not ORUK, unreachable, not a spreadsheet)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one item.

    `row` is the item number in a feed (1 = first service) or the row number a user sees in
    Excel (1 = the header row). `field` is a column name or a path like `schedules[0].opens_at`.
    """

    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ImportReport:
    """The outcome of one run: counts, every problem, and whether anything was committed.

    The source is checked whole before anything is written, then written in short
    transactions (docs/adr/0019): `writing` says whether that second pass began, and the
    counts are then of what was committed, even if the run failed or was interrupted.
    """

    kind: str
    source: str
    dry_run: bool = False
    partial: bool = False
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # the same as the last import saved: left alone
    problems: list[Problem] = field(default_factory=list)
    committed: bool = False
    writing: bool = False
    status: str = "running"
    run_id: int | None = None
    notes: list[str] = field(default_factory=list)  # e.g. earlier runs found interrupted
    transactions: int = 0  # write transactions, and the longest of them in seconds
    longest_transaction: float = 0.0

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems})

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        counts = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.dry_run:
            outcome = f"dry run, nothing committed ({counts} if it were)"
        elif self.committed:
            outcome = f"committed: {counts}"
        elif self.writing:
            outcome = f"{self.status} part-way through {self.written} services ({counts})"
        else:
            outcome = f"{self.status}: nothing committed"
        return f"{self.rows_read} read, {self.bad_rows} with problems; {outcome}."

    def advice(self) -> str:
        """What to do next, when the run did not end as asked."""
        if self.dry_run or self.committed:
            return ""
        if self.writing:
            return (
                "Re-run the same import to complete it (services already written are skipped "
                "as unchanged)" + (", after fixing the rows above." if self.problems else ".")
            )
        if self.status == "interrupted":
            return "Nothing was committed. Re-run the same import."
        if self.problems and self.status == "refused":
            return (
                "Nothing was committed. Fix the rows above, or use --partial to commit the good "
                "rows only."
            )
        return ""
