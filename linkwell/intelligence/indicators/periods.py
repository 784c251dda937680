"""Periods the indicators are shown for: a month `YYYY-MM` or a quarter `YYYY-Qn` (calendar
quarters: Q1 is January to March)."""

from __future__ import annotations

import re

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")


def is_period(text: str) -> bool:
    return bool(MONTH_RE.match(text) or QUARTER_RE.match(text))


def is_quarter(text: str) -> bool:
    return bool(QUARTER_RE.match(text))


def quarter_of(month: str) -> str:
    year, number = month.split("-")
    return f"{year}-Q{(int(number) - 1) // 3 + 1}"


def months_back(month: str, count: int) -> list[str]:
    """`count` months ending with `month`, oldest first."""
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + number - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def quarters_back(month: str, count: int) -> list[str]:
    """`count` quarters ending with the one `month` is in, oldest first."""
    year, q = quarter_of(month).split("-Q")
    index = int(year) * 4 + int(q) - 1
    return [f"{i // 4:04d}-Q{i % 4 + 1}" for i in range(index - count + 1, index + 1)]
