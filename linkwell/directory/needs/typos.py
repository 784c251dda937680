"""Typo tolerance against a known vocabulary ("lonley" is "lonely", "dementa" is "dementia").

Candidates come from a deletion index (symmetric delete: a word and a typo of it share a form
with one or two letters deleted), so a lookup costs a handful of dictionary probes whatever the
vocabulary's size; each candidate is then confirmed by its true edit distance (optimal string
alignment, so a swap of two letters counts as one edit).
"""

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz.distance import OSA

SHORTEST = 4  # words shorter than this are never corrected: too many real words lie close
TWO_EDITS_FROM = 8


def allowed_edits(word: str) -> int:
    """How many edits a word of this length may be from the word it is taken for."""
    if len(word) >= TWO_EDITS_FROM:
        return 2
    return 1 if len(word) >= SHORTEST else 0


def _deletes(word: str, depth: int) -> set[str]:
    forms = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        forms |= frontier
    return forms


def _latin_letters(word: str) -> bool:
    """Typos are corrected in Latin script only: Urdu and Punjabi words are short and close
    together ("پیتے" drinks, "پیسے" money), and their spelling variants are folded instead."""
    return word.isalpha() and all(ord(ch) <= 0x024F for ch in word)


def _shared_start(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class Corrector:
    """Maps an unknown word to the closest word of a vocabulary, if one is close enough.

    A correction keeps the first letter (typos rarely change it, and keeping it spares many real
    words that happen to lie one edit from a signal: "hall" is not "fall")."""

    def __init__(self, vocabulary: Iterable[str], known: Iterable[str] = ()) -> None:
        self.vocabulary = {w for w in vocabulary if w}
        self.known = set(known) | self.vocabulary
        self._index: dict[str, set[str]] = defaultdict(set)
        for word in self.vocabulary:
            if len(word) >= SHORTEST and _latin_letters(word):
                for form in _deletes(word, allowed_edits(word)):
                    self._index[form].add(word)
        self._cache: dict[str, str | None] = {}

    def correct(self, word: str) -> str | None:
        """The vocabulary word `word` was probably meant to be, or None (known or too far)."""
        if word in self._cache:
            return self._cache[word]
        result = None
        edits = allowed_edits(word)
        if word not in self.known and edits and _latin_letters(word):
            # Closest first; then the longest shared start ("scamed" is "scammed", not
            # "scared"); then the nearest length.
            best: tuple[int, int, int, str] | None = None
            for form in _deletes(word, edits):
                for candidate in self._index.get(form, ()):
                    if candidate[0] != word[0]:
                        continue
                    limit = min(edits, allowed_edits(candidate))
                    distance = OSA.distance(word, candidate, score_cutoff=limit)
                    if distance > limit:
                        continue
                    shared = _shared_start(word, candidate)
                    rank = (distance, -shared, abs(len(candidate) - len(word)), candidate)
                    if best is None or rank < best:
                        best = rank
            result = best[-1] if best else None
        if len(self._cache) < 100_000:
            self._cache[word] = result
        return result
