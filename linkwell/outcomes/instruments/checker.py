"""Turns a parsed definition file into an Instrument, refusing anything that could not be
scored the same way everywhere: the first fault found is raised as InstrumentInvalid with
the dotted field (``items[2].options[0].value``) and what to write instead.

A partnership adds an instrument by writing a file, so every message speaks to the person
writing it, not to a programmer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from itertools import pairwise
from typing import Any, NoReturn

from linkwell.outcomes.instruments.errors import InstrumentInvalid
from linkwell.outcomes.instruments.schema import (
    Band,
    Instrument,
    Item,
    MissingRule,
    Option,
    Subscale,
    Text,
)

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
WORDING = ("published", "licensed", "unvalidated")
SCORINGS = ("sum", "mean")
TOTALS = ("sum", "mean", "none")
MISSING_METHODS = ("prorate", "none")
DECIMALS = 2  # every score is rounded to this many places before banding or comparing

TOP_FIELDS = {
    "key",
    "version",
    "name",
    "preamble",
    "languages",
    "wording",
    "options",
    "items",
    "total",
    "conversion",
    "bands",
    "higher_is_better",
    "meaningful_change",
    "subscales",
    "missing",
    "codes",
    "licence",
    "copyright",
    "source",
}
ITEM_FIELDS = {"id", "text", "options", "reverse"}
OPTION_FIELDS = {"value", "label"}
BAND_FIELDS = {"code", "label", "low", "high"}
SUBSCALE_FIELDS = {
    "id",
    "name",
    "items",
    "scoring",
    "bands",
    "higher_is_better",
    "meaningful_change",
}
MISSING_FIELDS = {"max_missing", "method"}


def check(data: Any, source: str) -> Instrument:
    """The instrument `data` (a parsed TOML document) defines; raises InstrumentInvalid."""
    return _Checker(source).instrument(data)


def _join(parent: str, name: str | int) -> str:
    if isinstance(name, int):
        return f"{parent}[{name}]"
    return f"{parent}.{name}" if parent else name


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    def __init__(self, source: str) -> None:
        self.source = source
        self.languages: tuple[str, ...] = ("en",)

    def fail(self, field: str, message: str) -> NoReturn:
        raise InstrumentInvalid(self.source, field or "(file)", message)

    # Shapes

    def table(
        self, value: Any, field: str, allowed: set[str], required: Iterable[str] = ()
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(field, "must be a table (key = value lines under a [heading])")
        for name in value:
            if name not in allowed:
                self.fail(
                    _join(field, name),
                    f"is not a field here: write one of {', '.join(sorted(allowed))}",
                )
        for name in required:
            if name not in value:
                self.fail(_join(field, name), "is missing: every definition needs it")
        return value

    def array(self, value: Any, field: str, *, at_least: int = 0) -> list[Any]:
        if not isinstance(value, list):
            self.fail(field, "must be a list ([[...]] tables or [a, b] values)")
        if len(value) < at_least:
            self.fail(field, f"must have at least {at_least} entries")
        return value

    def string(self, value: Any, field: str, *, pattern: re.Pattern[str] | None = None) -> str:
        if not isinstance(value, str):
            self.fail(field, 'must be text in quotes, e.g. "..."')
        if pattern is not None and not pattern.match(value):
            self.fail(
                field,
                f"{value!r} is not usable: write lower-case letters, digits and _, "
                "starting with a letter",
            )
        return value

    def choice(self, value: Any, field: str, choices: tuple[str, ...]) -> str:
        if value not in choices:
            self.fail(field, f"{value!r} is not known: write one of {', '.join(choices)}")
        return value

    def boolean(self, value: Any, field: str) -> bool:
        if not isinstance(value, bool):
            self.fail(field, "must be true or false (without quotes)")
        return value

    def number(self, value: Any, field: str) -> float:
        if not _is_number(value):
            self.fail(field, "must be a number (without quotes), e.g. 3 or 2.5")
        return value

    def positive(self, value: Any, field: str) -> float:
        if self.number(value, field) <= 0:
            self.fail(field, "must be more than 0: the smallest change that counts")
        return value

    def text(self, value: Any, field: str) -> Text:
        """Wording in every language the definition offers (English at least)."""
        if not isinstance(value, dict):
            self.fail(field, 'must give the wording per language, e.g. { en = "...", pl = "..." }')
        for language, words in value.items():
            if language not in self.languages:
                self.fail(
                    _join(field, language),
                    f"is not a language of this definition: add it to languages "
                    f"(now {', '.join(self.languages)}) or remove it",
                )
            if not isinstance(words, str) or not words.strip():
                self.fail(_join(field, language), "must be the wording, in quotes, not empty")
        for language in self.languages:
            if language not in value:
                what = "the English wording" if language == "en" else f"the {language} wording"
                self.fail(_join(field, language), f"is missing: write {what}")
        return {language: value[language] for language in self.languages}

    # The definition

    def instrument(self, data: Any) -> Instrument:
        data = self.table(data, "", TOP_FIELDS, ("key", "version", "name", "items", "source"))
        key = self.string(data["key"], "key", pattern=KEY_RE)
        version = self.string(data["version"], "version")
        if not version.strip():
            self.fail("version", 'must name the version of the wording, e.g. "1.0"')
        self.languages = self.language_list(data.get("languages", ["en"]))
        wording = self.wording(data.get("wording", {}))
        name = self.text(data["name"], "name")
        preamble = (
            self.text(data["preamble"], "preamble")
            if "preamble" in data
            else dict.fromkeys(self.languages, "")
        )
        shared = self.options(data["options"], "options") if "options" in data else None
        items = self.items(data["items"], shared)
        missing = self.missing(data.get("missing", {}), len(items))
        total_kind = self.choice(data.get("total", "sum"), "total", TOTALS)
        total = None if total_kind == "none" else total_kind
        subscales = self.subscales(data.get("subscales", []), items, missing)
        if total is None and not subscales:
            self.fail("total", 'is "none" and there are no subscales: nothing would be scored')
        for name_ in ("conversion", "bands", "meaningful_change", "higher_is_better"):
            if total is None and name_ in data:
                self.fail(name_, 'applies to the total, and total is "none": move it to a subscale')
        conversion = None
        possible = _possible(items, [i.id for i in items], total or "sum", missing)
        if "conversion" in data:
            if total != "sum":
                self.fail("conversion", 'converts a raw total: it needs total = "sum"')
            conversion = self.conversion(data["conversion"], possible)
            possible = sorted(set(conversion.values()))
        bands = self.bands(data.get("bands", []), "bands", possible)
        return Instrument(
            key=key,
            version=version,
            name=name,
            preamble=preamble,
            items=items,
            subscales=subscales,
            total=total,  # type: ignore[arg-type]
            conversion=conversion,
            bands=bands,
            higher_is_better=self.boolean(data.get("higher_is_better", True), "higher_is_better"),
            meaningful_change=(
                self.positive(data["meaningful_change"], "meaningful_change")
                if "meaningful_change" in data
                else None
            ),
            missing=missing,
            codes=self.codes(data.get("codes", {})),
            licence=self.string(data.get("licence", ""), "licence"),
            copyright=self.string(data.get("copyright", ""), "copyright"),
            source=self.required_text(data["source"], "source"),
            languages=self.languages,
            wording=wording,
        )

    def required_text(self, value: Any, field: str) -> str:
        if not self.string(value, field).strip():
            self.fail(field, "must cite where the wording and scoring are published")
        return value

    def language_list(self, value: Any) -> tuple[str, ...]:
        languages = self.array(value, "languages", at_least=1)
        for index, language in enumerate(languages):
            if not isinstance(language, str) or not LANGUAGE_RE.match(language):
                self.fail(_join("languages", index), 'must be a language code in quotes, e.g. "pl"')
            if language in languages[:index]:
                self.fail(_join("languages", index), f"{language!r} is listed twice")
        if "en" not in languages:
            self.fail("languages", 'must include "en": English wording is always given')
        return tuple(languages)

    def wording(self, value: Any) -> dict[str, str]:
        """How far each language's wording can be trusted; every language but English says."""
        table = self.table(value, "wording", set(self.languages))
        statuses = {"en": "published"}
        for language in self.languages:
            field = _join("wording", language)
            if language not in table:
                if language == "en":
                    continue
                self.fail(
                    field,
                    f"is missing: say whether the {language} wording is {', '.join(WORDING)}",
                )
            statuses[language] = self.choice(table[language], field, WORDING)
        return statuses

    def options(self, value: Any, field: str) -> tuple[Option, ...]:
        options = []
        for index, entry in enumerate(self.array(value, field, at_least=2)):
            where = _join(field, index)
            entry = self.table(entry, where, OPTION_FIELDS, ("value", "label"))
            if not _is_integer(entry["value"]):
                self.fail(_join(where, "value"), "must be a whole number (without quotes)")
            if any(o.value == entry["value"] for o in options):
                self.fail(
                    _join(where, "value"),
                    f"{entry['value']} is given to an earlier option too: each answer needs "
                    "its own value",
                )
            options.append(Option(entry["value"], self.text(entry["label"], _join(where, "label"))))
        return tuple(options)

    def items(self, value: Any, shared: tuple[Option, ...] | None) -> tuple[Item, ...]:
        items: list[Item] = []
        for index, entry in enumerate(self.array(value, "items", at_least=1)):
            where = _join("items", index)
            entry = self.table(entry, where, ITEM_FIELDS, ("id", "text"))
            item_id = self.string(entry["id"], _join(where, "id"), pattern=KEY_RE)
            if any(i.id == item_id for i in items):
                self.fail(_join(where, "id"), f"{item_id!r} is the id of an earlier item too")
            if "options" in entry:
                options = self.options(entry["options"], _join(where, "options"))
            elif shared is not None:
                options = shared
            else:
                self.fail(
                    _join(where, "options"),
                    "is missing: give this item its options, or give shared [[options]]",
                )
            reverse = self.boolean(entry.get("reverse", False), _join(where, "reverse"))
            text = self.text(entry["text"], _join(where, "text"))
            items.append(Item(item_id, text, options, reverse))
        return tuple(items)

    def missing(self, value: Any, count: int) -> MissingRule:
        table = self.table(value, "missing", MISSING_FIELDS)
        allowed = table.get("max_missing", 0)
        if not _is_integer(allowed) or allowed < 0:
            self.fail("missing.max_missing", "must be a whole number, 0 or more")
        method = self.choice(table.get("method", "none"), "missing.method", MISSING_METHODS)
        if allowed and method == "none":
            self.fail(
                "missing.method",
                'is "none" but max_missing allows items to be left out: write "prorate"',
            )
        if allowed >= count:
            self.fail(
                "missing.max_missing",
                f"allows {allowed} of {count} items to be left out: write at most {count - 1}",
            )
        return MissingRule(allowed, method)  # type: ignore[arg-type]

    def subscales(
        self, value: Any, items: tuple[Item, ...], missing: MissingRule
    ) -> tuple[Subscale, ...]:
        known = [i.id for i in items]
        subscales: list[Subscale] = []
        for index, entry in enumerate(self.array(value, "subscales")):
            where = _join("subscales", index)
            entry = self.table(entry, where, SUBSCALE_FIELDS, ("id", "name", "items"))
            sub_id = self.string(entry["id"], _join(where, "id"), pattern=KEY_RE)
            if any(s.id == sub_id for s in subscales):
                self.fail(_join(where, "id"), f"{sub_id!r} is the id of an earlier subscale too")
            members = self.array(entry["items"], _join(where, "items"), at_least=1)
            for position, member in enumerate(members):
                if member not in known:
                    self.fail(
                        _join(_join(where, "items"), position),
                        f"{member!r} is not an item: write one of {', '.join(known)}",
                    )
                if member in members[:position]:
                    self.fail(_join(_join(where, "items"), position), f"{member!r} is listed twice")
            scoring = self.choice(entry.get("scoring", "sum"), _join(where, "scoring"), SCORINGS)
            possible = _possible(items, members, scoring, missing)
            subscales.append(
                Subscale(
                    id=sub_id,
                    name=self.text(entry["name"], _join(where, "name")),
                    items=tuple(members),
                    scoring=scoring,  # type: ignore[arg-type]
                    bands=self.bands(entry.get("bands", []), _join(where, "bands"), possible),
                    higher_is_better=self.boolean(
                        entry.get("higher_is_better", True), _join(where, "higher_is_better")
                    ),
                    meaningful_change=(
                        self.positive(entry["meaningful_change"], _join(where, "meaningful_change"))
                        if "meaningful_change" in entry
                        else None
                    ),
                )
            )
        return tuple(subscales)

    def conversion(self, value: Any, possible: list[float]) -> dict[int, float]:
        if not isinstance(value, dict):
            self.fail("conversion", 'must be a table of raw total = metric score, e.g. "7" = 7.0')
        table: dict[int, float] = {}
        for raw, metric in value.items():
            field = _join("conversion", raw)
            try:
                total = int(raw)
            except ValueError:
                self.fail(field, 'must be a whole raw total in quotes, e.g. "7" = 7.0')
            if total not in possible:
                self.fail(
                    field,
                    f"no answers add up to {raw}: totals run from {_show(possible[0])} to "
                    f"{_show(possible[-1])}",
                )
            table[total] = self.number(metric, field)
        for total in possible:
            if int(total) not in table:
                self.fail(
                    _join("conversion", str(int(total))),
                    f"is missing: every raw total from {_show(possible[0])} to "
                    f"{_show(possible[-1])} needs its metric score",
                )
        return dict(sorted(table.items()))

    def bands(self, value: Any, field: str, possible: list[float]) -> tuple[Band, ...]:
        """Bands that do not overlap and leave no score the instrument can give unbanded."""
        bands: list[tuple[int, Band]] = []
        for index, entry in enumerate(self.array(value, field)):
            where = _join(field, index)
            entry = self.table(entry, where, BAND_FIELDS, ("code", "label", "low", "high"))
            code = self.string(entry["code"], _join(where, "code"), pattern=KEY_RE)
            if any(b.code == code for _, b in bands):
                self.fail(_join(where, "code"), f"{code!r} is the code of an earlier band too")
            low = self.number(entry["low"], _join(where, "low"))
            high = self.number(entry["high"], _join(where, "high"))
            if low > high:
                self.fail(_join(where, "high"), f"is below low ({_show(low)}): swap them")
            if high < possible[0] or low > possible[-1]:
                self.fail(
                    where,
                    f"covers no score this can give (scores run from {_show(possible[0])} "
                    f"to {_show(possible[-1])})",
                )
            band = Band(code, self.text(entry["label"], _join(where, "label")), low, high)
            bands.append((index, band))
        if not bands:
            return ()
        ordered = sorted(bands, key=lambda pair: pair[1].low)
        for (_, before), (index, after) in pairwise(ordered):
            if after.low <= before.high:
                self.fail(
                    _join(_join(field, index), "low"),
                    f"overlaps band {before.code!r} ({_show(before.low)} to "
                    f"{_show(before.high)}): start it above {_show(before.high)}",
                )
        for score in possible:
            if not any(b.low <= score <= b.high for _, b in ordered):
                self.fail(
                    field,
                    f"leave a gap: a score of {_show(score)} falls in no band; widen a band "
                    "to cover it",
                )
        return tuple(b for _, b in bands)

    def codes(self, value: Any) -> dict[str, str]:
        table = self.table(value, "codes", {"snomed", "loinc"})
        return {
            system: code
            for system, code in table.items()
            if self.string(code, _join("codes", system)).strip()
        }


def scored_values(item: Item) -> list[int]:
    """What each answer to `item` counts for, after reverse scoring."""
    values = [o.value for o in item.options]
    if item.reverse:
        lowest, highest = min(values), max(values)
        return sorted(lowest + highest - v for v in values)
    return sorted(values)


def _possible(
    items: tuple[Item, ...], members: list[str], scoring: str, missing: MissingRule
) -> list[float]:
    """Every score a group of items can give (a superset for sums: each whole number between
    the lowest and the highest), counting those prorated when items may be left out."""
    ranges = [scored_values(i) for i in items if i.id in members]
    lowest = [r[0] for r in ranges]
    highest = [r[-1] for r in ranges]
    if scoring == "sum":
        return [float(s) for s in range(sum(lowest), sum(highest) + 1)]
    count = len(ranges)
    fewest = max(1, count - missing.max_missing) if missing.method == "prorate" else count
    values = set()
    for answered in range(fewest, count + 1):
        low = sum(sorted(lowest)[:answered])
        high = sum(sorted(highest)[-answered:])
        values.update(round(s / answered, DECIMALS) for s in range(low, high + 1))
    return sorted(values)


def _show(number: float) -> str:
    return f"{number:g}"
