"""Languages people speak, stored as ISO 639-1 codes ("ur") and shown by name ("Urdu (اردو)").

Names and autonyms come from CLDR through `langcodes` (with `language_data`), not a list kept
by hand. Only where CLDR's English name is not the one people here use, or a macrolanguage
has no single autonym, is a name given below.
"""

from functools import lru_cache

import langcodes
from langcodes.data_dicts import LANGUAGE_ALPHA3, LANGUAGE_REPLACEMENTS

# The languages most spoken in Bradford District and Craven, after English (Census 2021 main
# language, Bradford): shown first, in this order.
LOCAL_LANGUAGES = (
    "en",
    "ur",
    "pa",
    "pl",
    "bn",
    "sk",
    "ro",
    "ar",
    "ps",
    "ku",
    "cs",
    "gu",
)

# CLDR says "Bangla"; the census, the NHS and people in Bradford say "Bengali".
_ENGLISH_NAMES = {"bn": "Bengali"}
# Punjabi here is mostly written in Shahmukhi (Perso-Arabic), also in Gurmukhi; Kurdish is
# Kurmanji (Latin letters) or Sorani (Arabic letters). Both scripts are shown.
_AUTONYMS = {"pa": "پنجابی / ਪੰਜਾਬੀ", "ku": "Kurdî / کوردی"}


@lru_cache(maxsize=1)
def _iso_639_1_codes() -> frozenset[str]:
    """Every current two-letter ISO 639-1 code (withdrawn ones, like "iw" for Hebrew, left out)."""
    withdrawn = {code for code in LANGUAGE_REPLACEMENTS if len(code) == 2 and code != "tl"}
    return frozenset(code for code in LANGUAGE_ALPHA3 if len(code) == 2) - withdrawn


def is_language_code(code: str) -> bool:
    return code in _iso_639_1_codes()


def language_name(code: str, *, in_language: str | None = None) -> str:
    """The language's name in English, or in `in_language` ("ur" -> "اردو" in Urdu).

    A code that is not ISO 639-1 comes back as it is, so a stored value always shows.
    """
    if not is_language_code(code):
        return code
    if in_language is None or in_language.split("-")[0] == "en":
        if code in _ENGLISH_NAMES:
            return _ENGLISH_NAMES[code]
        in_language = "en"
    if in_language == code and code in _AUTONYMS:
        return _AUTONYMS[code]
    return langcodes.Language.get(code).display_name(in_language)


def language_label(code: str) -> str:
    """The English name, and the language's own name beside it: "Urdu (اردو)", "English"."""
    english = language_name(code)
    own = language_name(code, in_language=code)
    return english if own.casefold() == english.casefold() else f"{english} ({own})"


@lru_cache(maxsize=1)
def _choices() -> tuple[tuple[str, str], ...]:
    local = [(code, language_label(code)) for code in LOCAL_LANGUAGES]
    rest = sorted(
        ((code, language_label(code)) for code in _iso_639_1_codes() - set(LOCAL_LANGUAGES)),
        key=lambda choice: language_name(choice[0]).casefold(),
    )
    return tuple(local + rest)


def language_choices() -> list[tuple[str, str]]:
    """[(code, label)]: the languages of Bradford District and Craven first, then every other
    ISO 639-1 language alphabetically by English name."""
    return list(_choices())


@lru_cache(maxsize=1)
def _by_label() -> dict[str, str]:
    names: dict[str, str] = {}
    for code, label in _choices():
        for name in (label, language_name(code), language_name(code, in_language=code)):
            names.setdefault(name.casefold(), code)
    return names


def language_code(text: str) -> str | None:
    """The ISO 639-1 code for a code ("UR", "urd", "ur-PK") or a name in any language ("urdu",
    "Urdu (اردو)", "اردو", "Farsi"), or None if it names no ISO 639-1 language."""
    text = " ".join((text or "").split())
    if not text:
        return None
    found = _by_label().get(text.casefold())
    if found:
        return found
    if len(text) <= 3 or "-" in text or "_" in text:
        try:
            code = langcodes.Language.get(text.replace("_", "-")).language
        except (ValueError, LookupError):
            code = None
        if code and is_language_code(code):
            return code
    try:
        code = langcodes.find(text).language
    except LookupError:
        return None
    return code if code and is_language_code(code) else None
