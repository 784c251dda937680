"""Small counts are withheld, and so is one more wherever a withheld count could be worked
out from a total."""

import itertools

from linkwell.outcomes.evaluation.suppression import is_small, suppress


def _recoverable(counts, hidden, sums):
    """Cells a reader could work out exactly: a sum with one unknown, repeated."""
    known = {k for k in counts if k not in hidden}
    found = True
    while found:
        found = False
        for total, parts in sums:
            cells = [total, *parts]
            unknown = [c for c in cells if c not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                found = True
    return {k for k in hidden if k in known}


def test_only_counts_of_1_to_4_are_small():
    assert [n for n in range(8) if is_small(n)] == [1, 2, 3, 4]


def test_a_lone_small_count_takes_the_next_smallest_of_its_column_with_it():
    counts = {"all": 30, "a": 3, "b": 8, "c": 19}
    sums = [("all", ["a", "b", "c"])]

    hidden = suppress(counts, sums)

    assert hidden == {"a", "b"}
    assert not _recoverable(counts, hidden, sums)


def test_two_small_counts_in_one_column_need_nothing_more():
    counts = {"all": 30, "a": 3, "b": 2, "c": 25}

    assert suppress(counts, [("all", ["a", "b", "c"])]) == {"a", "b"}


def test_a_zero_is_shown_and_is_never_the_one_hidden_beside_a_small_count():
    # Hiding the 0 would protect nothing: 9 = 3 + 0 + 6 with the 0 "withheld" (0 or 5 or
    # more) leaves only 0, and gives the 3 away. The 6 goes instead.
    counts = {"all": 9, "a": 3, "b": 0, "c": 6}

    assert suppress(counts, [("all", ["a", "b", "c"])]) == {"a", "c"}


def test_when_every_other_part_is_zero_the_total_is_hidden():
    counts = {"all": 3, "a": 3, "b": 0}

    assert suppress(counts, [("all", ["a", "b"])]) == {"a", "all"}
    counts = {"all": 12, "a": 3, "b": 0, "c": 9}
    assert "b" not in suppress(counts, [("all", ["a", "b", "c"])])


def test_no_hidden_count_can_be_worked_out_from_row_and_column_totals():
    # Groups (rows) by stages (columns), with a total row and a total column.
    table = {
        "g1": {"no_baseline": 1, "lost": 6, "paired": 20},
        "g2": {"no_baseline": 7, "lost": 2, "paired": 9},
        "g3": {"no_baseline": 0, "lost": 8, "paired": 3},
        "g4": {"no_baseline": 12, "lost": 15, "paired": 30},
    }
    stages = ["no_baseline", "lost", "paired"]
    counts = {}
    for group, row in table.items():
        counts |= {(group, s): v for s, v in row.items()}
        counts[(group, "started")] = sum(row.values())
    for stage in [*stages, "started"]:
        counts[("all", stage)] = sum(counts[(g, stage)] for g in table)
    sums = [(("all", s), [(g, s) for g in table]) for s in [*stages, "started"]]
    sums += [((g, "started"), [(g, s) for s in stages]) for g in [*table, "all"]]

    hidden = suppress(counts, sums)

    assert {k for k, v in counts.items() if 0 < v < 5} <= hidden
    assert not _recoverable(counts, hidden, sums)
    # Every sum with a hidden count has at least two.
    for total, parts in sums:
        inside = [c for c in [total, *parts] if c in hidden]
        assert len(inside) != 1


def test_suppression_holds_for_every_small_table():
    # Every 2-group, 2-stage table with counts 0 to 6: nothing hidden can be recovered.
    for a, b, c, d in itertools.product(range(7), repeat=4):
        counts = {("g1", "x"): a, ("g1", "y"): b, ("g2", "x"): c, ("g2", "y"): d}
        counts |= {("g1", "all"): a + b, ("g2", "all"): c + d}
        counts |= {("all", "x"): a + c, ("all", "y"): b + d, ("all", "all"): a + b + c + d}
        sums = [((g, "all"), [(g, "x"), (g, "y")]) for g in ("g1", "g2", "all")]
        sums += [(("all", s), [("g1", s), ("g2", s)]) for s in ("x", "y", "all")]
        hidden = suppress(counts, sums)
        assert {k for k, v in counts.items() if is_small(v)} <= hidden
        assert not _recoverable(counts, hidden, sums), counts
