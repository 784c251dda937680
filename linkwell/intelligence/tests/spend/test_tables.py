"""Totals are added up from the rows, never typed: the review's own Table 2, whose printed
totals row (19, 49, 56, 41) does not add up, gives the sums of its rows."""

from types import SimpleNamespace
from uuid import NAMESPACE_URL, uuid5

from linkwell.intelligence.spend.tables import count_table

REVIEW_TABLE_2 = {
    "Police": (9, 18, 15, 12),
    "Public Health": (9, 31, 26, 17),
    "CCG": (1, 9, 15, 12),
    "In communities": (2, 1, 1, 2),
    "Children's Services": (1, 5, 9, 7),
    "Adults SC": (2, 6, 13, 7),
    "Place": (8, 6, 4, 6),
}
COLUMNS = [(str(n), f"Tier {n}") for n in range(4)]


def _cells():
    for row, counts in REVIEW_TABLE_2.items():
        for tier, count in enumerate(counts):
            yield SimpleNamespace(
                partner_key=uuid5(NAMESPACE_URL, row), partner=row, department_key=None,
                department="", tier=str(tier), services=count,
            )  # fmt: skip


def test_the_reviews_table_2_totals_are_the_sums_of_its_rows_not_the_printed_ones():
    table = count_table(list(_cells()), COLUMNS, by="department")

    totals = [table.total.cells[key] for key, _label in COLUMNS]
    assert totals == [32, 76, 83, 63]  # the review printed 19, 49, 56, 41
    assert table.total.total == 254
    police = next(line for line in table.lines if line.label == "Police")
    assert (police.cells["0"], police.total) == (9, 54)
