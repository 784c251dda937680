"""People's words to need codes: the lexicon of signals per need, and inference from text.

The contract other code relies on is `infer_needs` and `InferredNeed`; the lexicon itself is
data (one file per language), so a partnership can add signals without code.
"""

from linkwell.directory.needs.inference import (
    POSSIBLE_FROM,
    SHOWN_FROM,
    InferredNeed,
    correct_typo,
    infer_needs,
)
from linkwell.directory.needs.text import normalise, stems

__all__ = [
    "POSSIBLE_FROM",
    "SHOWN_FROM",
    "InferredNeed",
    "correct_typo",
    "infer_needs",
    "normalise",
    "stems",
]
