"""Inferring need codes from free text (a GP note, a contact note, a person's own words).

Lexical: the text's words are matched against the lexicon's phrases (by stem, with typos
corrected against the lexicon's own words); a phrase negated in its clause ("no falls", "falls:
denied", or down a short list: "denies smoking, alcohol or drugs") counts for nothing, one in
the past ("ex-smoker") for little; "don't" in words that say a lack ("don't know how to use the
computer") is not a denial; a need whose help is declined ("declines smoking cessation") is left
out whatever else signals it. The signals left for a need combine as a noisy-or of their
weights, so two weak signals say more than one. See docs/adr/0027-need-lexicon-and-inference.md.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from linkwell.directory.needs import lexicon as lexicon_files
from linkwell.directory.needs import semantic as _semantic
from linkwell.directory.needs.lexicon import WEIGHTS, Lexicon, Phrase, PhraseWord
from linkwell.directory.needs.text import Token, stem, tokenize
from linkwell.directory.needs.typos import Corrector
from linkwell.directory.needs.words import english_words

SHOWN_FROM = 0.5
"""Needs at or above this confidence are worth showing a practitioner to confirm."""
POSSIBLE_FROM = WEIGHTS["weak"]
"""One weak sign alone ("lives alone"): a hint, not shown as read; matching may offer it a
place left over once the needs read surely have theirs."""

# A need shown with confidence takes in another that the text signals only through it: a
# terminal cancer is end-of-life care, not a long-term condition to self-manage; a carer's
# note names the cared-for person's condition, not the carer's own.
SUBSUMES = {
    "end_of_life": ("long_term_condition",),
    "carers": ("long_term_condition",),
}
# ... except a carer's note that says more of the condition than its name ("had a stroke ...
# a group for people with aphasia"): two or more strong signs of it are a need of its own.
SUBSUMES_UNLESS_TWO_STRONG = {"carers"}
TWO_STRONG_FROM = 0.97  # two strong signs combine to 0.9775; a strong and a weak to 0.91
TAKEN_IN_FACTOR = 0.25  # what is left of a need another takes in
# A shown need explains another's single sign: grief is tears and low mood, so "tearful since
# her husband died" is bereavement alone; two or more signs of the other need (say "low mood,
# suicidal") are a need of its own and stay. Abuse explains one sign the same way ("he hits
# her, she was in tears").
EXPLAINS = {"bereavement": ("mental_wellbeing",), "domestic_abuse": ("mental_wellbeing",)}
ONE_SIGN_BELOW = 0.9  # a confidence under this comes from a single strong sign
PAST_FACTOR = 0.25  # a signal in the past ("ex-smoker", "used to drink") counts for this much
# A condition diagnosed "years ago" is still lived with: "years ago" after it is no past.
LASTING = {"long_term_condition", "learning_disability_autism"}
NEGATION_REACH = 4  # words a negation reaches forward, within its clause
# A denial runs down a short list ("denies smoking, alcohol or drugs"): across commas, when
# each item between is a few words at most.
LIST_REACH = 8
LIST_ITEM_WORDS = 3
NEGATION_AFTER_REACH = 3  # words after a signal in which "denied", "nil", "none" negate it
PAST_REACH = 3
LACK_REACH = 2  # words between "can't", "don't know how to" and the lack it says
_LIST_JOINERS = {"or", "and", "nor", "lub", "albo", "i"}
_SOFT_SEPARATORS = {":", "-", "=", "\u2013", ":-"}  # "Alcohol: nil" still negates alcohol


@dataclass(frozen=True)
class InferredNeed:
    """A need signalled by the text: its code, how sure (0 to 1), and the words, as written,
    that signalled it."""

    code: str
    confidence: float
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class _Word:
    """A token of the text with the forms phrases are compared against."""

    token: Token
    folded: str
    stems: dict[str, str]


@dataclass(frozen=True, eq=False)
class _Match:
    phrase: Phrase
    start: int
    end: int


class _Matcher:
    """A lexicon ready to match: phrases indexed by their first word, a typo corrector."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.stemmers = ("none", *sorted(lexicon.stemmers))
        # First word -> second word (None: any second word; "": a one-word phrase) -> phrases,
        # so a common first word ("no", "lost") does not try its hundreds of phrases.
        self.index: dict[tuple[str, str], dict[tuple[str, str] | str | None, list[Phrase]]] = (
            defaultdict(lambda: defaultdict(list))
        )
        self.known_stems: dict[str, set[str]] = defaultdict(set)
        for phrase in lexicon.phrases:
            first = self._key(phrase.words[0], phrase.stemmer)
            if len(phrase.words) == 1:
                second: tuple[str, str] | str | None = ""
            elif phrase.words[1].kind in ("any", "prefix"):
                second = None
            else:
                second = self._key(phrase.words[1], phrase.stemmer)
            self.index[first][second].append(phrase)
            for word in phrase.words:
                if word.kind == "word":
                    self.known_stems[phrase.stemmer].add(word.stem)
                if word.kind in ("word", "exact"):
                    self.known_stems["none"].add(word.value)
        self.corrector = Corrector(lexicon.vocabulary, lexicon.known_words | english_words())
        self.cues = {kind: _first_word_index(cues) for kind, cues in lexicon.cues.items()}

    @staticmethod
    def _key(word: PhraseWord, stemmer: str) -> tuple[str, str]:
        if word.kind == "prefix":
            return ("prefix", word.value[:3])
        if word.kind == "caps":
            return ("caps", word.value)
        if word.kind == "exact":
            return ("none", word.value)
        return (stemmer, word.stem) if stemmer != "none" else ("none", word.value)

    def words(self, tokens: list[Token]) -> list[_Word]:
        words = []
        for token in tokens:
            stems = {s: stem(token.raw, s) if s != "none" else token.folded for s in self.stemmers}
            folded = token.folded
            if not any(stems[s] in self.known_stems[s] for s in self.stemmers):
                corrected = self.corrector.correct(folded)
                if corrected:
                    folded = corrected
                    stems = {s: stem(corrected, s) if s != "none" else corrected for s in stems}
            words.append(_Word(token, folded, stems))
        return words

    def keys(self, word: _Word) -> list[tuple[str, str]]:
        """The index keys a word of the text answers to."""
        keys = [(stemmer, word.stems[stemmer]) for stemmer in self.stemmers]
        keys.append(("prefix", word.folded[:3]))
        keys.append(("caps", word.token.raw))
        return keys

    def candidates(self, words: list[_Word], keys: list[list[tuple[str, str]]], i: int):
        """Phrases that may start at word i, by its key and the next word's."""
        following = i + 1 < len(words) and not words[i + 1].token.breaks_before
        for key in keys[i]:
            by_second = self.index.get(key)
            if by_second is None:
                continue
            yield from by_second.get("", ())
            yield from by_second.get(None, ())
            if following:
                for second in keys[i + 1]:
                    yield from by_second.get(second, ())


