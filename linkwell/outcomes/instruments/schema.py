"""An instrument as its definition file describes it (see `definitions/` and docs/instruments.md).

Wording is per language code ("en", "pl", "ur", "pa"...); English is always there. Item
values are what a person's answer is worth before reverse scoring.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Text = dict[str, str]  # language code -> wording


@dataclass(frozen=True)
class Option:
    value: int
    label: Text


@dataclass(frozen=True)
class Item:
    id: str
    text: Text
    options: tuple[Option, ...]
    reverse: bool = False  # scored as (lowest + highest - value)


@dataclass(frozen=True)
class Band:
    code: str  # e.g. "low"
    label: Text
    low: float  # inclusive
    high: float  # inclusive


@dataclass(frozen=True)
class Subscale:
    """Items scored together and reported on their own (an ONS4 question is one: each of the
    four is reported alone with its own bands)."""

    id: str
    name: Text
    items: tuple[str, ...]
    scoring: Literal["sum", "mean"]
    bands: tuple[Band, ...] = ()
    higher_is_better: bool = True
    meaningful_change: float | None = None


@dataclass(frozen=True)
class MissingRule:
    """How many items may be left unanswered and still give a score, and how: "prorate" (the
    mean of those answered stands in for each missing one) or "none" (every item needed)."""

    max_missing: int = 0
    method: Literal["prorate", "none"] = "none"


@dataclass(frozen=True)
class Instrument:
    key: str
    version: str
    name: Text
    preamble: Text  # what the person is asked, before the items (the recall period)
    items: tuple[Item, ...]
    subscales: tuple[Subscale, ...] = ()
    # The total over every item ("sum", "mean"), or None when only the subscales are reported.
    total: Literal["sum", "mean"] | None = "sum"
    conversion: dict[int, float] | None = None  # raw total -> metric score
    bands: tuple[Band, ...] = ()  # on the metric score if converted, else the total
    higher_is_better: bool = True
    meaningful_change: float | None = None  # on the metric score if converted, else the total
    missing: MissingRule = field(default_factory=MissingRule)
    codes: dict[str, str] = field(default_factory=dict)  # {"snomed": ..., "loinc": ...}
    licence: str = ""
    copyright: str = ""  # the line to show wherever the wording is shown ("" if none)
    source: str = ""  # citation of the published wording, scoring and thresholds
    languages: tuple[str, ...] = ("en",)
    # language code -> "published" (as the source publishes it), "licensed" (an official
    # translation used under licence) or "unvalidated" (ours: to be replaced before use)
    wording: dict[str, str] = field(default_factory=dict)

    @property
    def headline(self) -> str | None:
        """Which score stands for the whole instrument: "metric", "total" or None (only
        the subscales are reported)."""
        if self.total is None:
            return None
        return "metric" if self.conversion is not None else "total"

    def item(self, item_id: str) -> Item:
        return next(i for i in self.items if i.id == item_id)


@dataclass(frozen=True)
class SubscaleScore:
    score: float
    band: str  # the band's code, "" if the subscale has no bands


@dataclass(frozen=True)
class Score:
    total: float | None
    metric: float | None
    band: str  # the band's code, "" if none
    subscales: dict[str, SubscaleScore]
    prorated: tuple[str, ...] = ()  # the items missing, filled by the missing-item rule
