"""An indicator as the partnership defines it in a file: what it measures, the SQL that
works it out over the hub's views, the target and when it is green, amber or red."""

from __future__ import annotations

from dataclasses import dataclass

GREEN, AMBER, RED = "green", "amber", "red"


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    definition: str
    sql: str
    direction: str  # "higher" or "lower": which way is better
    target: float
    green: float  # at or beyond this (in the better direction): green
    red: float  # beyond this (in the worse direction): red; between: amber
    unit: str = ""  # shown after the value: "%", " days", " per 1,000"
    scale: float = 1.0  # value = numerator / denominator * scale, unless the SQL gives value
    decimals: int = 1
    levels: tuple[str, ...] = ("ward", "place")
    counts_people: bool = True  # numerator and denominator count people or referrals
    source: str = ""

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher"

    def rag(self, value: float | None) -> str:
        """Green, amber or red for `value` by the thresholds ("" for no value)."""
        if value is None:
            return ""
        if self.higher_is_better:
            if value >= self.green:
                return GREEN
            return RED if value < self.red else AMBER
        if value <= self.green:
            return GREEN
        return RED if value > self.red else AMBER
