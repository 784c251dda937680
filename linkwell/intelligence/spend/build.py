"""The spend part of a hub refresh (see linkwell/intelligence/steps.py)."""

from __future__ import annotations

from linkwell.intelligence.steps import Context, Output


def build(context: Context) -> Output:
    return Output()
