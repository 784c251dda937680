"""The indicators the hub works out: every `*.toml` file under `definitions/` (one indicator
per file), checked; two files with one key are refused."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from linkwell.intelligence.indicators.checker import check
from linkwell.intelligence.indicators.errors import IndicatorInvalid
from linkwell.intelligence.indicators.schema import Indicator

FOLDER = Path(__file__).parent / "definitions"


def read_file(path: Path) -> Indicator:
    source = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise IndicatorInvalid(source, "(file)", f"is not valid TOML: {error}") from error
    return check(data, source)


def read_dir(folder: Path) -> dict[str, Indicator]:
    found: dict[str, Indicator] = {}
    for path in sorted(folder.glob("*.toml")):
        indicator = read_file(path)
        if indicator.key in found:
            raise IndicatorInvalid(
                path.name,
                "key",
                f"{indicator.key!r} is defined already in {found[indicator.key].source}: "
                "give this indicator another key",
            )
        found[indicator.key] = indicator
    return found


@cache
def load() -> dict[str, Indicator]:
    """The shipped indicators by key, in file order (read once per process)."""
    return read_dir(FOLDER)
