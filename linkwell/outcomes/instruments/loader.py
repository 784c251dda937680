"""Where definitions are found and how they are read: the shipped ones in `definitions/`,
then every `*.toml` in the folders LINKWELL_INSTRUMENTS_DIRS names (a setting, or the
environment variable of that name; folders separated by ":"), so a partnership with a
licence for another instrument adds a file, not code."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from linkwell.outcomes.instruments.checker import check
from linkwell.outcomes.instruments.errors import InstrumentInvalid
from linkwell.outcomes.instruments.schema import Instrument

SHIPPED = Path(__file__).resolve().parent / "definitions"
SETTING = "LINKWELL_INSTRUMENTS_DIRS"


def extra_dirs() -> list[Path]:
    """The partnership's own folders of definitions, in the order given."""
    value: object = None
    try:
        from django.conf import settings

        if settings.configured:
            value = getattr(settings, SETTING, None)
    except ImportError:  # pragma: no cover (Django is always there in the app)
        value = None
    if value is None:
        value = os.environ.get(SETTING, "")
    if isinstance(value, str):
        value = value.split(":")
    return [Path(str(folder)) for folder in value if str(folder).strip()]  # type: ignore[union-attr]


def read_file(path: Path) -> Instrument:
    """One definition file, checked."""
    source = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InstrumentInvalid(source, "(file)", f"is not valid TOML: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InstrumentInvalid(source, "(file)", f"cannot be read: {error}") from None
    return check(data, source)


def read_dirs(folders: list[Path]) -> dict[str, Instrument]:
    """Every definition in `folders`, by key; a key defined twice is refused (the second
    file names it), and so is a folder that does not exist."""
    found: dict[str, Instrument] = {}
    where: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            raise InstrumentInvalid(
                str(folder), "(folder)", f"does not exist: fix {SETTING} or create it"
            )
        for path in sorted(folder.glob("*.toml")):
            instrument = read_file(path)
            if instrument.key in found:
                raise InstrumentInvalid(
                    str(path),
                    "key",
                    f"{instrument.key!r} is defined already in {where[instrument.key]}: "
                    "give this instrument another key",
                )
            found[instrument.key] = instrument
            where[instrument.key] = path
    return found


def load() -> dict[str, Instrument]:
    """The shipped definitions and the partnership's own."""
    return read_dirs([SHIPPED, *extra_dirs()])
