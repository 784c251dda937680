"""Scoring by the definition alone: the same answers give the same scores on a page, in the
API and in the evaluation. Pure functions: nothing is read or stored."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from linkwell.outcomes.instruments.checker import DECIMALS
from linkwell.outcomes.instruments.errors import AnswersRefused
from linkwell.outcomes.instruments.schema import (
    Band,
    Instrument,
    Item,
    Score,
    SubscaleScore,
)


def score(instrument: Instrument, answers: dict[str, Any]) -> Score:
    """The scores of a complete set of answers (item id -> value; None or absent is not
    answered). Raises AnswersRefused naming each item out of range, of the wrong type,
    unknown, or missing beyond what the instrument's missing-item rule allows."""
    if not isinstance(answers, dict):
        raise AnswersRefused({"answers": "must be each question's id with its answer"})
    items = {item.id: item for item in instrument.items}
    problems: dict[str, str] = {}
    values: dict[str, int] = {}
    for key, given in answers.items():
        item = items.get(key) if isinstance(key, str) else None
        if item is None:
            problems[str(key)] = (
                f"is not a question of {instrument.name['en']}: the questions are "
                f"{', '.join(items)}"
            )
        elif given is not None:
            value, problem = _answer(item, given)
            if problem:
                problems[key] = problem
            else:
                values[key] = value
    unanswered = [i for i in items if i not in values and i not in problems]
    rule = instrument.missing
    if unanswered and (rule.method == "none" or len(unanswered) > rule.max_missing):
        allowance = (
            f" (at most {rule.max_missing} of the {len(items)} may be left out)"
            if rule.max_missing
            else ""
        )
        problems.update({i: f"needs an answer{allowance}" for i in unanswered})
    scored = {key: _reversed(items[key], value) for key, value in values.items()}
    groups = [[i.id for i in instrument.items]] if instrument.total else []
    groups += [list(s.items) for s in instrument.subscales]
    for members in groups:
        if not any(m in scored for m in members):
            problems.update({m: "needs an answer" for m in members if m not in problems})
    if problems:
        raise AnswersRefused(problems)

    total = metric = None
    band = ""
    if instrument.total is not None:
        total = _group([i.id for i in instrument.items], instrument.total, scored)
        headline = total
        if instrument.conversion is not None:
            metric = instrument.conversion[int(total)]
            headline = metric
        band = band_of(instrument.bands, headline)
    subscales = {}
    for subscale in instrument.subscales:
        value = _group(list(subscale.items), subscale.scoring, scored)
        subscales[subscale.id] = SubscaleScore(value, band_of(subscale.bands, value))
    return Score(
        total=total,
        metric=metric,
        band=band,
        subscales=subscales,
        prorated=tuple(unanswered),
    )


def change(instrument: Instrument, before: Score, after: Score) -> dict[str, Any]:
    """What changed from `before` to `after`: {"headline": {...} or None, "subscales":
    {id: {...}}}, each {"from", "to", "change", "meaningful", "better"}, the headline's
    also with "score": "metric" if the instrument converts, else "total" (the headline is
    None when only subscales are reported). `meaningful`: the change is at least the
    smallest meaningful change (None if the definition gives none); `better`: it moved
    the way that is better for that score (False for no change)."""
    headline = None
    if instrument.headline is not None:
        which = instrument.headline
        headline = _difference(
            which,
            getattr(before, which),
            getattr(after, which),
            instrument.higher_is_better,
            instrument.meaningful_change,
        )
    subscales = {}
    for subscale in instrument.subscales:
        was, now = before.subscales.get(subscale.id), after.subscales.get(subscale.id)
        if was is None or now is None:
            continue
        subscales[subscale.id] = _difference(
            None,
            was.score,
            now.score,
            subscale.higher_is_better,
            subscale.meaningful_change,
        )
    return {"headline": headline, "subscales": subscales}


def band_of(bands: tuple[Band, ...], value: float | None) -> str:
    """The code of the band `value` falls in ("" if none, or no bands)."""
    if value is None:
        return ""
    return next((b.code for b in bands if b.low <= value <= b.high), "")


def _answer(item: Item, given: Any) -> tuple[int, str]:
    """(value, "") for a usable answer, else (0, what is wrong)."""
    allowed = ", ".join(str(o.value) for o in item.options)
    if isinstance(given, bool) or not isinstance(given, int | float):
        shown = repr(given) if isinstance(given, str | bool) else type(given).__name__
        return 0, f"{shown[:40]} is not an answer: give the number of the answer, one of {allowed}"
    if isinstance(given, float) and not given.is_integer():
        return 0, f"{given:g} is not an answer: give a whole number, one of {allowed}"
    value = int(given)
    if all(o.value != value for o in item.options):
        return 0, f"{value} is not an answer to this question: give one of {allowed}"
    return value, ""


def _reversed(item: Item, value: int) -> int:
    if not item.reverse:
        return value
    values = [o.value for o in item.options]
    return min(values) + max(values) - value


def _group(members: list[str], scoring: str, scored: dict[str, int]) -> float:
    """A sum (prorated and rounded to a whole number when items are missing) or a mean of
    those answered."""
    answered = [scored[m] for m in members if m in scored]
    if scoring == "mean":
        return _round(Decimal(sum(answered)) / len(answered), DECIMALS)
    if len(answered) == len(members):
        return sum(answered)
    return _round(Decimal(sum(answered)) * len(members) / len(answered), 0)


def _round(value: Decimal, places: int) -> float:
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return int(rounded) if places == 0 else float(rounded)


def _difference(
    which: str | None,
    was: float | None,
    now: float | None,
    higher_is_better: bool,
    meaningful: float | None,
) -> dict[str, Any] | None:
    if was is None or now is None:
        return None
    moved = float(_round(Decimal(str(now)) - Decimal(str(was)), DECIMALS))
    moved_by = {
        "from": was,
        "to": now,
        "change": moved,
        "meaningful": None if meaningful is None else abs(moved) >= meaningful - 1e-9,
        "better": moved > 0 if higher_is_better else moved < 0,
    }
    return moved_by if which is None else {"score": which, **moved_by}
