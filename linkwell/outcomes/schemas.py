"""The instruments API's input and output. Shapes only: the definition files say what an
instrument is (`instruments.checker`), scoring refuses what cannot be scored."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

EXAMPLE_SCORE_IN = {
    "answers": {
        "optimistic": 3,
        "useful": 4,
        "relaxed": 2,
        "problems": 3,
        "thinking": 4,
        "close": 3,
        "own_mind": 5,
    }
}
EXAMPLE_SCORE_OUT = {
    "total": 24,
    "metric": 21.54,
    "band": "average",
    "subscales": {},
    "prorated": [],
}


class OptionOut(Schema):
    value: int = Field(description="What the answer is worth, before any reverse scoring.")
    label: dict[str, str] = Field(description="Its wording by language code.")


class ItemOut(Schema):
    id: str
    text: dict[str, str] = Field(description="The question by language code.")
    options: list[OptionOut]
    reverse: bool = Field(description="Scored as lowest + highest - value.")


class BandOut(Schema):
    code: str
    label: dict[str, str]
    low: float = Field(description="Inclusive.")
    high: float = Field(description="Inclusive.")


class SubscaleOut(Schema):
    id: str
    name: dict[str, str]
    items: list[str]
    scoring: str = Field(description='"sum" or "mean".')
    bands: list[BandOut]
    higher_is_better: bool
    meaningful_change: float | None


class MissingOut(Schema):
    max_missing: int = Field(description="How many items may be left unanswered.")
    method: str = Field(description='"prorate" (the mean of those answered stands in) or "none".')


class InstrumentOut(Schema):
    key: str
    version: str
    name: dict[str, str]
    preamble: dict[str, str] = Field(description="What the person is asked before the items.")
    languages: list[str]
    wording: dict[str, str] = Field(
        description='Per language: "published", "licensed" (an official translation) or '
        '"unvalidated" (ours, to be replaced by the licensed translation before use).'
    )
    items: list[ItemOut]
    total: str | None = Field(description='"sum", "mean", or null when only subscales count.')
    conversion: dict[str, float] | None = Field(description="Raw total -> metric score.")
    bands: list[BandOut] = Field(description="On the metric score if converted, else the total.")
    higher_is_better: bool
    meaningful_change: float | None = Field(
        description="The smallest change in the headline score that counts for a person."
    )
    subscales: list[SubscaleOut]
    missing: MissingOut
    codes: dict[str, str] = Field(description='{"snomed": ..., "loinc": ...} where they exist.')
    licence: str
    copyright: str = Field(description="To be shown wherever the wording is shown.")
    source: str


class ScoreIn(Schema):
    answers: dict[str, Any] = Field(
        description="Each item's id with the value of its chosen option (a whole number). "
        "Leave an item out (or null) if unanswered: the missing-item rule decides.",
    )

    model_config = {"json_schema_extra": {"examples": [EXAMPLE_SCORE_IN]}}


class SubscaleScoreOut(Schema):
    score: float
    band: str = Field(description='The band\'s code, "" if the subscale has none.')


class ScoreOut(Schema):
    total: float | None = Field(description="The raw total (null when only subscales count).")
    metric: float | None = Field(description="The converted score, where a conversion applies.")
    band: str = Field(description='The band\'s code, "" if none.')
    subscales: dict[str, SubscaleScoreOut]
    prorated: list[str] = Field(description="Items left out, filled by the missing-item rule.")

    model_config = {"json_schema_extra": {"examples": [EXAMPLE_SCORE_OUT]}}


class Problem(Schema):
    detail: str


class AnswerProblem(Schema):
    item: str = Field(description='The item id ("answers" for the whole set).')
    message: str
    parameter: str = Field(description="Where, as the API's other errors name it.")
    reason: str


class AnswersProblem(Schema):
    detail: str
    errors: list[AnswerProblem]