def _first_word_index(cues: set[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for cue in cues:
        if cue:
            index[cue[0]].append(cue)
    return index


def _word_matches(pattern: PhraseWord, word: _Word, stemmer: str) -> bool:
    if pattern.kind == "any":
        return True
    if pattern.kind == "caps":
        return word.token.raw == pattern.value
    if pattern.kind == "exact":
        return word.folded == pattern.value
    if pattern.kind == "prefix":
        return word.folded.startswith(pattern.value) or word.token.folded.startswith(pattern.value)
    if stemmer == "none":
        return word.folded == pattern.value
    return word.stems.get(stemmer) == pattern.stem or word.folded == pattern.value


def _match_at(phrase: Phrase, words: list[_Word], start: int) -> int | None:
    end = start + len(phrase.words)
    if end > len(words):
        return None
    for offset, pattern in enumerate(phrase.words):
        word = words[start + offset]
        if offset and word.token.breaks_before:
            return None
        if not _word_matches(pattern, word, phrase.stemmer):
            return None
    return end


def _cue_spans(words: list[_Word], index: dict[str, list[tuple[str, ...]]]) -> list[range]:
    spans = []
    for i, word in enumerate(words):
        for cue in index.get(word.token.folded, ()):
            end = i + len(cue)
            if end <= len(words) and all(
                words[i + k].token.folded == cue[k] and not (k and words[i + k].token.breaks_before)
                for k in range(len(cue))
            ):
                spans.append(range(i, end))
    return spans


def _resolve(matches: list[_Match]) -> list[_Match]:
    """Signals left once look-alikes ("ex smoker", "no money worries") and signals inside a
    longer signal at least as strong ("smoke" inside "no smoke alarm") are set aside; a signal
    that takes in a whole look-alike and says more stays."""
    covering: dict[int, list[_Match]] = defaultdict(list)  # word position -> matches over it
    for match in matches:
        for k in range(match.start, match.end):
            covering[k].append(match)

    def overlapping(match: _Match) -> set[_Match]:
        return {o for k in range(match.start, match.end) for o in covering[k]}

    kept = []
    for m in matches:
        if m.phrase.excluded:
            continue
        others = overlapping(m)
        # A look-alike sets aside the signals of its need that it overlaps, unless the signal
        # takes it in and says more ("keep moving us on" is not the exercise "keep moving").
        if any(
            x.phrase.excluded
            and x.phrase.need == m.phrase.need
            and not (m.start <= x.start and x.end <= m.end and m.end - m.start > x.end - x.start)
            for x in others
        ):
            continue
        if any(
            not o.phrase.excluded
            and o.start <= m.start
            and m.end <= o.end
            and (o.end - o.start) > (m.end - m.start)
            and o.phrase.weight >= m.phrase.weight
            for o in others
        ):
            continue
        kept.append(m)
    return kept


class _Clauses:
    """Which words stand in the same clause as which: breaks are punctuation and the
    lexicon's clause words ("but", "however")."""

    def __init__(self, words: list[_Word], break_words: list[range]) -> None:
        self.hard = [w.token.breaks_before for w in words]
        self.soft = [w.token.breaks_before and w.token.separator in _SOFT_SEPARATORS for w in words]
        self.punctuated = [w.token.breaks_before for w in words]  # not the clause words
        self.comma = [w.token.breaks_before and w.token.separator == "," for w in words]
        self.joining = [w.token.folded in _LIST_JOINERS for w in words]
        for span in break_words:
            self.hard[span.start] = True
            if span.stop < len(words):
                self.hard[span.stop] = True

    def joined(self, first: int, last: int, *, soft_ok: bool = False) -> bool:
        """Whether words first..last stand in one clause."""
        return all(
            not self.hard[k] or (soft_ok and self.soft[k]) for k in range(first + 1, last + 1)
        )

    def listed(self, first: int, last: int) -> bool:
        """Whether words first..last stand in one short list: only commas between them, and
        every item up to the one holding `last` (to its closing punctuation) at most
        LIST_ITEM_WORDS words, not counting "or" and "and"."""
        item = 0
        k = first + 1
        while k < len(self.hard):
            if k > last and self.punctuated[k]:
                break
            if k <= last and self.hard[k]:
                if not self.comma[k] or item > LIST_ITEM_WORDS:
                    return False
                item = 0
            item += not self.joining[k]
            k += 1
        return item <= LIST_ITEM_WORDS


def _negated(match: _Match, cues: _Cues, clauses: _Clauses, *, says_a_lack: bool = False) -> bool:
    """Whether a negation cue in the signal's clause cancels it. A signal that itself says a
    lack ("doesn't speak English") is not undone by "well" or "good" after it ("doesn't speak
    English very well" is the same need)."""
    for cue in cues.ending_before(match.start, NEGATION_REACH, "negation_before"):
        if clauses.joined(cue.start, match.start):
            return True
    for cue in cues.ending_before(match.start, LIST_REACH, "negation_list"):
        if clauses.listed(cue.stop - 1, match.start):
            return True
    if says_a_lack:
        return False
    for cue in cues.starting_after(match.end, NEGATION_AFTER_REACH, "negation_after"):
        if clauses.joined(match.end - 1, cue.stop - 1, soft_ok=True):
            return True
    return False


def _in_past(match: _Match, cues: _Cues, clauses: _Clauses) -> bool:
    """Whether the signal is set in the past: "ex smoker", "used to drink" before it, or
    "years ago" after it in its clause ("his wife died four years ago")."""
    return any(
        clauses.joined(cue.start, match.start)
        for cue in cues.ending_before(match.start, PAST_REACH, "past_before")
    ) or (
        match.phrase.need not in LASTING
        and any(
            clauses.joined(match.end - 1, cue.stop - 1)
            for cue in cues.starting_after(match.end, PAST_REACH, "past_after")
        )
    )


class _Cues:
    """Where each kind of cue stands, by the positions its words end and start at."""

    def __init__(self, spans: dict[str, list[range]]) -> None:
        self.by_stop: dict[tuple[str, int], list[range]] = defaultdict(list)
        self.by_start: dict[tuple[str, int], list[range]] = defaultdict(list)
        for kind, kind_spans in spans.items():
            for span in kind_spans:
                self.by_stop[(kind, span.stop)].append(span)
                self.by_start[(kind, span.start)].append(span)

    def ending_before(self, position: int, reach: int, kind: str) -> list[range]:
        """Cues ending at most `reach` words before `position` (nearest first)."""
        found: list[range] = []
        for stop in range(position, max(position - reach, 0), -1):
            found.extend(self.by_stop.get((kind, stop), ()))
        return found

    def starting_after(self, position: int, reach: int, kind: str) -> list[range]:
        """Cues starting at most `reach` words after `position` (nearest first)."""
        found: list[range] = []
        for start in range(position, position + reach):
            found.extend(self.by_start.get((kind, start), ()))
        return found


def _combined(weights: dict[str, dict[str, float]]) -> dict[str, float]:
    """Each need's confidence: the noisy-or of its signals' weights, then lowered where a
    shown need takes it in or explains its one sign."""
    confidence = {}
    for need, by_signal in weights.items():
        doubt = 1.0
        for weight in by_signal.values():
            doubt *= 1.0 - weight
        confidence[need] = round(1.0 - doubt, 3)
    for need, taken_in in SUBSUMES.items():
        if confidence.get(need, 0.0) >= SHOWN_FROM:
            for other in taken_in:
                if other in confidence and (
                    need not in SUBSUMES_UNLESS_TWO_STRONG or confidence[other] < TWO_STRONG_FROM
                ):
                    confidence[other] = round(confidence[other] * TAKEN_IN_FACTOR, 3)
    for need, explained in EXPLAINS.items():
        if confidence.get(need, 0.0) >= SHOWN_FROM:
            for other in explained:
                if confidence.get(other, 1.0) < ONE_SIGN_BELOW:
                    confidence[other] = round(confidence[other] * TAKEN_IN_FACTOR, 3)
    return confidence


# Urdu and Punjabi speakers in the district write one script and mix the two languages.
_MIXED = {"ur": ("pa",), "pa": ("ur",)}


@lru_cache(maxsize=1)
def _matcher() -> _Matcher:
    """Every language's lexicon, built once per process (a second or two)."""
    return _Matcher(lexicon_files.load())


def _languages(language: str | None) -> tuple[str, ...] | None:
    """English (staff write in it) plus the person's language, when it has a lexicon."""
    if not language:
        return None
    primary = language.replace("-", "_").split("_")[0].casefold()
    available = lexicon_files.languages()
    if primary not in available:
        return None
    wanted = {"en", primary, *_MIXED.get(primary, ())}
    return tuple(sorted(wanted & set(available)))


def infer_needs(
    text: str, *, language: str | None = None, semantic: bool | None = None
) -> list[InferredNeed]:
    """The needs the text signals, most confident first, each with the words that signalled
    it as written; `language` (e.g. "ur", "pa_Arab") narrows the lexicon to English plus that
    language, otherwise all languages are read. Callers show those from SHOWN_FROM.
    `semantic` (default: the LINKWELL_NEEDS_SEMANTIC setting) adds needs the lexicon missed
    by sentence similarity (needs/semantic.py)."""
    found = _lexical(text, language)
    if semantic if semantic is not None else _semantic.enabled():
        model = _semantic.bundled()
        if model is not None:
            found = with_similar(found, model.similar(text or ""))
    return found


def correct_typo(word: str) -> str | None:
    """The need lexicon's word a misspelt word was probably meant to be ("lonley" -> "lonely"),
    or None when the word is known or nothing is close: for a search's "did you mean"."""
    folded = tokenize(word)
    if len(folded) != 1:
        return None
    return _matcher().corrector.correct(folded[0].folded)


def with_similar(
    found: list[InferredNeed], similar: list[_semantic.SimilarNeed]
) -> list[InferredNeed]:
    """Lexical needs plus the semantic path's: a need the lexicon did not show is shown, with
    the clause as its evidence; the lexicon's own needs are left as they are."""
    by_code = {n.code: n for n in found}
    for near in similar:
        lexical = by_code.get(near.code)
        if lexical is not None and lexical.confidence >= SHOWN_FROM:
            continue
        evidence = (*(lexical.evidence if lexical else ()), near.clause)
        by_code[near.code] = InferredNeed(near.code, SHOWN_FROM, evidence)
    return sorted(by_code.values(), key=lambda n: -n.confidence)


def _lexical(text: str, language: str | None) -> list[InferredNeed]:
    matcher = _matcher()
    languages = _languages(language)
    words = matcher.words(tokenize(text or ""))
    if not words:
        return []
    matches = []
    keys = [matcher.keys(word) for word in words]
    for i in range(len(words)):
        for phrase in matcher.candidates(words, keys, i):
            if languages is not None and phrase.language not in languages:
                continue
            end = _match_at(phrase, words, i)
            if end is not None:
                matches.append(_Match(phrase, i, end))
    signals = _resolve(matches)
    if not signals:
        return []
    covered = {k for m in signals for k in range(m.start, m.end)}
    cue_spans = {kind: _cue_spans(words, index) for kind, index in matcher.cues.items()}
    free = {  # a cue inside a signal ("no money", "not coping") is part of it, not a cue
        kind: [s for s in spans if not covered.intersection(s)] for kind, spans in cue_spans.items()
    }
    # "don't know how to", "never understood": the "don't" says what the person lacks; "i no"
    # ("I know", misspelt) and "no doubt" negate nothing.
    lack_spans = cue_spans.get("lack_before", [])
    not_negations = cue_spans.get("not_negation", [])
    free["negation_before"] = [
        s
        for s in free.get("negation_before", [])
        if not any(
            span.start <= s.start and s.stop <= span.stop for span in lack_spans + not_negations
        )
    ]
    # Urdu and Punjabi put the negation after the thing and "can" after that: "forms نہیں بھر
    # سکتی" (cannot fill in the forms) says a lack, as "can't" does, not a denial.
    lack_after = {span.start for span in cue_spans.get("lack_after", [])}
    free["negation_after"] = [
        s
        for s in free.get("negation_after", [])
        if not any(k in lack_after for k in range(s.stop, s.stop + LACK_REACH + 1))
    ]
    clauses = _Clauses(words, cue_spans.get("clause_breaks", []))
    cues = _Cues(free)
    weights: dict[str, dict[str, float]] = defaultdict(dict)
    evidence: dict[str, list[str]] = defaultdict(list)
    first_seen: dict[str, int] = {}
    lacks = {span.start for span in cue_spans.get("negation_before", []) + lack_spans}
    lack_cues = _Cues({"lack_before": lack_spans})  # inside a signal too ("can't read")
    declined = {m.phrase.need for m in signals if m.phrase.declined}
    for match in signals:
        if match.phrase.need in declined:
            continue
        says_a_lack = any(k in lacks for k in range(match.start, match.end)) or any(
            clauses.joined(cue.start, match.start)
            for cue in lack_cues.ending_before(match.start, LACK_REACH, "lack_before")
        )
        if _negated(match, cues, clauses, says_a_lack=says_a_lack):
            continue
        weight = match.phrase.weight
        if _in_past(match, cues, clauses):
            weight *= PAST_FACTOR
        need = match.phrase.need
        # The same words said twice are one signal; different words for a need add up.
        key = " ".join(words[k].folded for k in range(match.start, match.end))
        weights[need][key] = max(weights[need].get(key, 0.0), weight)
        written = text[words[match.start].token.start : words[match.end - 1].token.end]
        if written not in evidence[need]:
            evidence[need].append(written)
        first_seen.setdefault(need, match.start)
    confidence = _combined(weights)
    found = [InferredNeed(need, confidence[need], tuple(evidence[need])) for need in confidence]
    found.sort(key=lambda n: (-n.confidence, first_seen[n.code]))
    return found
