"""Median and percentiles read from a histogram (value -> how many), so they can be worked out
for any span of months from the stored per-month histograms."""

from __future__ import annotations


def _nth(histogram: dict[int, int], n: int) -> int:
    """The n-th smallest value (1-based)."""
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= n:
            return value
    raise ValueError("n is beyond the histogram")


def median(histogram: dict[int, int]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count)."""
    total = sum(histogram.values())
    if not total:
        return None
    if total % 2:
        return float(_nth(histogram, total // 2 + 1))
    return (_nth(histogram, total // 2) + _nth(histogram, total // 2 + 1)) / 2


def percentile(histogram: dict[int, int], p: float) -> float | None:
    """The nearest-rank percentile: the smallest value at least p% of the count reach."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, -(-total * p // 100))  # ceil(total * p / 100)
    return float(_nth(histogram, int(rank)))
