"""Small numbers kept out of published figures, so no one can be picked out of a table.

Primary suppression: a count of 1 to 4 people is never shown (it reads "fewer than 5"). A
zero is shown, as NHS England's small-numbers rules allow: it names no one.

Secondary suppression: a table's counts add up (each group's counts to the total row; within
a row, the parts of those who started to the number who started). Where one count of such a
sum is hidden and the others are shown, it could be worked out by subtraction; so the smallest
other count of that sum (the next smallest cell in the same row or column group) is hidden
too (never a zero: a hidden zero beside a small sum would give the count away; if every other
part is zero, the total), and the check is repeated until no sum has exactly one hidden count.
Such a count reads "withheld", not "fewer than 5": it may be more.

Figures worked out from a few people (a mean change, a share) are withheld the same way by
the report: it shows them only for groups of at least 5 pairs.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

THRESHOLD = 5


def is_small(count: int | None) -> bool:
    """A count that must not be shown: 1 to 4."""
    return count is not None and 0 < count < THRESHOLD


def suppress(
    counts: Mapping[Hashable, int],
    sums: Iterable[tuple[Hashable, Iterable[Hashable]]] = (),
    *,
    also: Iterable[Hashable] = (),
) -> set[Hashable]:
    """The cells of `counts` to hide. `sums` lists each (total cell, part cells) that add up
    (total = sum of parts); a total may be a cell of another sum. Cells missing from `counts`
    are not shown, so they are treated as hidden already (nothing can be worked out from them
    or into them). `also` names cells to hide for another reason (shown elsewhere as withheld,
    or giving a small count away by its complement)."""
    hidden = {key for key, value in counts.items() if is_small(value)} | set(also)
    equations = [(total, tuple(parts)) for total, parts in sums]
    changed = True
    while changed:
        changed = False
        for total, parts in equations:
            cells = (total, *parts)
            unknown = [c for c in cells if c in hidden or c not in counts]
            if len(unknown) != 1 or unknown[0] not in counts:
                continue  # nothing to work out, or only a figure never shown at all
            # Exactly one hidden cell: hide the smallest other part that is not zero (a
            # hidden zero protects nothing when the sum is small), else the total.
            candidates = [c for c in parts if c not in unknown and counts[c] > 0] or [total]
            smallest = min(candidates, key=lambda c: (counts[c], str(c)))
            hidden.add(smallest)
            changed = True
    return hidden
