"""Instruments as data: each is a definition file in `definitions/` (and in the folders
LINKWELL_INSTRUMENTS_DIRS names), checked when read (`InstrumentInvalid` names the field),
and scored by its definition alone (`score`). See docs/instruments.md."""

from __future__ import annotations

from functools import cache

from linkwell.outcomes.instruments import loader
from linkwell.outcomes.instruments.errors import AnswersRefused, InstrumentInvalid
from linkwell.outcomes.instruments.schema import Instrument, Score, SubscaleScore
from linkwell.outcomes.instruments.scoring import band_of, change, score

__all__ = [
    "AnswersRefused",
    "Instrument",
    "InstrumentInvalid",
    "Score",
    "SubscaleScore",
    "band_of",
    "catalogue",
    "change",
    "get",
    "score",
]


@cache
def catalogue() -> dict[str, Instrument]:
    """Every instrument defined, by key (read and checked once per process;
    `catalogue.cache_clear()` reads them again)."""
    return loader.load()


def get(key: str) -> Instrument | None:
    return catalogue().get(key)
