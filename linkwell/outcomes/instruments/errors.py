"""What goes wrong with a definition (the partnership's file) or with a set of answers (a
person's): each names where, so the one who can fix it knows what to change."""

from __future__ import annotations


class InstrumentInvalid(ValueError):
    """A definition file that cannot be used: `field` is its dotted path (e.g.
    "items[2].options[0].value"), the message says what is wrong and what to write."""

    def __init__(self, source: str, field: str, message: str) -> None:
        super().__init__(f"{source}: {field}: {message}")
        self.source, self.field, self.message = source, field, message


class AnswersRefused(ValueError):
    """Answers that cannot be scored: `problems` maps each item id (or "answers") to what
    is wrong with it, in words a person can act on."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems
