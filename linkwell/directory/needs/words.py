"""English words people really write, so that typo tolerance never "corrects" one of them.

A misspelling is a word no dictionary has ("lonley"); "concerned" is a word, even though it lies
two edits from "condemned". The list is pyspellchecker's English word frequencies (built from
subtitles and web text, shipped inside the package: nothing is fetched), read once per process.
"""

from functools import lru_cache

from spellchecker import SpellChecker


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Lower-case English words, about 160,000 of them."""
    return frozenset(SpellChecker(language="en", distance=1).word_frequency.keys())
