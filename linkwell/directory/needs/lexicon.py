"""The need lexicon: signal phrases per need code, one TOML file per language, and its checker.

The lexicon is data so that a partnership can add the words its people use without code; the
checker names the file and key of any mistake, and a test runs it on the files shipped here.

File shape (see `lexicon/en.toml`):
    language = "en"            # the file's language (a BCP 47 primary subtag)
    stemmer = "english"        # a Snowball stemmer for its words, or "none"
    known_words = [...]        # real words never "corrected" to a signal as a typo
    [cues]                     # negation_before, negation_after, past_before, past_after
                               # ("years ago" after the signal), clause_breaks,
                               # lack_before, negation_list, not_negation (a negation
                               # word that negates nothing: "i no" for "I know"),
                               # lack_after (a verb after the negation that makes it a
                               # lack: Urdu "نہیں بھر سکتی", cannot fill in)
    [needs.<code>]             # strong / weak: signal phrases; not: look-alikes that are not;
                               # declined: the person refuses help with it ("declines
                               # smoking cessation"), so it is not a need to act on
Phrase syntax: words match by stem ("falls" finds "fall", "falling"); `word*` matches any word
that starts with `word` (inflected languages); `=word` matches that word only, not its stem
("=fired" is not "fire"); `*` alone matches any one word; a word written in CAPITALS (2+
letters) matches only when written in capitals ("SOB" but not "sob").
"""

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from linkwell.directory.needs.text import STEMMERS, fold, stem, tokenize
from linkwell.directory.vocabularies import NEED_CODES

LEXICON_DIR = Path(__file__).parent / "lexicon"
WEIGHTS = {"strong": 0.85, "weak": 0.4}
EXCLUDED = "not"
DECLINED = "declined"  # help for the need refused: the text's other signals of it count for nothing
CUE_KINDS = (
    "negation_before",
    "negation_after",
    "past_before",
    "past_after",
    "clause_breaks",
    "lack_before",
    "negation_list",
    "lack_after",
    "not_negation",
)
_FILE_KEYS = {"language", "stemmer", "known_words", "cues", "needs"}


class LexiconError(ValueError):
    """A lexicon file that cannot be used; the message names the file and key."""


@dataclass(frozen=True)
class PhraseWord:
    """One word of a phrase: `kind` is word, exact, prefix, any or caps."""

    kind: str
    value: str
    stem: str = ""


@dataclass(frozen=True)
class Phrase:
    """A signal phrase (or, with `excluded`, a look-alike that signals nothing)."""

    need: str
    text: str
    words: tuple[PhraseWord, ...]
    weight: float
    stemmer: str
    excluded: bool = False
    language: str = ""
    declined: bool = False


@dataclass
class Lexicon:
    """All phrases and cues of the loaded languages, with the words typos are corrected to."""

    phrases: list[Phrase] = field(default_factory=list)
    cues: dict[str, set[tuple[str, ...]]] = field(
        default_factory=lambda: {kind: set() for kind in CUE_KINDS}
    )
    known_words: set[str] = field(default_factory=set)
    vocabulary: set[str] = field(default_factory=set)
    stemmers: set[str] = field(default_factory=set)

    def phrases_for(self, code: str) -> list[Phrase]:
        """The signal phrases of one need (not its look-alikes)."""
        return [p for p in self.phrases if p.need == code and not p.excluded and not p.declined]


def _phrase_words(text: str, stemmer: str) -> tuple[PhraseWord, ...]:
    words = []
    for part in text.split():
        if part == "*":
            words.append(PhraseWord("any", "*"))
        elif part.startswith("=") and len(part) > 1:
            for token in tokenize(part[1:]):
                words.append(PhraseWord("exact", token.folded))
        elif part.endswith("*"):
            for token in tokenize(part[:-1]):
                words.append(PhraseWord("word", token.folded, _stem(token.raw, stemmer)))
            if words and words[-1].kind == "word":
                words[-1] = PhraseWord("prefix", words[-1].value)
        else:
            for token in tokenize(part):
                if len(token.raw) >= 2 and token.raw.isupper() and token.raw.isascii():
                    words.append(PhraseWord("caps", token.raw))
                else:
                    words.append(PhraseWord("word", token.folded, _stem(token.raw, stemmer)))
    return tuple(words)


def _stem(raw: str, stemmer: str) -> str:
    return stem(raw, stemmer) if stemmer in STEMMERS else fold(raw)


def _strings(value: object, where: str, errors: list[str]) -> list[str]:
    if not isinstance(value, list):
        errors.append(f"{where}: expected a list of phrases")
        return []
    good = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            errors.append(f"{where}[{i}]: empty or not text: {item!r}")
        elif not tokenize(item.replace("*", " ")):
            errors.append(f"{where}[{i}]: no words in {item!r}")
        else:
            good.append(item)
    return good


