"""`bench_matching.py --part tune`: what it prints holds nothing of the held-out part.

Run with `pytest benchmarks/matching`.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_matching


def test_a_tune_only_table_has_no_held_out_column():
    figures = {
        "tune": {
            "circumstances": {"inference": {"f1": 0.9}, "match": {"coverage_top5": 0.8}},
            "searches": {"public": {"hit_top5": 0.7}, "plain": {"hit_top5": 0.1}},
        }
    }
    table = bench_matching.part_table(figures, "tune")
    assert "held-out: new" not in table
    assert "held-out: plain" not in table
    assert "| need inference F1 (micro) | ≥ 0.90 | 0.900 | n/a |" in table
    assert "| citizen search hit rate in the top 5 | ≥ 0.95 | 0.700 | 0.100 |" in table


def test_only_tune_files_are_read_for_the_tune_part():
    names = {p.name for p in bench_matching.DATA.glob("*_tune*.jsonl")}
    assert names and not any("heldout" in name for name in names)
