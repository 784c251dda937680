"""A definition file the hub cannot use, naming the field to fix."""

from __future__ import annotations


class IndicatorInvalid(ValueError):
    """`field` is the definition's field at fault (e.g. "thresholds.red"); the message says
    what is wrong and what to write instead."""

    def __init__(self, source: str, field: str, message: str) -> None:
        super().__init__(f"{source}: {field}: {message}")
        self.source, self.field, self.message = source, field, message
