"""Inferring need codes from free text (a GP note, a contact note, a person's own words)."""

from dataclasses import dataclass

from linkwell.directory import vocabularies as vocab


@dataclass(frozen=True)
class InferredNeed:
    """A need signalled by the text: its code, how sure (0 to 1), and the words, as written,
    that signalled it."""

    code: str
    confidence: float
    evidence: tuple[str, ...]


def infer_needs(text: str, *, language: str | None = None) -> list[InferredNeed]:
    """The needs the text signals, most confident first (placeholder: need names only)."""
    lowered = (text or "").lower()
    found = []
    for term in vocab.NEEDS.terms:
        for word in (term.code.replace("_", " "), term.name.lower()):
            if word in lowered:
                found.append(InferredNeed(term.code, 0.5, (word,)))
                break
    return found
