"""Instruments as data: each is a definition file in `definitions/` (and in the folders
LINKWELL_INSTRUMENTS_DIRS names), checked when read (`InstrumentInvalid` names the field),
and scored by its definition alone (`score`)."""

from __future__ import annotations

from typing import Any

from linkwell.outcomes.instruments.schema import Instrument, Score


class InstrumentInvalid(ValueError):
    """A definition file that cannot be used: `field` is its dotted path (e.g.
    "items[2].options[0].value"), the message says what is wrong and what to write."""

    def __init__(self, source: str, field: str, message: str) -> None:
        super().__init__(f"{source}: {field}: {message}")
        self.source, self.field, self.message = source, field, message


class AnswersRefused(ValueError):
    """Answers that cannot be scored: `problems` maps each item id (or "answers") to what
    is wrong with it, in words a person can act on."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


def catalogue() -> dict[str, Instrument]:
    """Every instrument defined, by key (read and checked once per process)."""
    raise NotImplementedError


def get(key: str) -> Instrument | None:
    return catalogue().get(key)


def score(instrument: Instrument, answers: dict[str, Any]) -> Score:
    """The scores of a complete set of answers (item id -> value). Raises AnswersRefused
    naming each item out of range, of the wrong type, unknown, or missing beyond what the
    instrument's missing-item rule allows."""
    raise NotImplementedError


def change(instrument: Instrument, before: Score, after: Score) -> dict[str, Any]:
    """What changed from `before` to `after`: for the headline score (metric if converted,
    else total) and each subscale, {"from", "to", "change", "meaningful", "better"}
    (`meaningful`: at least the instrument's smallest meaningful change; `better`: in the
    direction that is better for that score)."""
    raise NotImplementedError