def _phrase_problem(phrase: str) -> str:
    parts = phrase.split()
    if parts[0] == "*" or parts[-1] == "*":
        return "a phrase cannot start or end with * (any word)"
    for part in parts:
        if part != "*" and part.endswith("*") and len(fold(part[:-1])) < 3:
            return "a prefix (word*) needs at least 3 letters"
    return ""


def read_file(path: Path) -> tuple[dict, list[str]]:
    """A lexicon file parsed, and every mistake in it as `file: key: what is wrong`."""
    name = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return {}, [f"{name}: cannot be read: {exc}"]
    errors: list[str] = []
    for key in data.keys() - _FILE_KEYS:
        errors.append(f"{name}: {key}: unknown key (expected one of {sorted(_FILE_KEYS)})")
    if not isinstance(data.get("language"), str) or not data["language"].strip():
        errors.append(f"{name}: language: missing (a language code such as 'en')")
    if data.get("stemmer", "none") not in (*STEMMERS, "none"):
        errors.append(f"{name}: stemmer: {data['stemmer']!r} is not one of {[*STEMMERS, 'none']}")
    _strings(data.get("known_words", []), f"{name}: known_words", errors)
    cues = data.get("cues", {})
    if not isinstance(cues, dict):
        errors.append(f"{name}: cues: expected a table")
        cues = {}
    for kind, phrases in cues.items():
        if kind not in CUE_KINDS:
            errors.append(f"{name}: cues.{kind}: unknown cue kind (expected one of {CUE_KINDS})")
        _strings(phrases, f"{name}: cues.{kind}", errors)
    needs = data.get("needs", {})
    if not isinstance(needs, dict):
        errors.append(f"{name}: needs: expected a table of need codes")
        needs = {}
    for code, table in needs.items():
        if code not in NEED_CODES:
            errors.append(f"{name}: needs.{code}: unknown need code")
            continue
        if not isinstance(table, dict):
            errors.append(
                f"{name}: needs.{code}: expected a table with strong, weak, not or declined"
            )
            continue
        for weight, phrases in table.items():
            if weight not in WEIGHTS and weight not in (EXCLUDED, DECLINED):
                errors.append(
                    f"{name}: needs.{code}.{weight}: bad weight "
                    "(expected strong, weak, not or declined)"
                )
            good = set(_strings(phrases, f"{name}: needs.{code}.{weight}", errors))
            for i, phrase in enumerate(phrases if isinstance(phrases, list) else []):
                usable = isinstance(phrase, str) and phrase in good
                problem = _phrase_problem(phrase) if usable else ""
                if problem:
                    errors.append(f"{name}: needs.{code}.{weight}[{i}]: {problem}: {phrase!r}")
    return data, errors


def check(paths: Iterable[Path] | None = None) -> list[str]:
    """Every mistake in the given lexicon files (by default those shipped), as messages."""
    errors: list[str] = []
    for path in paths if paths is not None else lexicon_files():
        errors.extend(read_file(path)[1])
    return errors


def lexicon_files() -> list[Path]:
    return sorted(LEXICON_DIR.glob("*.toml"))


def languages() -> tuple[str, ...]:
    """The languages with a lexicon file."""
    return tuple(path.stem for path in lexicon_files())


@lru_cache(maxsize=16)
def load(languages: tuple[str, ...] | None = None) -> Lexicon:
    """The lexicon of the given languages (all when None), checked; raises LexiconError."""
    lexicon = Lexicon()
    for path in lexicon_files():
        if languages is not None and path.stem not in languages:
            continue
        data, errors = read_file(path)
        if errors:
            raise LexiconError("; ".join(errors))
        _add(lexicon, data, path.stem)
    return lexicon


def _add(lexicon: Lexicon, data: dict, language: str) -> None:
    stemmer = data.get("stemmer", "none")
    if stemmer in STEMMERS:
        lexicon.stemmers.add(stemmer)
    lexicon.known_words.update(fold(w) for w in data.get("known_words", []))
    for kind, phrases in data.get("cues", {}).items():
        for phrase in phrases:
            lexicon.cues[kind].add(tuple(t.folded for t in tokenize(phrase)))
    for code, table in data.get("needs", {}).items():
        for weight, phrases in table.items():
            for text in phrases:
                # Look-alikes match word for word: "stopped smoking" must not set aside
                # "stop smoking", as matching by stem would.
                matched_by = "none" if weight in (EXCLUDED, DECLINED) else stemmer
                words = _phrase_words(text, matched_by)
                lexicon.phrases.append(
                    Phrase(
                        need=code,
                        text=text,
                        words=words,
                        weight=WEIGHTS.get(weight, 0.0),
                        stemmer=matched_by,
                        excluded=weight == EXCLUDED,
                        language=language,
                        declined=weight == DECLINED,
                    )
                )
                lexicon.vocabulary.update(w.value for w in words if w.kind in ("word", "exact"))
