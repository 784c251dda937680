"""People's words made comparable: tokens with their place in the text, folded and stemmed.

Folding is what lets "Samotność" match "samotnosc" and an Urdu word typed with the Arabic
letters yeh, kaf and heh match the same word typed with the Urdu ones (Farsi yeh, keheh, heh
goal); the lexicon and the text go through the same functions, so whatever folding does, it
does to both sides. Search uses
`normalise` and `stems` so its words fold exactly as the need lexicon's do.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

# A word: letters, digits and the marks that belong to them (Indic vowel signs are marks, which
# `\w` alone would split on), with apostrophes inside ("can't", "wife's").
_WORD = re.compile(
    r"[\w\u0900-\u0dff\u0300-\u036f\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d]+"
    r"(?:['\u2019][\w]+)*"
)
# What ends a clause, so that "no falls, lonely" negates only the falls.
# Stops, commas and dashes of the Latin, Arabic (question mark, comma, Urdu full stop) and
# Indic (danda) scripts.
_CLAUSE_BREAK = re.compile(
    r"[.,;:!?\n\r\u2022|\u061f\u060c\u06d4\u0964]|\s[-\u2013\u2014]\s|[\u2013\u2014]"
)

# Marks folded away: Latin accents, Arabic-script vowel marks and madda/hamza marks, the nukta
# of Indic scripts; Indic vowel signs are kept, they change the word.
_DROPPED_MARKS = frozenset(
    [chr(c) for c in range(0x0300, 0x0370)]
    + [chr(c) for c in range(0x0610, 0x061B)]
    + [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640", "\u0a3c", "\u093c", "\u200c", "\u200d", "'", "\u2019"]
    + [chr(c) for c in range(0x06D6, 0x06EE)]
)
# Letters with no decomposition that people type either way.
_LETTERS = str.maketrans(
    {
        "\N{LATIN SMALL LETTER L WITH STROKE}": "l",
        "\N{LATIN SMALL LETTER O WITH STROKE}": "o",
        "\N{LATIN SMALL LETTER D WITH STROKE}": "d",
        "\N{LATIN SMALL LETTER ETH}": "d",
        "\N{LATIN SMALL LETTER THORN}": "th",
        "\N{LATIN SMALL LETTER AE}": "ae",
        "\N{LATIN SMALL LIGATURE OE}": "oe",
        "\N{LATIN SMALL LETTER DOTLESS I}": "i",
        # Arabic-script variants typed on Arabic or Persian keyboards, folded to the Urdu letter.
        "\N{ARABIC LETTER YEH}": "\N{ARABIC LETTER FARSI YEH}",
        "\N{ARABIC LETTER ALEF MAKSURA}": "\N{ARABIC LETTER FARSI YEH}",
        "\N{ARABIC LETTER E}": "\N{ARABIC LETTER FARSI YEH}",
        "\N{ARABIC LETTER KAF}": "\N{ARABIC LETTER KEHEH}",
        "\N{ARABIC LETTER HEH}": "\N{ARABIC LETTER HEH GOAL}",
        "\N{ARABIC LETTER HEH DOACHASHMEE}": "\N{ARABIC LETTER HEH GOAL}",
        "\N{ARABIC LETTER TEH MARBUTA}": "\N{ARABIC LETTER HEH GOAL}",
        "\N{ARABIC LETTER TEH MARBUTA GOAL}": "\N{ARABIC LETTER HEH GOAL}",
        "\N{ARABIC LETTER HEH WITH YEH ABOVE}": "\N{ARABIC LETTER HEH GOAL}",
        "\N{ARABIC LETTER ALEF WASLA}": "\N{ARABIC LETTER ALEF}",
        "\N{ARABIC LETTER NOON GHUNNA}": "\N{ARABIC LETTER NOON}",
        # Gurmukhi: bindi and tippi both nasalise.
        "\N{GURMUKHI SIGN BINDI}": "\N{GURMUKHI TIPPI}",
    }
    | {chr(0x06F0 + n): str(n) for n in range(10)}  # Extended Arabic-Indic digits
    | {chr(0x0660 + n): str(n) for n in range(10)}  # Arabic-Indic digits
)

STEMMERS = ("english", "polish")
_SHORTEST_STEM = {"polish": 4}


@dataclass(frozen=True)
class Token:
    """A word of the text: as written (`raw`, at `start`..`end`), folded, and whether a clause
    boundary stands between it and the word before (`separator`: what stands there)."""

    raw: str
    start: int
    end: int
    folded: str
    breaks_before: bool
    separator: str = ""


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """One word casefolded, accents and script variants folded (see the module docstring)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    kept = "".join(ch for ch in decomposed if ch not in _DROPPED_MARKS)
    return unicodedata.normalize("NFC", kept.translate(_LETTERS)).translate(_LETTERS)


@lru_cache(maxsize=65536)
def stem(word: str, language: str = "english") -> str:
    """The stem of one word by a Snowball stemmer (`english` or `polish`), folded; words
    outside the Latin script, and words with digits, are their own (folded) stem."""
    lowered = word.casefold().replace("'", "").replace("\u2019", "")
    if not lowered.isalpha() or any(ord(ch) > 0x024F for ch in lowered):
        return fold(word)
    stemmed = _stemmer(language).stemWord(lowered)
    # Stemmers cut short words to nothing that tells them apart ("dla" and "długi"); the Polish
    # one cuts English words too ("wife" and "wifi" are both "wif").
    return fold(stemmed if len(stemmed) >= _SHORTEST_STEM.get(language, 3) else lowered)


@lru_cache(maxsize=4)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(language)


def tokenize(text: str) -> list[Token]:
    """The words of `text` in order, each with where it stands and its folded form."""
    tokens: list[Token] = []
    last_end = 0
    for match in _WORD.finditer(text or ""):
        raw = match.group()
        folded = fold(raw)
        if not folded or folded.isspace():
            continue
        between = text[last_end : match.start()]
        for part in raw.split("_"):
            if not part:
                continue
            offset = match.start() + raw.index(part)
            tokens.append(
                Token(
                    raw=part,
                    start=offset,
                    end=offset + len(part),
                    folded=fold(part),
                    breaks_before=bool(tokens) and bool(_CLAUSE_BREAK.search(between)),
                    separator=between.strip(),
                )
            )
            between = ""
        last_end = match.end()
    return [t for t in tokens if t.folded]


def normalise(text: str) -> list[str]:
    """The folded words of `text`: casefolded, accents and Arabic-script variants folded."""
    return [t.folded for t in tokenize(text)]


def stems(text: str, language: str = "english") -> list[str]:
    """The folded, stemmed words of `text` (`english` or `polish` Snowball stemmer)."""
    return [stem(t.raw, language) for t in tokenize(text)]
